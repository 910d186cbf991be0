// ChaoyangBranch: the history of the Red Cross branch of Beijing's Chaoyang district (北京市朝阳区红十字会), replayed
// from an empty registry, year by year, from its first year (2013 by default, an assumption: the branch's summary
// gives no start year) to 2022, the year of its published summary. Drives every year at 北京第二外国语学院, 中国传媒大学
// and 对外经济贸易大学, drives and lectures in Chaoyang's streets (劲松, 八里庄, 香河园, 团结湖, 安贞) and CBD office
// buildings; patient searches and match cases; donations with their follow-ups and 慰问 visits by the written rules;
// year-end certificates, and on World Marrow Donor Day 2022 the stories of 10 consenting donors. People are fictional
// (Bogus zh_CN). Prints a line per year, a table per place and the cumulative report, all read from the registry's
// reports, and writes a report per year, the cumulative report, the drives, the recognitions and the volunteers named
// for festival visits as CSV (with a UTF-8 byte order mark for Chinese) and as one XLSX workbook, and charts. Reports
// and charts are Chinese by default (--culture en for English); charts use a CJK font from fontconfig or --font. The
// same seed gives byte-identical files and printed report; the wall time is printed last, apart.
//
//   dotnet run --project samples/ChaoyangBranch -- [--out DIR] [--seed N] [--from YEAR] [--scale PERCENT] [--culture zh-CN|en] [--font PATH]

using System.Diagnostics;
using System.Globalization;
using System.Text;
using DonorRegistry;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Hla;
using DonorRegistry.Reporting;
using DonorRegistry.Samples;
using DonorRegistry.Search;
using DonorRegistry.Workflows;

var cli = new SampleArguments("ChaoyangBranch", "Replays the Chaoyang district Red Cross branch's history to 2022 from an empty registry: drives at three\nuniversities every year and in Chaoyang's streets and CBD buildings, lectures, searches, cases, donations with their care.\nPrints a line per year, a table per place and the cumulative report; writes CSV files and PNG charts.\nAt --scale 100, exits 1 unless the report shows 202 lectures, 1,036 samples entered and 60 donations.")
    .OutFolder("chaoyang-branch", "the registry file, the CSV files and the charts")
    .Seed("history")
    .Integer("--from", $"the first year replayed ({HistoryPlan.FirstYear}-{HistoryPlan.LastYear}; {HistoryPlan.FirstYear} is an assumption)", HistoryPlan.FirstYear, 2005)
    .Integer("--scale", "the share of the published totals replayed, in percent (1-100)", 100, 1)
    .Text("--culture", "NAME", "the language of the printed report, the files and the charts: zh-CN or en", "zh-CN")
    .Text("--font", "PATH", "a CJK font file for the charts (.ttf, .otf, .ttc); 'fontconfig' asks fontconfig for one", "fontconfig")
    .Text("--key-out", "PATH", "also write the registry key (base64) to this file, to open the registry later (samples/BranchImport); empty: the key is not kept", "");
if (cli.Parse(args) is { } exit)
{
    return exit;
}

var watch = Stopwatch.StartNew();
var outDir = Path.GetFullPath(cli.Text("--out"));
var seed = cli.Integer("--seed");
var firstYear = cli.Integer("--from");
var scale = cli.Integer("--scale");
if (firstYear > HistoryPlan.LastYear || scale > 100)
{
    Console.Error.Write($"ChaoyangBranch: {(scale > 100 ? $"--scale '{scale}' is too large; give 100 or less" : $"--from '{firstYear}' is too late; give {HistoryPlan.LastYear} or earlier")}.{Environment.NewLine}{Environment.NewLine}{cli.Synopsis}");
    return SampleArguments.UsageError;
}

const int LastYear = HistoryPlan.LastYear;
var years = Enumerable.Range(firstYear, LastYear - firstYear + 1).ToList();
var targetLectures = HistoryPlan.Scaled(HistoryPlan.Lectures, scale);
var targetSamples = HistoryPlan.Scaled(HistoryPlan.SamplesEntered, scale);
var targetDonations = HistoryPlan.Scaled(HistoryPlan.Donations, scale);
var targetStories = HistoryPlan.Scaled(HistoryPlan.Stories, scale);
var drivesPerYear = HistoryPlan.Universities.Count + 2;
if (targetLectures < years.Count * (drivesPerYear + 1) || targetSamples < years.Count * drivesPerYear * 4 || targetDonations < years.Count)
{
    Console.Error.Write($"ChaoyangBranch: --scale '{scale}' is too small for {years.Count} years from {firstYear}: each year needs a lecture per drive and a few samples; give a larger scale or a later --from.{Environment.NewLine}{Environment.NewLine}{cli.Synopsis}");
    return SampleArguments.UsageError;
}

// The culture and the font are checked, and the output folder must be writable, before any work starts.
ReportCulture culture;
var chartOptions = new ChartOptions { FontPath = cli.Text("--font") == "fontconfig" ? null : cli.Text("--font") };
bool cjk;
try
{
    culture = ReportCulture.Get(cli.Text("--culture"));
    chartOptions.Culture = culture.Name;
    cjk = chartOptions.Check();
}
catch (RegistryValidationException e)
{
    Console.Error.Write($"ChaoyangBranch: {e.Message}{Environment.NewLine}{Environment.NewLine}{cli.Synopsis}");
    return SampleArguments.UsageError;
}

if (culture.IsChinese && !cjk)
{
    Console.Error.WriteLine("ChaoyangBranch: no CJK font is installed (on Debian: apt-get install fonts-noto-cjk) and no --font was given; the charts are drawn with English labels.");
}

var exportOptions = new ReportExportOptions { Culture = culture.Name };
try
{
    if (Directory.Exists(outDir))
    {
        Directory.Delete(outDir, recursive: true);
    }

    Directory.CreateDirectory(outDir);
    File.WriteAllText(Path.Combine(outDir, ".probe"), string.Empty);
    File.Delete(Path.Combine(outDir, ".probe"));
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"ChaoyangBranch: the output folder '{outDir}' cannot be written ({e.Message}); give a folder you can write with --out.");
    return 1;
}

var beijing = TimeSpan.FromHours(8);
var clock = new SimulatedClock(new DateTimeOffset(firstYear, 1, 2, 9, 0, 0, beijing));
var registryKey = RegistryKey.Generate();
if (cli.Text("--key-out") is { Length: > 0 } keyOut)
{
    File.WriteAllText(keyOut, registryKey.ToBase64());
}

using var registry = Registry.Create(new RegistryOptions
{
    DatabasePath = Path.Combine(outDir, "chaoyang.db"),
    RegistryKey = registryKey,
    TimeProvider = clock,
    TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),

    // A replay into a new file, run again from the start if it stops: no commit needs to wait for the disk's flush.
    Durability = Durability.OsBuffered,
});
await using var host = RegistryWorkflowHost.Start(registry, o => o.PollInterval = TimeSpan.FromSeconds(1));
var random = new Random(seed);
var volunteers = new Volunteers(seed);
var hla = new SyntheticHla(seed) { ThreeLocusShare = 0 };
var helpers = new Volunteers(seed + 1);
var agenda = new PriorityQueue<Func<Task>, (DateTimeOffset At, long Seq)>();
long sequence = 0;
DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(beijing).DateTime);
DateTimeOffset At(DateOnly day, int hour = 10) => new(day.ToDateTime(new TimeOnly(hour, 0)), beijing);
void On(DateOnly day, int hour, Func<Task> action) => agenda.Enqueue(action, (At(day, hour), sequence++));
void OnSync(DateOnly day, int hour, Action action) => On(day, hour, () => { action(); return Task.CompletedTask; });

const string Organizer = "organizer.wang";
const string Coordinator = "coordinator.li";
const string Lab = "中华骨髓库北京 HLA 实验室";
string[] centres = ["北京大学人民医院采集中心", "北京协和医院采集中心", "解放军总医院采集中心"];
string[] reasons = ["溶血 haemolysed", "血量不足 insufficient volume", "标签错误 mislabelled"];
var weights = years.Select(y => HistoryPlan.Weight(y)).ToList();
var lecturesByYear = HistoryPlan.Split(targetLectures, weights);
var samplesByYear = HistoryPlan.Split(targetSamples, weights);
var donationsByYear = HistoryPlan.Split(targetDonations, weights);
var drivesOf = HistoryPlan.Places.ToDictionary(p => p.Code, _ => new List<DriveId>());
var consenting = new List<DonorId>();
var donated = new List<(DonorId Donor, DateOnly On)>();
var reserved = new HashSet<long>();
var listed = new SortedSet<long>(); // donors the drives listed, in id order: where a case's twin is drawn from
var endOfHistory = new DateOnly(LastYear, 12, 31);

// ---- Each year: five drives (the three universities, two streets or CBD buildings in turn), lectures, cases ------
var driveCount = 0;
for (var y = 0; y < years.Count; y++)
{
    var year = years[y];
    var communityA = HistoryPlan.Communities[(2 * (year - HistoryPlan.FirstYear)) % HistoryPlan.Communities.Count];
    var communityB = HistoryPlan.Communities[((2 * (year - HistoryPlan.FirstYear)) + 1) % HistoryPlan.Communities.Count];
    Place[] placesThisYear = [HistoryPlan.Universities[0], communityA, HistoryPlan.Universities[1], communityB, HistoryPlan.Universities[2]];
    (int Month, int Day)[] starts = [(3, 14), (4, 18), (5, 16), (9, 19), (10, 24)];
    var driveLectureTotal = Math.Max(drivesPerYear, (int)Math.Round(lecturesByYear[y] * 0.7));
    var driveLectures = HistoryPlan.SplitAtLeastOne(driveLectureTotal, drivesPerYear, random);
    var driveSamples = HistoryPlan.SplitAtLeastOne(samplesByYear[y], drivesPerYear, random);
    for (var i = 0; i < drivesPerYear; i++)
    {
        var start = new DateOnly(year, starts[i].Month, starts[i].Day).AddDays(random.Next(0, 7));
        PlanDrive(placesThisYear[i], start, driveLectures[i], driveSamples[i], driveCount++ % 6 == 5, outstandingHelper: i == 0);
    }

    // Stand-alone lectures in the streets and CBD buildings: the rest of the year's lectures.
    var standalone = lecturesByYear[y] - driveLectureTotal;
    for (var j = 0; j < standalone; j++)
    {
        var day = new DateOnly(year, 1, 10).AddDays(j * 330 / standalone);
        var place = HistoryPlan.Communities[random.Next(HistoryPlan.Communities.Count)];
        var audience = random.Next(20, 80);
        OnSync(day, 15, () => registry.Drives.RecordLecture(null, place.Venue, day, audience, "王老师", Organizer));
    }

    // Searches and match cases: the year's donations, and about 0.4 cases per donation that stop on the way.
    var stopped = (int)Math.Round(donationsByYear[y] * HistoryPlan.StoppedPerDonation);
    var outcomes = Enumerable.Repeat(true, donationsByYear[y]).Concat(Enumerable.Repeat(false, stopped)).OrderBy(_ => random.Next()).ToList();
    for (var c = 0; c < outcomes.Count; c++)
    {
        PlanCase(new DateOnly(year, 4, 20).AddDays(c * 180 / outcomes.Count), $"BJ-CY-{year}-{c + 1:D4}", outcomes[c]);
    }

    var searches = HistoryPlan.Scaled(12, scale);
    for (var s = 0; s < searches; s++)
    {
        OnSync(new DateOnly(year, 4, 1).AddDays(s * 240 / searches), 11, () => Search(2));
    }

    // Year-end certificates for the year's donors who consent to publicity.
    var yearEnd = new DateOnly(year, 12, 20);
    On(yearEnd, 10, async () =>
    {
        foreach (var donor in consenting.Where(d => donated.Any(x => x.Donor == d && x.On.Year == yearEnd.Year)))
        {
            await host.Care.ApproveRecognitionAsync(donor, RecognitionKind.Certificate, $"{yearEnd.Year} 年造血干细胞捐献荣誉证书", Today(), "director.zhang");
        }
    });
}

// ---- World Marrow Donor Day 2022: short films telling the stories of 10 donors who consented ----------------------
var wmdd = ObservanceCalendar.WorldMarrowDonorDay(LastYear);
On(wmdd, 10, async () =>
{
    var n = 0;
    foreach (var donor in consenting.Where(d => donated.Any(x => x.Donor == d && x.On < wmdd)).Take(targetStories))
    {
        await host.Care.ApproveRecognitionAsync(donor, RecognitionKind.WorldMarrowDonorDayStory, $"世界骨髓捐献者日短片: 捐献者故事 {++n}", Today(), "director.zhang");
    }
});
for (var week = new DateOnly(firstYear, 1, 5); week <= endOfHistory; week = week.AddDays(7))
{
    OnSync(week, 7, () => registry.Donors.ApplyCalendar(clock.GetUtcNow(), "calendar"));
}

// ---- Replay -----------------------------------------------------------------------------------------------------------
Console.WriteLine($"Replaying the Chaoyang district branch, {firstYear}-{LastYear} (seed {seed}, scale {scale}%), into {outDir}");
while (agenda.TryDequeue(out var action, out var when))
{
    clock.MoveTo(when.At);
    await action();
}

clock.MoveTo(At(new DateOnly(LastYear + 1, 1, 1), 9));
var history = new ReportPeriod(new DateOnly(firstYear, 1, 1), endOfHistory);
var span = $"{firstYear}-{LastYear}";

// ---- A line per year, and a report per year ---------------------------------------------------------------------------
var t = culture;
Console.WriteLine();
Console.WriteLine(t.Pick(
    "年份   科普讲座   听众      报名   血样入库   志愿者入库   检索   案例   捐献   随访   慰问   表彰",
    "Year   lectures  attendees  enrolled  samples entered  donors listed  searches  cases  donations  follow-ups  visits  recognitions"));
var yearly = new List<RegistryReport>();
foreach (var year in years)
{
    var r = registry.Reports.Build(ReportPeriod.Year(year));
    yearly.Add(r);
    Console.WriteLine(t.IsChinese
        ? string.Create(CultureInfo.InvariantCulture, $"{year}   {r.Lectures,8}  {r.Attendees,6:N0}  {r.Enrolled,6}  {r.SamplesEntered,9:N0}  {r.DonorsListed,11:N0}  {r.Searches,5}  {r.CasesOpened,5}  {r.Donations,5}  {r.FollowUpsDone,5}  {r.VisitsDone,5}  {r.Recognitions,5}")
        : string.Create(CultureInfo.InvariantCulture, $"{year}   {r.Lectures,8}  {r.Attendees,9:N0}  {r.Enrolled,8}  {r.SamplesEntered,15:N0}  {r.DonorsListed,13:N0}  {r.Searches,8}  {r.CasesOpened,5}  {r.Donations,9}  {r.FollowUpsDone,10}  {r.VisitsDone,6}  {r.Recognitions,12}"));
    WriteFile($"report-{year}.csv", stream => ReportExport.WriteCsv(r, stream, exportOptions));
}

// ---- A table per place: each university, street and building, over the whole history -----------------------------
var lonely = registry.Drives.FindLectures(history.From, history.To).Where(l => l.Drive is null).ToList();
Console.WriteLine();
Console.WriteLine(t.IsChinese ? $"{Pad("地点", 24)}活动  科普讲座  血样入库  志愿者入库  捐献" : $"{"Place",-24}drives  lectures  samples entered  donors listed  donations");
var totals = (Drives: 0, Lectures: 0, Entered: 0, Listed: 0, Donations: 0);
foreach (var place in HistoryPlan.Places)
{
    var reports = drivesOf[place.Code].Select(d => registry.Reports.Build(history, d)).ToList();
    var row = (Drives: reports.Count, Lectures: reports.Sum(r => r.Lectures) + lonely.Count(l => l.Venue == place.Venue), Entered: reports.Sum(r => r.SamplesEntered), Listed: reports.Sum(r => r.DonorsListed), Donations: reports.Sum(r => r.Donations));
    totals = (totals.Drives + row.Drives, totals.Lectures + row.Lectures, totals.Entered + row.Entered, totals.Listed + row.Listed, totals.Donations + row.Donations);
    PlaceRow(t.IsChinese ? place.Name : place.Code, row);
}

PlaceRow(t.Pick("所有地点", "all places"), totals);

// ---- The cumulative report --------------------------------------------------------------------------------------------
var report = registry.Reports.Build(history);
Console.WriteLine();
Console.WriteLine(t.IsChinese ? $"北京市朝阳区红十字会，{span}" : $"The Chaoyang district branch, {span}");
foreach (var line in report.Lines())
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Pad(t.Section(line.Section), 12)}{Pad(t.Label(line), 26)}{line.Value,7:N0}  {Pad(t.Counts(line.Counts), 6)}  {t.Meaning(line)}"));
}

// ---- Volunteers named for festival visits: apart from donors, in no donor figure ---------------------------------------
var honours = registry.Care.FindVolunteerHonours(history.From, history.To);
Console.WriteLine();
Console.WriteLine(t.IsChinese ? $"慰问的优秀志愿者（与捐献者分开记录，不计入捐献者统计）：{honours.Count} 名" : $"Outstanding drive volunteers named for festival visits (recorded apart from donors, in no donor figure): {honours.Count}");
foreach (var honour in honours)
{
    var visited = honour.Visits.Count(v => v.State == VisitState.Visited);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {honour.Id}  {Pad(honour.Name, 8)}{Pad(honour.Drive?.Value ?? string.Empty, 16)}{Pad(honour.Reason, 30)}{(t.IsChinese ? $"节日慰问 {visited}/{honour.Visits.Count}" : $"festival visits {visited}/{honour.Visits.Count}")}"));
}

var compared = registry.Reports.CompareDrives(history);
var recognitions = registry.Care.FindPublishableRecognitions(history.From, history.To);
WriteFile($"report-{span}.csv", stream => ReportExport.WriteCsv(report, stream, exportOptions));
WriteFile($"drives-{span}.csv", stream => ReportExport.WriteDrivesCsv(compared, stream, exportOptions));
WriteFile($"recognitions-{span}.csv", stream => ReportExport.WriteRecognitionsCsv(recognitions, stream, exportOptions));
WriteFile($"volunteers-{span}.csv", stream => ReportExport.WriteVolunteersCsv(honours, stream, exportOptions));
WriteFile($"report-{span}.xlsx", stream => ReportExport.WriteWorkbook(report, compared, recognitions, stream, exportOptions, honours));

ReportCharts.RecruitmentFunnel(report, Path.Combine(outDir, $"funnel-{span}.png"), chartOptions);
ReportCharts.DonationsPerMonth(LastYear, registry.Reports.DonationsPerMonth(LastYear), Path.Combine(outDir, $"donations-per-month-{LastYear}.png"), chartOptions);
ReportCharts.DrivesByYield(registry.Reports.CompareDrives(ReportPeriod.Year(LastYear)), Path.Combine(outDir, $"drives-by-yield-{LastYear}.png"), chartOptions);

// Samples entered at each university, year by year: the sum of its drives' reports for the year. A drive's samples are
// entered within a month or so of its start, so only the drive's start year and the next can hold any.
var universities = HistoryPlan.Universities
    .Select(u => new PlaceSeries(u.Name, u.Code, years.Select(y => drivesOf[u.Code]
        .Where(d => registry.Drives.Get(d).Plan.StartsOn.Year is var start && (start == y || start == y - 1))
        .Sum(d => registry.Reports.Build(ReportPeriod.Year(y), d).SamplesEntered)).ToList()))
    .ToList();
ReportCharts.PlacesByYear("samples_entered", years, universities, Path.Combine(outDir, $"universities-by-year-{span}.png"), chartOptions);

var stories = recognitions.Count(e => e.Recognition.Kind == RecognitionKind.WorldMarrowDonorDayStory);
Console.WriteLine();
Console.WriteLine(t.IsChinese
    ? string.Create(CultureInfo.InvariantCulture, $"对照数字：科普讲座 {report.Lectures:N0} 场，血样入库 {report.SamplesEntered:N0} 份，捐献 {report.Donations:N0} 例，世界骨髓捐献者日捐献者故事 {stories} 个")
    : string.Create(CultureInfo.InvariantCulture, $"Reference numbers: {report.Lectures:N0} lectures, {report.SamplesEntered:N0} samples entered into the registry, {report.Donations:N0} donations, {stories} donors' stories on World Marrow Donor Day"));
var expected = string.Create(CultureInfo.InvariantCulture, $"{targetLectures:N0} / {targetSamples:N0} / {targetDonations:N0} / {targetStories}");
var ok = report.Lectures == targetLectures && report.SamplesEntered == targetSamples && report.Donations == targetDonations && report.DonorsWhoDonated == targetDonations && stories == targetStories;
Console.WriteLine(ok
    ? t.Pick($"与公布数字一致{(scale == 100 ? string.Empty : $"（按 {scale}%）")}：{expected}。", $"As published{(scale == 100 ? string.Empty : $" (at {scale}%)")}: {expected}.")
    : t.Pick($"与公布数字不一致：应为 {expected}。", $"NOT as published: expected {expected}."));
Console.WriteLine($"{t.Pick("已写入", "Written to")} {outDir}: report-YEAR.csv ({span}), report-{span}.csv, drives-{span}.csv, recognitions-{span}.csv, volunteers-{span}.csv, report-{span}.xlsx, funnel-{span}.png, donations-per-month-{LastYear}.png, drives-by-yield-{LastYear}.png, universities-by-year-{span}.png");
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wall time {watch.Elapsed.TotalSeconds:F1} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB"));
return ok ? 0 : 1;

void PlaceRow(string name, (int Drives, int Lectures, int Entered, int Listed, int Donations) row) =>
    Console.WriteLine(t.IsChinese
        ? string.Create(CultureInfo.InvariantCulture, $"{Pad(name, 24)}{row.Drives,4}  {row.Lectures,8}  {row.Entered,8:N0}  {row.Listed,10:N0}  {row.Donations,4}")
        : string.Create(CultureInfo.InvariantCulture, $"{Pad(name, 24)}{row.Drives,6}  {row.Lectures,8}  {row.Entered,15:N0}  {row.Listed,13:N0}  {row.Donations,9}"));

// Writes a file whole or not at all: into a temporary file beside it, then moved over it.
void WriteFile(string name, Action<Stream> write)
{
    var path = Path.Combine(outDir, name);
    var temporary = path + ".tmp";
    try
    {
        using (var stream = File.Create(temporary))
        {
            write(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }
    finally
    {
        File.Delete(temporary);
    }
}

// ---- Helpers -----------------------------------------------------------------------------------------------------------
void PlanDrive(Place place, DateOnly start, int lectures, int typed, bool badRow, bool outstandingHelper)
{
    var id = new DriveId($"{place.Code}-{start:yyyyMMdd}");
    drivesOf[place.Code].Add(id);
    var plan = new DrivePlan(id, $"{place.Name} {start:yyyy年M月d日} 造血干细胞捐献者招募", place.Kind, "朝阳区红十字会", place.Venue, start, start.AddDays(1), typed + 10);
    var rejected = Math.Min(random.Next(0, 4), typed - 1);
    var noShows = random.Next(1, 6);
    var sampled = new List<Sample>();

    On(start.AddDays(-14), 9, () => host.Drives.StartDriveAsync(plan, Lab, Organizer));
    for (var j = 0; j < lectures; j++)
    {
        var day = start.AddDays(-1 - (j % 7));
        var audience = place.Kind == DriveKind.Campus ? random.Next(60, 260) : random.Next(25, 90);
        var room = place.Kind == DriveKind.Campus ? $"{place.Name}第{1 + (j % 4)}教学楼" : place.Venue;
        var speaker = j % 2 == 0 ? "李医生" : "张医生";
        On(day, 14, () => host.Drives.RecordLectureAsync(id, room, day, audience, speaker, Organizer));
    }

    On(start, 9, async () =>
    {
        await host.Drives.OpenEnrolmentAsync(id, Organizer);
        var donors = host.Drives.Enrol(id, volunteers.Many(typed + noShows, Today()), Organizer);
        sampled.AddRange(donors.Take(typed).Select((d, k) => host.Drives.CollectSample(id, d.Id, $"{id.Value}-{k + 1:D3}", SampleKind.BloodEdta, "nurse.chen")));
    });
    On(start.AddDays(1), 17, () => host.Drives.CloseEnrolmentAsync(id, Organizer));

    // An outstanding helper of the drive (not a donor) is named for festival visits, as the branch does (its own records).
    if (outstandingHelper)
    {
        OnSync(start.AddDays(3), 11, () =>
        {
            var honour = registry.Care.NameOutstandingVolunteer(helpers.Name(), id, $"协助组织{place.Name}招募活动和科普讲座", Today(), "director.zhang");
            foreach (var visit in honour.Visits.Where(v => v.DueOn <= endOfHistory))
            {
                if (random.NextDouble() < 0.9)
                {
                    OnSync(visit.DueOn, 15, () => registry.Care.RecordVolunteerVisit(honour.Id, visit.Key, visit.DueOn, "节日慰问品 festival gift", "coordinator.wang"));
                }
                else
                {
                    OnSync(visit.DueOn, 15, () => registry.Care.SkipVolunteerVisit(honour.Id, visit.Key, "志愿者在外地 volunteer away", "coordinator.wang"));
                }
            }
        });
    }
    On(start.AddDays(2), 10, () => host.Drives.DispatchShipmentAsync(id, Organizer));
    On(start.AddDays(4), 10, () => host.Drives.RecordSamplesReceivedAsync(id, "lab.reception"));
    OnSync(start.AddDays(5), 10, () =>
    {
        for (var k = 0; k < rejected; k++)
        {
            registry.Samples.Reject(sampled[k].Barcode, reasons[k % reasons.Length], "lab.hla");
        }
    });
    On(start.AddDays(12), 11, async () =>
    {
        var rows = sampled.Skip(rejected).Select(s => (s.Barcode, hla.Next(Today()))).ToList();
        var file = LabResults.Csv(rows) + (badRow ? $"{id.Value}-999,{Today():yyyy-MM-dd},A*02:01,B*07:02,,DRB1*15:01,\n" : string.Empty);
        var result = await host.Drives.ImportTypingResultsAsync(id, new MemoryStream(Encoding.UTF8.GetBytes(file)), Lab, Today(), "lab.import", $"{id.Value}.csv");
        foreach (var error in result.Errors)
        {
            Console.WriteLine($"    {Today():yyyy-MM-dd}  {id}: results row refused, {error}");
        }

        // The workflow lists the typed donors in the background: wait for it, so that the donors are listed on the
        // import day and every later step sees the same registry whatever the machine's speed (reproducibility).
        await host.Drives.WaitUntilClosedAsync(id, TimeSpan.FromMinutes(2));
        listed.UnionWith(sampled.Skip(rejected).Select(s => s.DonorId.Value));
    });

    // Donors whose sample was rejected give a new one, typed and listed outside the drive's workflow.
    OnSync(start.AddDays(20), 10, () =>
    {
        for (var k = 0; k < rejected; k++)
        {
            registry.Samples.Collect(sampled[k].DonorId, sampled[k].Barcode + "R", SampleKind.BloodEdta, "nurse.chen");
        }
    });
    OnSync(start.AddDays(21), 10, () =>
    {
        if (rejected > 0)
        {
            registry.Samples.Ship(Lab, sampled.Take(rejected).Select(s => s.Barcode + "R").ToList(), Organizer);
        }
    });
    OnSync(start.AddDays(23), 10, () =>
    {
        if (rejected > 0)
        {
            registry.Samples.Receive(sampled.Take(rejected).Select(s => s.Barcode + "R").ToList(), "lab.reception");
        }
    });
    OnSync(start.AddDays(30), 10, () =>
    {
        for (var k = 0; k < rejected; k++)
        {
            registry.Samples.RecordTyping(sampled[k].Barcode + "R", hla.Next(Today()) with { Lab = Lab }, "lab.hla");
        }

        registry.Drives.ListTypedDonors(id, Coordinator);
        listed.UnionWith(sampled.Take(rejected).Select(s => s.DonorId.Value));
    });
}

void PlanCase(DateOnly opens, string patient, bool goes)
{
    var marrow = random.NextDouble() < 0.1;
    On(opens, 9, async () =>
    {
        var matchCase = OpenCase(patient);
        if (matchCase is null)
        {
            Console.WriteLine($"    {opens:yyyy-MM-dd}  {patient}: no available donor to open a case for");
            return;
        }

        var id = matchCase.Id;
        var cases = registry.Cases;
        OnSync(opens.AddDays(2), 10, () => cases.ContactDonor(id, Coordinator));
        if (!goes)
        {
            OnSync(opens.AddDays(4), 10, () =>
            {
                if (random.NextDouble() < 0.5)
                {
                    cases.RecordDecline(id, "家人反对 family against it", Coordinator);
                }
                else
                {
                    cases.RecordConsent(id, Coordinator);
                    cases.RequestCtSample(id, Coordinator);
                    cases.Cancel(id, "患者病情变化 patient status changed", Coordinator);
                }
            });
            return;
        }

        OnSync(opens.AddDays(4), 10, () => { cases.RecordConsent(id, Coordinator); cases.RequestCtSample(id, Coordinator); });
        OnSync(opens.AddDays(12), 10, () => cases.RecordCtTyping(id, registry.Donors.Get(matchCase.DonorId).Typing!, "lab.hla"));
        OnSync(opens.AddDays(14), 10, () => { cases.Select(id, Coordinator); cases.RequestWorkup(id, Coordinator); });
        OnSync(opens.AddDays(18), 10, () => cases.HoldInformationSession(id, Coordinator));
        OnSync(opens.AddDays(22), 10, () => cases.RecordMedicalExam(id, Coordinator));
        OnSync(opens.AddDays(26), 10, () => cases.Clear(id, Coordinator));
        OnSync(opens.AddDays(30), 10, () =>
        {
            if (marrow)
            {
                cases.StartMarrowHarvest(id, Coordinator);
            }
            else
            {
                cases.StartMobilization(id, Coordinator);
            }
        });
        var collected = opens.AddDays(35);
        On(collected, 16, async () =>
        {
            if (!marrow)
            {
                cases.StartApheresis(id, Coordinator);
            }

            cases.RecordCollection(id, collected, Coordinator);
            var details = new DonationDetails(id, marrow ? DonationProduct.BoneMarrow : DonationProduct.Pbsc, marrow ? collected : collected.AddDays(-random.Next(0, 2)), collected,
                marrow ? null : 5, centres[random.Next(centres.Length)], random.NextDouble() < 0.95 ? DonationOutcome.Completed : DonationOutcome.BelowTarget,
                marrow || random.NextDouble() < 0.6 ? [] : [new AdverseEvent("G-CSF 后骨痛 bone pain", AdverseEventSeverity.Mild, collected.AddDays(-2))]);
            var record = await host.Care.RecordDonationAsync(matchCase.DonorId, details, Coordinator);
            donated.Add((matchCase.DonorId, collected));
            PlanCare(record);
        });
        OnSync(collected.AddDays(1), 10, () => cases.DeliverProduct(id, "courier.sun"));
        OnSync(collected.AddDays(3), 10, () => cases.Close(id, Coordinator));
        await Task.CompletedTask;
    });
}

MatchCase? OpenCase(string patient)
{
    // The patient's typing is that of a listed donor, so that the search has someone to find: drawn from the donors the
    // drives listed, in donor order (the store's order of a state's donors depends on where the records landed in the
    // file, and a draw from a list in that order is not reproducible), and read one by one until one is available. Reading
    // every available donor for each case instead cost a tenth of the replay's CPU.
    var candidates = listed.Where(d => !reserved.Contains(d)).ToList();
    Donor? twin = null;
    while (twin is null && candidates.Count > 0)
    {
        var draw = random.Next(candidates.Count);
        var donor = registry.Donors.Get(new DonorId(candidates[draw]));
        if (donor.State == DonorState.Available)
        {
            twin = donor;
        }
        else
        {
            candidates.RemoveAt(draw);
        }
    }

    if (twin is null)
    {
        return null;
    }

    var result = registry.Search.Find(new SearchRequest(HlaTyping.FromLoci(twin.Typing!.Loci)) { MaxMismatches = 1, Limit = 20 });
    var chosen = result.Matches.Select(m => m.DonorId).FirstOrDefault(d => !reserved.Contains(d.Value));
    if (chosen.Value == 0)
    {
        return null;
    }

    reserved.Add(chosen.Value);
    return registry.Cases.Open(chosen, patient, Coordinator);
}

void Search(int mismatches)
{
    if (listed.Count > 0)
    {
        registry.Search.Find(new SearchRequest(HlaTyping.FromLoci(hla.Next(Today()).Loci)) { MaxMismatches = mismatches, Limit = 20 });
    }
}

void PlanCare(DonationRecord record)
{
    var donor = record.Donor;
    OnSync(record.Details.CollectionEnd.AddDays(1), 11, () =>
    {
        if (random.NextDouble() < 0.7)
        {
            registry.Care.GivePublicityConsent(donor, Coordinator);
            consenting.Add(donor);
        }
    });
    foreach (var followUp in record.FollowUps.Where(f => f.DueOn <= endOfHistory))
    {
        var day = followUp.DueOn.AddDays(random.Next(0, 4));
        if (day <= endOfHistory && random.NextDouble() < 0.92)
        {
            var unwell = random.NextDouble() < 0.1;
            On(day, 15, () => host.Care.RecordFollowUpAsync(record.Id, followUp.Key, day, unwell ? DonorHealth.MinorComplaints : DonorHealth.Well,
                unwell ? [new AdverseEvent("乏力 tiredness", AdverseEventSeverity.Mild, day)] : null, "电话随访 phone call", "nurse.zhao"));
        }
    }

    // 慰问 visits by the written rules (《造血干细胞捐献者慰问办法》, the registry's AppreciationPolicy).
    foreach (var visit in record.Visits.Where(v => v.DueOn <= endOfHistory))
    {
        if (random.NextDouble() < 0.9)
        {
            On(visit.DueOn, 16, () => host.Care.RecordVisitAsync(donor, visit.Key, visit.DueOn, "鲜花和慰问金 flowers and a gift", null, "coordinator.wang"));
        }
        else
        {
            On(visit.DueOn, 16, () => host.Care.SkipVisitAsync(donor, visit.Key, "捐献者出差 donor travelling", "coordinator.wang"));
        }
    }
}

// Pads text to a width in terminal columns (a Chinese character takes two).
static string Pad(string text, int width) => text + new string(' ', Math.Max(1, width - text.Sum(ch => ch > 0x2E80 ? 2 : 1)));
