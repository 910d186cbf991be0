// The workflows' crash workload: a child process that the crash test (tests/DonorRegistry.Workflows.Tests/Crash)
// kills with SIGKILL at random points and starts again on the same files. It runs campus drives through their
// workflows (lecture, enrolment, samples, shipping reminder, shipment, a rejection and an early typing, receipt,
// overdue flag, two typing imports, listing, close) and then each drive's first listed donor through a donation
// and its care workflow (reviews, follow-ups, visits skipped, close), all donations at once so that ten years pass once. Every step resumes from what the registry and
// the workflows show, so a restart goes on where the kill left it. It prints one line per acknowledged operation
// ("ACK ...") and one before each phase the test aims its kills at ("PHASE ship|receive|import|remind|review"),
// and at the end "CHECK due-events-of-finished-workflows N" and "DONE".
//
//   dotnet DonorRegistry.Workflows.CrashWorkload.dll FOLDER DRIVES

using System.Text;
using DonorRegistry;
using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Workflows;
using DonorRegistry.Workflows.CampusDrive;

if (args.Length != 2 || !int.TryParse(args[1], out var driveCount) || driveCount < 1)
{
    Console.Error.WriteLine("usage: DonorRegistry.Workflows.CrashWorkload FOLDER DRIVES");
    return 2;
}

var folder = args[0];
Directory.CreateDirectory(folder);
var clock = Files.Clock(folder);
using var registry = Registry.Open(Files.Options(folder, clock));
await using var host = RegistryWorkflowHost.Start(registry, Files.Workflows);
var work = new Workload(registry, host, clock, folder);
for (var d = 1; d <= driveCount; d++)
{
    await work.DriveAsync(Files.Drive(d));
}

var donations = new List<string>();
for (var d = 1; d <= driveCount; d++)
{
    if (await work.DonateAsync(Files.Drive(d)) is { } donation)
    {
        donations.Add(donation);
    }
}

await work.CareAsync(donations);

Console.WriteLine($"CHECK due-events-of-finished-workflows {host.Store.FindDueEventsOfFinishedWorkflows().Count}");
Console.WriteLine("DONE");
return 0;

/// <summary>The files the workload and the test share: the registry, its key, the simulated clock.</summary>
internal static class Files
{
    public const string Lab = "中华骨髓库 HLA 实验室";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static DonorRegistry.Donors.DriveId Drive(int number) => new($"CRASH-{number:D2}");

    public static void Workflows(WorkflowsOptions o)
    {
        o.PollInterval = TimeSpan.FromMilliseconds(50);
        o.ErrorRetryInterval = TimeSpan.FromMilliseconds(100);
        o.ShipWithin = TimeSpan.FromMilliseconds(300);
        o.ResultsWithin = TimeSpan.FromMilliseconds(600);
        o.CareReviewEvery = TimeSpan.FromMilliseconds(200);
        o.StepTimeout = TimeSpan.FromSeconds(60);
    }

    /// <summary>The registry's options; the key is made once and kept beside the database.</summary>
    public static RegistryOptions Options(string folder, TimeProvider clock)
    {
        var keyFile = Path.Combine(folder, "registry.key");
        if (!File.Exists(keyFile))
        {
            Replace(keyFile, RegistryKey.Generate().ToBase64());
        }

        return new RegistryOptions { DatabasePath = Path.Combine(folder, "registry.db"), RegistryKey = RegistryKey.FromBase64(File.ReadAllText(keyFile)), TimeProvider = clock, CreateIfMissing = true };
    }

    /// <summary>The simulated clock, where the last run left it (it is written before it moves, so it never goes back).</summary>
    public static SimulatedClock Clock(string folder)
    {
        var file = Path.Combine(folder, "clock.txt");
        var clock = new SimulatedClock(Start);
        if (File.Exists(file))
        {
            clock.MoveTo(new DateTimeOffset(long.Parse(File.ReadAllText(file), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero));
        }

        return clock;
    }

    public static void Advance(string folder, SimulatedClock clock, TimeSpan by)
    {
        Replace(Path.Combine(folder, "clock.txt"), (clock.GetUtcNow() + by).UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        clock.Advance(by);
    }

    private static void Replace(string file, string text)
    {
        File.WriteAllText(file + ".tmp", text);
        File.Move(file + ".tmp", file, overwrite: true);
    }
}

/// <summary>The drives, then their donors' care, each step resumed from what the registry and the workflows show.</summary>
internal sealed class Workload(Registry registry, RegistryWorkflowHost host, SimulatedClock clock, string folder)
{
    private const string By = "organizer.crash";
    private const int Volunteers = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static void Ack(string line) => Console.WriteLine("ACK " + line);

    private static void Phase(string name) => Console.WriteLine("PHASE " + name);

    public async Task DriveAsync(DonorRegistry.Donors.DriveId drive)
    {
        if (!registry.Drives.TryGet(drive, out _) || host.Store.FindByReference(drive.Value!).Count == 0)
        {
            var plan = new DonorRegistry.Drives.DrivePlan(drive, $"{drive} 校园招募", DonorRegistry.Drives.DriveKind.Campus, "朝阳区红十字会", "对外经贸大学", Today, Today.AddDays(2), 50);
            await host.Drives.StartDriveAsync(plan, Files.Lab, By);
            Ack($"start {drive}");
        }

        while (host.Drives.GetProgress(drive).NextEvent is { } next)
        {
            switch (next)
            {
                case DriveEvents.LectureHeld:
                    await host.Drives.RecordLectureAsync(drive, "诚信楼 101", Today, 80, "李医生", By);
                    Ack($"lecture {drive}");
                    break;
                case DriveEvents.EnrolmentOpened:
                    await host.Drives.OpenEnrolmentAsync(drive, By);
                    Ack($"open {drive}");
                    break;
                case DriveEvents.EnrolmentClosed:
                    // After a restart the workflow may have taken EnrolmentOpened (so it expects EnrolmentClosed next)
                    // before its step opened the drive in the registry: enrolment is refused until it has caught up.
                    await UntilOpenAsync(drive);
                    Collect(drive);
                    await host.Drives.CloseEnrolmentAsync(drive, By);
                    Ack($"close-enrolment {drive}");
                    break;
                case DriveEvents.ShipmentDispatched:
                    Phase("remind");
                    await Task.Delay(450); // past ShipWithin: the shipping reminder fires
                    Phase("ship");
                    var shipment = await host.Drives.DispatchShipmentAsync(drive, By);
                    Ack($"ship {drive} {shipment?.Id}");
                    break;
                case DriveEvents.SamplesReceived:
                    await ReceiveAsync(drive);
                    break;
                default:
                    await ImportAsync(drive);
                    break;
            }
        }

        await host.Drives.WaitUntilClosedAsync(drive, Patience);
        Ack($"closed {drive}");
    }

    /// <summary>The drive's first listed donor donates (a case, the donation, its care workflow); returns the donation.</summary>
    public async Task<string?> DonateAsync(DonorRegistry.Donors.DriveId drive)
    {
        var donor = registry.Donors.FindByDrive(drive).OrderBy(d => d.Id.Value).FirstOrDefault(d => d.State is DonorState.Available or DonorState.Reserved or DonorState.Donated);
        if (donor is null)
        {
            return null;
        }

        var donation = registry.Care.FindByDonor(donor.Id).FirstOrDefault();
        if (donation is null)
        {
            var matchCase = registry.Cases.FindByDonor(donor.Id).FirstOrDefault() ?? registry.Cases.Open(donor.Id, "PAT-" + drive.Value, By);
            Ack($"case {drive} {matchCase.Id}");
            donation = await host.Care.RecordDonationAsync(donor.Id, new DonationDetails(matchCase.Id, DonationProduct.Pbsc, Today, Today, 5, "朝阳医院采集中心", DonationOutcome.Completed), "coordinator.crash");
            Ack($"donation {drive} {donation.Id}");
        }
        else if (host.Care.GetStatus(donation.Id) is null)
        {
            await host.Care.StartCareAsync(donation.Id);
            Ack($"care-started {drive} {donation.Id}");
        }

        return donation.Id;
    }

    /// <summary>Forty days pass (the reviews list what fell due), then ten years; every follow-up is recorded and every visit skipped.</summary>
    public async Task CareAsync(IReadOnlyList<string> donations)
    {
        if (donations.Count == 0)
        {
            return;
        }

        var donated = donations.Max(d => registry.Care.Get(d).Details.CollectionEnd);
        Phase("review");
        if (Today < donated.AddDays(40))
        {
            Files.Advance(folder, clock, TimeSpan.FromDays(40)); // follow-ups fall due: the reviews list them
        }

        await Task.Delay(500);
        if (Today < donated.AddDays(3700))
        {
            Files.Advance(folder, clock, TimeSpan.FromDays(3700)); // past the tenth yearly check
        }

        foreach (var donation in donations.Where(d => host.Care.GetStatus(d) != WorkflowState.Complete))
        {
            var record = registry.Care.Get(donation);
            foreach (var followUp in record.FollowUps.Where(f => !f.IsDone))
            {
                await host.Care.RecordFollowUpAsync(record.Id, followUp.Key, followUp.DueOn, DonorHealth.Well, null, null, "nurse.crash");
                Ack($"follow-up {record.Id} {followUp.Key}");
            }

            foreach (var visit in registry.Care.Get(donation).Visits.Where(v => v.State == VisitState.Due))
            {
                await host.Care.SkipVisitAsync(record.Donor, visit.Key, "捐献者婉拒", "coordinator.crash");
                Ack($"visit-skipped {record.Id} {visit.Key}");
            }

            await host.Care.WaitUntilCompleteAsync(record.Id, Patience);
            Ack($"care-complete {record.Id}");
        }
    }

    private async Task UntilOpenAsync(DonorRegistry.Donors.DriveId drive)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (registry.Drives.Get(drive).State == DonorRegistry.Drives.DriveState.Planned && waited.Elapsed < Patience)
        {
            await Task.Delay(20);
        }
    }

    /// <summary>Enrols the drive's volunteers (once: one write for all) and collects a sample from each that has none.</summary>
    private void Collect(DonorRegistry.Donors.DriveId drive)
    {
        var donors = registry.Donors.FindByDrive(drive).OrderBy(d => d.Id.Value).ToList();
        if (donors.Count == 0)
        {
            donors = [.. host.Drives.Enrol(drive, new Volunteers(2026 + (7919 * int.Parse(drive.Value!["CRASH-".Length..], System.Globalization.CultureInfo.InvariantCulture))).Many(Volunteers, Today), By)];
            Ack($"enrol {drive} {donors.Count}");
        }

        for (var i = 0; i < donors.Count; i++)
        {
            if (registry.Samples.FindByDonor(donors[i].Id).Count == 0)
            {
                var sample = host.Drives.CollectSample(drive, donors[i].Id, $"{drive}-{i}", SampleKind.BloodEdta, "nurse.crash");
                Ack($"collect {drive} {sample.Barcode}");
            }
        }
    }

    /// <summary>The lab rejects one tube and types another before the receipt is recorded; then the receipt of them all.</summary>
    private async Task ReceiveAsync(DonorRegistry.Donors.DriveId drive)
    {
        var tubes = registry.Samples.FindByDrive(drive).OrderBy(s => s.Barcode, StringComparer.Ordinal).ToList();
        if (tubes[0].State == SampleState.Shipped)
        {
            registry.Samples.Reject(tubes[0].Barcode, "溶血 (haemolysed)", "lab.crash");
            Ack($"reject {tubes[0].Barcode}");
        }

        if (tubes[1].State == SampleState.Shipped)
        {
            registry.Samples.ImportTypingResults(Csv([tubes[1]]), Files.Lab, Today, "lab.crash", "early.csv");
            Ack($"typed-early {tubes[1].Barcode}");
        }

        Phase("receive");
        await host.Drives.RecordSamplesReceivedAsync(drive, "lab.reception", [.. tubes.Select(t => t.Barcode)]);
        Ack($"receive {drive}");
        await Task.Delay(700); // past ResultsWithin: the shipment is flagged overdue
    }

    /// <summary>The results in two files; a file imported again changes nothing and tells the drive again.</summary>
    private async Task ImportAsync(DonorRegistry.Donors.DriveId drive)
    {
        var tubes = registry.Samples.FindByDrive(drive).Where(s => s.State != SampleState.Rejected).OrderBy(s => s.Barcode, StringComparer.Ordinal).ToList();
        var waiting = tubes.Where(s => s.State != SampleState.Typed).ToList();
        var file = waiting.Count == 0 ? tubes : waiting.Take(Math.Max(1, waiting.Count / 2)).ToList();
        Phase("import");
        DonorRegistry.Samples.TypingImportResult result;
        try
        {
            result = await host.Drives.ImportTypingResultsAsync(drive, Csv(file), Files.Lab, Today, "lab.import", "results.csv");
        }
        catch (DonorRegistry.Workflows.CampusDrive.DriveWorkflowException) when (host.Drives.GetProgress(drive).NextEvent is null)
        {
            return; // the previous file's results closed the drive while this one was being read: nothing left to import
        }

        Ack($"import {drive} {result.Imported} {result.AlreadyImported}");
        if (registry.Samples.FindByDrive(drive).All(s => s.State is SampleState.Typed or SampleState.Rejected))
        {
            await host.Drives.WaitUntilClosedAsync(drive, Patience);
        }
    }

    private MemoryStream Csv(IEnumerable<Sample> samples) =>
        new(Encoding.UTF8.GetBytes(LabResults.Csv(samples.Select(s => (s.Barcode, DonorRegistry.FakeData.Volunteers.Typing(Today) with { Lab = Files.Lab })))));
}
