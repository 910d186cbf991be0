// RegistryTour: a year at a district Red Cross branch, in miniature.
// Creates a registry file, enrols volunteers from two campus drives (Bogus zh_CN data), walks them
// through the donor lifecycle with a simulated clock, and prints a summary by state.
//
//   dotnet run --project samples/RegistryTour -- [--out DIR] [--count N] [--seed N]   (--help lists the options)

using DonorRegistry;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Samples;
using DonorRegistry.Hla;
using DonorRegistry.FakeData;
using DonorRegistry.Search;

var cli = new SampleArguments("RegistryTour", "Walks volunteers from two campus drives through the donor lifecycle with a simulated clock: samples,\ntyping, listing, a search and a match case to donation, deferrals and a withdrawal. Prints the registry by state,\none donor's audit trail, and what withdrawal leaves of another.")
    .OutFolder("registry-tour", "the registry file, its key store and the demo key")
    .Integer("--count", "how many volunteers enrol", 40, minimum: 10)
    .Seed("story");
if (cli.Parse(args) is { } exit)
{
    return exit;
}

var outDir = cli.Text("--out");
var count = cli.Integer("--count");
var seed = cli.Integer("--seed");

// Start from an empty folder so every run tells the same story.
if (Directory.Exists(outDir))
{
    Directory.Delete(outDir, recursive: true);
}

Directory.CreateDirectory(outDir);
var dbPath = Path.Combine(outDir, "chaoyang.db");
var keyPath = Path.Combine(outDir, "registry.key");

// A real deployment keeps the registry key in a secrets store; the tour writes it beside the file.
var key = RegistryKey.Generate();
File.WriteAllText(keyPath, key.ToBase64());

var clock = new SimulatedClock(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
using var registry = Registry.Create(new RegistryOptions
{
    DatabasePath = dbPath,
    RegistryKey = key,
    TimeProvider = clock,
    TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),
});
var donors = registry.Donors;
var volunteers = new Volunteers(seed);
var synthetic = new SyntheticHla(seed) { ThreeLocusShare = 0 };
var random = new Random(seed);
DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

// March: two campus drives.
var bisu = new DriveId("BISU-2026-03");
var uibe = new DriveId("UIBE-2026-03");
var enrolled = donors.EnrolMany(volunteers.Many(count / 2, Today(), bisu), "organizer.wang")
    .Concat(donors.EnrolMany(volunteers.Many(count - (count / 2), Today(), uibe), "organizer.zhao"))
    .ToList();
Console.WriteLine($"{Today():yyyy-MM-dd}  enrolled {enrolled.Count} volunteers at {bisu} and {uibe}");

// Health screening finds one ineligible; everyone else gives a blood sample, and the tubes go to the lab.
donors.ScreenOut(enrolled[0].Id, "血红蛋白偏低", "doctor.liu");
var samples = registry.Samples;
foreach (var donor in enrolled.Skip(1))
{
    samples.Collect(donor.Id, $"TUBE-{donor.Id.Value:D6}", SampleKind.BloodEdta, "nurse.chen");
}

samples.Ship("中华骨髓库 HLA 实验室", enrolled.Skip(1).Select(d => $"TUBE-{d.Id.Value:D6}").ToList(), "nurse.chen");
samples.Receive(enrolled.Skip(1).Select(d => $"TUBE-{d.Id.Value:D6}").ToList(), "lab.reception");

// April: the lab rejects two haemolysed tubes; those volunteers give a second sample.
clock.Advance(TimeSpan.FromDays(30));
var second = new List<string>();
foreach (var donor in enrolled.Skip(1).Take(2))
{
    samples.Reject($"TUBE-{donor.Id.Value:D6}", "haemolysed", "lab.reception");
    second.Add(samples.Collect(donor.Id, $"TUBE-{donor.Id.Value:D6}-2", SampleKind.BloodEdta, "nurse.chen").Barcode);
}

samples.Ship("中华骨髓库 HLA 实验室", second, "nurse.chen");
samples.Receive(second, "lab.reception");

// May: typing results come back and the typed donors are listed.
clock.Advance(TimeSpan.FromDays(30));
foreach (var donor in enrolled.Skip(1))
{
    var barcode = samples.FindByDonor(donor.Id)[^1].Barcode;
    samples.RecordTyping(barcode, synthetic.Next(Today()), "lab.hla");
    donors.List(donor.Id, "coordinator.li");
}

Console.WriteLine($"{Today():yyyy-MM-dd}  typed and listed {enrolled.Count - 1} donors");

// June: life happens. Some defer, one moves away, one withdraws consent.
clock.Advance(TimeSpan.FromDays(30));
var listed = enrolled.Skip(1).Select(d => d.Id).ToList();
var moved = listed[^1];
var withdrawn = listed[^2];
donors.Remove(moved, RemovalReason.Moved, "搬到外省", "coordinator.li");
donors.Withdraw(withdrawn, "coordinator.li");
foreach (var id in listed.Skip(3).SkipLast(2).Where(_ => random.NextDouble() < 0.25))
{
    donors.Defer(id, Today().AddDays(random.Next(20, 240)), "出国交流", "coordinator.li");
}

// July: a patient's search finds the donors; the best available one is reserved for the case,
// confirmed by a fresh typing, worked up, and donates PBSC in August.
clock.Advance(TimeSpan.FromDays(30));
// The patient happens to share the typing of one available donor (so the search surely finds someone).
var sibling = donors.FindByState(DonorState.Available, limit: 1)[0];
var patient = HlaTyping.FromLoci(sibling.Typing!.Loci);
var search = registry.Search.Find(new SearchRequest(patient) { MaxMismatches = 2, Limit = 5, PatientCmv = CmvStatus.Negative });
Console.WriteLine($"{Today():yyyy-MM-dd}  search: {search.Candidates} donor(s) within 2 mismatches; best {search.Matches[0].DonorId} ({search.Matches[0].Grade}, age {search.Matches[0].Age})");
var matched = search.Matches[0].DonorId;
var matchCase = registry.Cases.Open(matched, "BJ-TC-2026-0007", "coordinator.li").Id;
registry.Cases.ContactDonor(matchCase, "coordinator.li");
registry.Cases.RecordConsent(matchCase, "coordinator.li");
registry.Cases.RequestCtSample(matchCase, "coordinator.li");
registry.Cases.RecordCtTyping(matchCase, donors.Get(matched).Typing!, "lab.hla");
foreach (var step in new Func<CaseReference, DonorRegistry.Access.Actor, int?, MatchCase>[]
         {
             registry.Cases.Select, registry.Cases.RequestWorkup, registry.Cases.HoldInformationSession,
             registry.Cases.RecordMedicalExam, registry.Cases.Clear, registry.Cases.StartMobilization, registry.Cases.StartApheresis,
         })
{
    step(matchCase, "coordinator.li", null);
}

clock.Advance(TimeSpan.FromDays(35));
registry.Cases.RecordCollection(matchCase, Today(), "coordinator.li");
registry.Cases.DeliverProduct(matchCase, "coordinator.li");
registry.Cases.Close(matchCase, "coordinator.li");
Console.WriteLine($"{Today():yyyy-MM-dd}  donor {matched} donated PBSC for {matchCase}; case closed");

// Through December the calendar returns deferred and resting donors.
for (var month = 0; month < 4; month++)
{
    clock.Advance(TimeSpan.FromDays(30));
    foreach (var change in donors.ApplyCalendar(clock.GetUtcNow()))
    {
        Console.WriteLine($"{Today():yyyy-MM-dd}  calendar: {change.DonorId} {change.From} -> {change.To} ({change.Reason})");
    }
}

// The summary.
Console.WriteLine();
Console.WriteLine($"Registry {registry.DatabasePath} on {Today():yyyy-MM-dd}");
Console.WriteLine($"{"state",-24}{"WMDA",-6}{"donors",6}");
foreach (var (state, n) in donors.CountByState().Where(kv => kv.Value > 0))
{
    var wmda = donors.FindByState(state, limit: 1).FirstOrDefault()?.WmdaStatus?.ToString() ?? "-";
    Console.WriteLine($"{state,-24}{wmda,-6}{n,6}");
}

Console.WriteLine($"{"total",-30}{donors.Count(),6}");
Console.WriteLine();
Console.WriteLine($"Audit trail of {matched}:");
foreach (var t in donors.GetHistory(matched))
{
    Console.WriteLine($"  v{t.Version} {t.At:yyyy-MM-dd} {t.Action,-14} {t.From} -> {t.To}  by {t.Actor}{(t.Reason is null ? "" : $"  ({t.Reason})")}");
}

var personal = donors.GetPersonalData(matched, "coordinator.li", "call the donor about the work-up");
Console.WriteLine();
Console.WriteLine($"Personal data of {matched}, decrypted on request: {personal.FullName}, phone {personal.Phone[..3]}****{personal.Phone[^4..]}");
try
{
    donors.GetPersonalData(withdrawn, "coordinator.li", "check a withdrawn donor");
}
catch (PersonalDataErasedException e)
{
    Console.WriteLine($"Personal data of {withdrawn}: {e.Message}");
}

return 0;
