// YearAtBranch: a year of a district Red Cross branch, replayed from an empty registry.
// 202 knowledge lectures, 24 campus and community drives run as workflows, 1,036 samples entered into the
// registry, patient searches and match cases, 60 donations with their follow-ups and appreciation visits (as
// donor-care workflows), and World Marrow Donor Day recognition of the donors who consented. Prints the year's
// report, and writes it as CSV and charts to an output folder.
//
//   dotnet run --project samples/YearAtBranch -- [--out DIR] [--seed N]   (--help lists the options)

using System.Diagnostics;
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

var cli = new SampleArguments("YearAtBranch", "Replays 2026 at a district Red Cross branch from an empty registry: 202 lectures, 24 drives run as workflows,\n1,036 samples entered, 60 donations with their care. Prints the year's report and writes it as CSV and PNG charts.\nExits 1 unless the report shows 202 lectures, 1,036 samples entered and 60 donations.")
    .OutFolder("year-at-branch", "the registry file, the CSV files and the charts")
    .Seed("year");
if (cli.Parse(args) is { } exit)
{
    return exit;
}

var watch = Stopwatch.StartNew();
var outDir = Path.GetFullPath(cli.Text("--out"));
var seed = cli.Integer("--seed");
const int Year = 2026;
var beijing = TimeSpan.FromHours(8);

if (Directory.Exists(outDir))
{
    Directory.Delete(outDir, recursive: true);
}

Directory.CreateDirectory(outDir);
var clock = new SimulatedClock(new DateTimeOffset(Year, 1, 2, 9, 0, 0, beijing));
using var registry = Registry.Create(new RegistryOptions
{
    DatabasePath = Path.Combine(outDir, "haidian-2026.db"),
    RegistryKey = RegistryKey.Generate(),
    TimeProvider = clock,
    TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),
});
await using var host = RegistryWorkflowHost.Start(registry, o => o.PollInterval = TimeSpan.FromSeconds(1));
var random = new Random(seed);
var volunteers = new Volunteers(seed);
var hla = new SyntheticHla(seed) { ThreeLocusShare = 0 };
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

// ---- Drives: 24 of them, every twelve days from February, each with lectures, enrolment and samples -----------
(string Code, string Name, DriveKind Kind, string Venue)[] places =
[
    ("PKU", "北京大学", DriveKind.Campus, "北京大学百年纪念讲堂"), ("THU", "清华大学", DriveKind.Campus, "清华大学大礼堂"),
    ("BNU", "北京师范大学", DriveKind.Campus, "北京师范大学英东学术会堂"), ("RUC", "中国人民大学", DriveKind.Campus, "中国人民大学如论讲堂"),
    ("BUAA", "北京航空航天大学", DriveKind.Campus, "北航晨兴音乐厅"), ("BIT", "北京理工大学", DriveKind.Campus, "北理工中心教学楼"),
    ("MUC", "中央民族大学", DriveKind.Campus, "民大礼堂"), ("BJTU", "北京交通大学", DriveKind.Campus, "北交大思源楼"),
    ("ZGC", "中关村街道", DriveKind.Community, "中关村街道社区服务中心"), ("XYL", "学院路街道", DriveKind.Community, "学院路街道文体中心"),
    ("WSL", "万寿路街道", DriveKind.Community, "万寿路街道党群服务中心"), ("BLZ", "八里庄街道", DriveKind.Community, "八里庄街道市民活动中心"),
];
int[] rotation = [0, 1, 2, 8, 3, 9, 0, 4, 1, 10, 2, 5, 11, 6, 0, 8, 7, 1, 9, 2, 10, 3, 11, 4];
var driveLectures = YearPlan.Split(150, YearPlan.Drives, random);
var driveSamples = YearPlan.Split(YearPlan.SamplesEntered, YearPlan.Drives, random);
var drives = new List<DriveId>();
for (var i = 0; i < YearPlan.Drives; i++)
{
    var place = places[rotation[i]];
    var start = new DateOnly(Year, 2, 2).AddDays(i * 12);
    var id = new DriveId($"{place.Code}-{start:yyyyMMdd}");
    drives.Add(id);
    var plan = new DrivePlan(id, $"{place.Name} {start:M月d日} 造血干细胞捐献者招募", place.Kind, "海淀区红十字会", place.Venue, start, start.AddDays(1), driveSamples[i] + 10);
    var typed = driveSamples[i];
    var rejected = Math.Min(random.Next(0, 4), typed - 1);
    var noShows = random.Next(1, 6);
    var lectures = driveLectures[i];
    var badRow = i % 6 == 5;
    var sampled = new List<Sample>();

    On(start.AddDays(-14), 9, () => host.Drives.StartDriveAsync(plan, Lab, Organizer));
    for (var j = 0; j < lectures; j++)
    {
        var day = start.AddDays(-1 - (j % 7));
        var audience = place.Kind == DriveKind.Campus ? random.Next(60, 260) : random.Next(25, 90);
        var room = place.Kind == DriveKind.Campus ? $"{place.Name}第{1 + (j % 4)}教学楼" : place.Venue;
        On(day, 14, () => host.Drives.RecordLectureAsync(id, room, day, audience, j % 2 == 0 ? "李医生" : "张医生", Organizer));
    }

    On(start, 9, async () =>
    {
        await host.Drives.OpenEnrolmentAsync(id, Organizer);
        var donors = host.Drives.Enrol(id, volunteers.Many(typed + noShows, Today()), Organizer);
        sampled.AddRange(donors.Take(typed).Select((d, k) => host.Drives.CollectSample(id, d.Id, $"{id.Value}-{k + 1:D3}", SampleKind.BloodEdta, "nurse.chen")));
    });
    On(start.AddDays(1), 17, () => host.Drives.CloseEnrolmentAsync(id, Organizer));
    On(start.AddDays(2), 10, () => host.Drives.DispatchShipmentAsync(id, Organizer));
    On(start.AddDays(4), 10, () => host.Drives.RecordSamplesReceivedAsync(id, "lab.reception"));
    string[] reasons = ["溶血 haemolysed", "血量不足 insufficient volume", "标签错误 mislabelled"];
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
    });
}

// ---- Stand-alone lectures in the communities: the rest of the 202 ---------------------------------------------
var standalone = YearPlan.Lectures - driveLectures.Sum();
for (var j = 0; j < standalone; j++)
{
    var day = new DateOnly(Year, 1, 10).AddDays(j * 340 / standalone);
    var place = places[8 + (j % 4)];
    var audience = random.Next(20, 80);
    OnSync(day, 15, () => registry.Drives.RecordLecture(null, place.Venue, day, audience, "王老师", Organizer));
}

// ---- Searches and match cases: 60 go to donation, 25 stop on the way, 40 searches open no case ----------------
var outcomes = Enumerable.Repeat(true, YearPlan.Donations).Concat(Enumerable.Repeat(false, 25)).OrderBy(_ => random.Next()).ToList();
var consenting = new List<DonorId>();
var donated = new List<(DonorId Donor, DateOnly On)>();
var reserved = new HashSet<long>();
for (var c = 0; c < outcomes.Count; c++)
{
    var opens = new DateOnly(Year, 3, 2).AddDays(c * 230 / outcomes.Count);
    var goes = outcomes[c];
    var patient = $"BJ-TC-{Year}-{c + 1:D4}";
    var marrow = random.NextDouble() < 0.1;
    On(opens, 9, async () =>
    {
        var matchCase = OpenCase(patient);
        if (matchCase is null)
        {
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

for (var s = 0; s < 40; s++)
{
    OnSync(new DateOnly(Year, 4, 1).AddDays(s * 6), 11, () => Search(2));
}

// ---- World Marrow Donor Day and the year-end certificates, for donors who consented --------------------------------
var wmdd = ObservanceCalendar.WorldMarrowDonorDay(Year);
On(wmdd, 10, async () =>
{
    foreach (var donor in consenting.Where(d => donated.Any(x => x.Donor == d && x.On < wmdd)))
    {
        await host.Care.ApproveRecognitionAsync(donor, RecognitionKind.WorldMarrowDonorDayStory, $"世界骨髓捐献者日: 第 {donor.Value} 号捐献者的故事", Today(), "director.zhang");
    }
});
On(new DateOnly(Year, 12, 20), 10, async () =>
{
    foreach (var donor in consenting)
    {
        await host.Care.ApproveRecognitionAsync(donor, RecognitionKind.Certificate, "造血干细胞捐献荣誉证书", Today(), "director.zhang");
    }
});
for (var week = new DateOnly(Year, 1, 5); week.Year == Year; week = week.AddDays(7))
{
    OnSync(week, 7, () => registry.Donors.ApplyCalendar(clock.GetUtcNow(), "calendar"));
}

// ---- Replay ------------------------------------------------------------------------------------------------------
Console.WriteLine($"Replaying {Year} at the Haidian district branch (seed {seed}) into {outDir}");
var month = 0;
while (agenda.TryDequeue(out var action, out var when))
{
    if (when.At.ToOffset(beijing).Month != month && when.At.Year == Year)
    {
        if (month > 0)
        {
            Progress(month);
        }

        month = when.At.ToOffset(beijing).Month;
    }

    clock.MoveTo(when.At);
    await action();
}

Progress(month);
clock.MoveTo(At(new DateOnly(Year + 1, 1, 1), 9));

// ---- The year's report -----------------------------------------------------------------------------------------------
var report = registry.Reports.Build(ReportPeriod.Year(Year));
Console.WriteLine();
Console.WriteLine($"The year {Year} at the Haidian district branch");
foreach (var line in report.Lines())
{
    Console.WriteLine($"  {line.Section,-12} {line.Metric,-26} {line.Value,7:N0}  {line.Counts.ToString().ToLowerInvariant(),-6}  {line.Meaning}");
}

using (var csv = File.Create(Path.Combine(outDir, "report-2026.csv")))
{
    ReportExport.WriteCsv(report, csv);
}

var compared = registry.Reports.CompareDrives(ReportPeriod.Year(Year));
using (var csv = File.Create(Path.Combine(outDir, "drives-2026.csv")))
{
    ReportExport.WriteDrivesCsv(compared, csv);
}

using (var csv = File.Create(Path.Combine(outDir, "recognitions-2026.csv")))
{
    ReportExport.WriteRecognitionsCsv(registry.Care.FindPublishableRecognitions(new DateOnly(Year, 1, 1), new DateOnly(Year, 12, 31)), csv);
}

ReportCharts.RecruitmentFunnel(report, Path.Combine(outDir, "funnel-2026.png"));
ReportCharts.DonationsPerMonth(Year, registry.Reports.DonationsPerMonth(Year), Path.Combine(outDir, "donations-per-month-2026.png"));
ReportCharts.DrivesByYield(compared, Path.Combine(outDir, "drives-by-yield-2026.png"));

Console.WriteLine();
Console.WriteLine($"Reference numbers: {report.Lectures} lectures, {report.SamplesEntered:N0} samples entered into the registry, {report.DonorsWhoDonated} donors donated");
Console.WriteLine($"Written to {outDir}: report-2026.csv, drives-2026.csv, recognitions-2026.csv, funnel-2026.png, donations-per-month-2026.png, drives-by-yield-2026.png");
Console.WriteLine($"Wall time {watch.Elapsed.TotalSeconds:F1} s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
return report.Lectures == YearPlan.Lectures && report.SamplesEntered == YearPlan.SamplesEntered && report.DonorsWhoDonated == YearPlan.Donations && report.Donations == YearPlan.Donations ? 0 : 1;

// ---- Helpers -----------------------------------------------------------------------------------------------------------
MatchCase? OpenCase(string patient)
{
    // The patient's typing is that of a listed donor, so that the search has someone to find.
    var available = registry.Donors.FindByState(DonorState.Available, 0, 100_000).Where(d => !reserved.Contains(d.Id.Value)).ToList();
    if (available.Count == 0)
    {
        return null;
    }

    var twin = available[random.Next(available.Count)];
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
    var twin = registry.Donors.FindByState(DonorState.Available, random.Next(0, 200), 1).FirstOrDefault();
    if (twin is not null)
    {
        registry.Search.Find(new SearchRequest(HlaTyping.FromLoci(hla.Next(Today()).Loci)) { MaxMismatches = mismatches, Limit = 20 });
    }
}

void PlanCare(DonationRecord record)
{
    var donor = record.Donor;
    var end = new DateOnly(Year, 12, 31);
    OnSync(record.Details.CollectionEnd.AddDays(1), 11, () =>
    {
        if (random.NextDouble() < 0.7)
        {
            registry.Care.GivePublicityConsent(donor, Coordinator);
            consenting.Add(donor);
        }
    });
    foreach (var followUp in record.FollowUps.Where(f => f.DueOn <= end))
    {
        var day = followUp.DueOn.AddDays(random.Next(0, 4));
        if (day <= end && random.NextDouble() < 0.92)
        {
            var unwell = random.NextDouble() < 0.1;
            On(day, 15, () => host.Care.RecordFollowUpAsync(record.Id, followUp.Key, day, unwell ? DonorHealth.MinorComplaints : DonorHealth.Well,
                unwell ? [new AdverseEvent("乏力 tiredness", AdverseEventSeverity.Mild, day)] : null, "电话随访 phone call", "nurse.zhao"));
        }
    }

    foreach (var visit in record.Visits.Where(v => v.DueOn <= end))
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

void Progress(int m)
{
    var period = new ReportPeriod(new DateOnly(Year, m, 1), new DateOnly(Year, m, 1).AddMonths(1).AddDays(-1));
    var r = registry.Reports.Build(period);
    Console.WriteLine($"{Year}-{m:D2}  lectures {r.Lectures,3}  enrolled {r.Enrolled,4}  samples entered {r.SamplesEntered,4}  listed {r.DonorsListed,4}  searches {r.Searches,3}  cases {r.CasesOpened,2}  donations {r.Donations,2}  follow-ups {r.FollowUpsDone,3}  visits {r.VisitsDone,3}   ({watch.Elapsed.TotalSeconds:F1} s)");
}
