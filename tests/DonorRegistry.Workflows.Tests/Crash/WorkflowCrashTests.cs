using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Testing;
using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.Crash;

/// <summary>
/// The workflows under SIGKILL: the crash workload (tests/DonorRegistry.Workflows.CrashWorkload) runs drives and
/// their donors' care through the workflows; this test kills it at random points, most of them aimed at the
/// shipment, the receipt, the imports and the reminders, and starts it again on the same files, then lets it finish
/// and checks that every sample trail, listing and notice is there exactly once, every drive closed and every care
/// workflow completed, and no due event belongs to a finished workflow.
/// Short mode (CI): 10 kills. Long mode: set DONORREGISTRY_WORKFLOW_CRASH_KILLS (e.g. 150); the seed of the kill
/// points is DONORREGISTRY_WORKFLOW_CRASH_SEED (default 2026).
/// </summary>
public sealed partial class WorkflowCrashTests
{
    private static readonly string[] AimedPhases = ["ship", "receive", "import", "remind"];

    [Test]
    public void KilledAtRandomPointsAndRestarted_EveryDriveClosesAndEveryTrailListingAndNoticeIsThereExactlyOnce()
    {
        var kills = Setting("DONORREGISTRY_WORKFLOW_CRASH_KILLS", 10);
        var random = new Random(Setting("DONORREGISTRY_WORKFLOW_CRASH_SEED", 2026));
        var drives = Math.Max(3, (kills / 2) + 1);
        var folder = Directory.CreateTempSubdirectory("workflow-crash-").FullName;
        try
        {
            var acks = new List<string>();
            var (rounds, killed) = (0, 0);
            var finished = false;
            while (killed < kills && !finished)
            {
                rounds++;
                var run = Run(folder, drives, random);
                acks.AddRange(run.Acks);
                killed += run.Killed ? 1 : 0;
                finished = !run.Killed;
                if (finished)
                {
                    run.ExitCode.Should().Be(0, run.Error);
                }
            }

            var last = finished ? null : Run(folder, drives, null);
            if (last is not null)
            {
                rounds++;
                acks.AddRange(last.Acks);
                last.ExitCode.Should().Be(0, last.Error);
            }

            var output = last?.Lines ?? [];
            var duplicates = Check(folder, drives, acks);
            var summary = $"workflow crash: {rounds} rounds, {killed} kills, {acks.Count} operations acknowledged, {duplicates} duplicates ({drives} drives)";
            TestContext.Out.WriteLine(summary);
            Console.WriteLine(summary);
            ReliabilityTable.Add(
                "crash (kill -9), workflows",
                $"{ReliabilityTable.N(rounds)} rounds, {ReliabilityTable.N(killed)} kills, {ReliabilityTable.N(acks.Count)} operations acknowledged ({drives} drives)",
                "every sample trail, listing and notice once",
                $"0 lost, {duplicates} doubled",
                "0");
            duplicates.Should().Be(0);
            if (last is not null)
            {
                output.Should().Contain("CHECK due-events-of-finished-workflows 0").And.Contain("DONE");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    /// <summary>Opens what the workload left and checks it; returns how many duplicates it found (the assertions name them).</summary>
    private static int Check(string folder, int drives, IReadOnlyList<string> acks)
    {
        var clock = new SimulatedClock(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        clock.MoveTo(new DateTimeOffset(long.Parse(File.ReadAllText(Path.Combine(folder, "clock.txt")), CultureInfo.InvariantCulture), TimeSpan.Zero));
        using var registry = Registry.Open(new RegistryOptions
        {
            DatabasePath = Path.Combine(folder, "registry.db"),
            RegistryKey = RegistryKey.FromBase64(File.ReadAllText(Path.Combine(folder, "registry.key"))),
            TimeProvider = clock,
        });
        using var host = RegistryWorkflowHost.Start(registry);
        var duplicates = 0;
        foreach (var ack in acks.Select(a => a.Split(' ')))
        {
            switch (ack[0])
            {
                case "collect": registry.Samples.TryGet(ack[2], out _).Should().BeTrue($"the acknowledged sample {ack[2]} is stored"); break;
                case "ship": registry.Samples.FindShipment(ack[2]).Should().NotBeNull($"the acknowledged shipment {ack[2]} is stored"); break;
                case "donation": registry.Care.Get(ack[2]).Should().NotBeNull(); break;
                case "care-complete": host.Care.GetStatus(ack[1]).Should().Be(WorkflowState.Complete); break;
            }
        }

        for (var d = 1; d <= drives; d++)
        {
            var drive = new DriveId($"CRASH-{d:D2}");
            var progress = host.Drives.GetProgress(drive);
            progress.WorkflowState.Should().Be(WorkflowState.Complete, drive.Value);
            progress.Drive.State.Should().Be(Drives.DriveState.Closed);
            duplicates += Extra(registry.Drives.GetHistory(drive).Select(t => t.Action), drive.Value!);
            foreach (var sample in registry.Samples.FindByDrive(drive))
            {
                var trail = registry.Samples.GetHistory(sample.Barcode).Select(t => t.Action).ToList();
                trail[0].Should().Be("Collect");
                duplicates += Extra(trail, sample.Barcode);
            }

            foreach (var donor in registry.Donors.FindByDrive(drive))
            {
                var listed = registry.Donors.GetHistory(donor.Id).Count(t => t.Action == "List");
                listed.Should().Be(donor.State == DonorState.Enrolled ? 0 : 1, $"donor {donor.Id} of {drive} is listed once if typed");
                duplicates += Math.Max(0, listed - 1);
            }

            duplicates += ExtraNotices(host.Drives.GetExecutionLog(drive), drive.Value!, closes: 1);
            foreach (var donor in registry.Donors.FindByDrive(drive))
            {
                foreach (var donation in registry.Care.FindByDonor(donor.Id))
                {
                    host.Care.GetStatus(donation.Id).Should().Be(WorkflowState.Complete, donation.Id);
                    duplicates += ExtraNotices(host.Care.GetExecutionLog(donation.Id), donation.Id, closes: 1);
                }
            }
        }

        return duplicates;
    }

    /// <summary>Counts the actions of one record's trail that appear more than once, and fails naming them.</summary>
    private static int Extra(IEnumerable<string> actions, string record)
    {
        var twice = actions.GroupBy(a => a).Where(g => g.Count() > 1).ToList();
        twice.Should().BeEmpty($"{record}'s trail has each step once");
        return twice.Sum(g => g.Count() - 1);
    }

    /// <summary>Counts notices raised more than once for one occasion (by their subject), and checks the close is there once.</summary>
    private static int ExtraNotices(IReadOnlyList<StepRun> log, string reference, int closes)
    {
        var subjects = log.Where(r => r.Outcome == StepOutcome.Notice).Select(r => NoticeSubject().Match(r.Detail!)).ToList();
        subjects.Should().OnlyContain(m => m.Success, $"every notice of {reference} is a known kind");
        var bySubject = subjects.GroupBy(m => m.Value).ToList();
        bySubject.Where(g => g.Count() > 1).Select(g => g.Key).Should().BeEmpty($"{reference}'s notices are each raised once");
        bySubject.Count(g => g.Key.EndsWith("closed", StringComparison.Ordinal) || g.Key.EndsWith("complete", StringComparison.Ordinal)).Should().Be(closes, $"{reference} closed once");
        return bySubject.Sum(g => g.Count() - 1);
    }

    [GeneratedRegex(@"^(Reminder|Overdue: shipment \S+|Follow-up \S+|Appreciation visit \S+|Drive \S+ closed|Care of donation \S+ complete)")]
    private static partial Regex NoticeSubject();

    /// <summary>One run of the workload; with a random source it is killed (SIGKILL) at a random or an aimed point.</summary>
    private static WorkloadRun Run(string folder, int drives, Random? random)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(WorkloadDll());
        start.ArgumentList.Add(folder);
        start.ArgumentList.Add(drives.ToString(CultureInfo.InvariantCulture));
        var lines = new ConcurrentQueue<string>();
        var firstLine = new ManualResetEventSlim();
        var aimed = random is not null && random.NextDouble() < 0.7 ? AimedPhases[random.Next(AimedPhases.Length)] : null;
        var phaseSeen = new ManualResetEventSlim();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
                firstLine.Set();
                if (aimed is not null && line == "PHASE " + aimed)
                {
                    phaseSeen.Set();
                }
            }
        };
        var error = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => error.AppendLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var killed = false;
        if (random is not null)
        {
            // The clock starts once the workload has opened the registry and printed its first line.
            firstLine.Wait(TimeSpan.FromSeconds(60));
            var wait = aimed is null ? TimeSpan.FromMilliseconds(random.Next(200, 1500)) : TimeSpan.FromMilliseconds(random.Next(0, 250));
            if (aimed is null || phaseSeen.Wait(TimeSpan.FromSeconds(3)))
            {
                Thread.Sleep(wait);
            }

            if (!process.HasExited)
            {
                process.Kill(); // SIGKILL on Linux and macOS
                killed = true;
            }
        }

        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the crash workload did not finish within 3 minutes; it printed:\n{string.Join('\n', lines)}\n{error}");
        }

        process.WaitForExit();
        var all = lines.ToList();
        return new WorkloadRun(killed, killed ? -1 : process.ExitCode, all, all.Where(l => l.StartsWith("ACK ", StringComparison.Ordinal)).Select(l => l[4..]).ToList(), error.ToString());
    }

    private static string WorkloadDll()
    {
        // The tests run from tests/DonorRegistry.Workflows.Tests/bin/CONFIGURATION/TFM; the workload is built to the same place of its own.
        var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var tests = testDirectory.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(tests, "DonorRegistry.Workflows.CrashWorkload", "bin", testDirectory.Parent!.Name, testDirectory.Name, "DonorRegistry.Workflows.CrashWorkload.dll");
        File.Exists(dll).Should().BeTrue($"the workload is built with the tests (a project reference), so {dll} exists");
        return dll;
    }

    private sealed record WorkloadRun(bool Killed, int ExitCode, IReadOnlyList<string> Lines, IReadOnlyList<string> Acks, string Error);
}
