using System.Diagnostics;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.MultiInstance.Tests.Support;
using DonorRegistry.Samples;
using FluentAssertions;
using Npgsql;
using NUnit.Framework;

namespace DonorRegistry.MultiInstance.Tests.PostgreSql;

/// <summary>
/// Issue 13, "two instances never run the same workflow step at once, under a drive workflow with a restart" (ADR 19's
/// advisory lock per workflow, across processes): three worker processes on one registry, the workflows kept in
/// PostgreSQL (<c>AddWorkflows(o =&gt; o.UsePostgreSql(...))</c>, the advisory-lock provider). Instance a (the only one
/// that enrols: the per-donor keys are a local file) runs three drives at once from plan to close through its facade and
/// runs no step itself; b and c run every step, each taking runnable drives from the store, so both contend for every
/// drive. Mid-drive (every enrolment closed), the first of them seen starting a step is killed with SIGKILL and started
/// again. Every drive closes, each of its side effects is in the registry once, and the start and end of every step run,
/// written by each process with its id, show no two runs of the same workflow's step (nor of the same workflow)
/// overlapping in time; the execution log's own times show the same.
/// </summary>
[NonParallelizable]
public sealed class DriveWorkflowAcrossInstancesTests
{
    private const int Drives = 3;
    private const int Volunteers = 4;

    [Test]
    public void ThreeInstancesHostingThreeDrives_OneKilledMidDriveAndStartedAgain_EveryDriveClosesOnce_AndNoStepRunsInTwoPlacesAtOnce()
    {
        var clock = Stopwatch.StartNew();
        using var registry = new SharedRegistry(1);
        var workflows = registry.Schema.Name + "_wf";
        using var dropWorkflows = new PgServer.Schema(PgServer.Required(), workflows);
        var steps = Directory.CreateDirectory(Path.Combine(registry.Folder, "steps")).FullName;
        var keys = new[] { "a", "b", "c" }.Select(registry.KeyStoreCopy).ToArray();
        WorkerProcess Start(string keyStore, params string[] more) =>
            new(registry.Schema.ConnectionString, registry.Key, keyStore, ["workflows", workflows, steps, .. more]);

        // a raises the events and runs no step; b and c run every step, each taking runnable drives from the store.
        var workers = new[] { (keys[0], "events-only"), (keys[1], null), (keys[2], null) }.AsParallel().AsOrdered()
            .Select(k => k.Item2 is { } mode ? Start(k.Item1, mode) : Start(k.Item1)).ToArray();
        var driver = workers[0].Id;
        int killed;
        long killedAt;
        string done;
        try
        {
            workers[0].Send($"drives {Drives} {Volunteers}");

            // Mid-drive: every drive's enrolment is closed and the drives go on; the first of b and c seen starting a
            // step from then on is killed (after 20 s without one, b, wherever it is) and started again.
            while (workers[0].Expect(string.Empty, TimeSpan.FromSeconds(50)) is var line && line != "stage enrolment-closed")
            {
                line.Should().NotStartWith("drives-", $"the drives are still under way; the driver's errors: {workers[0].Errors}");
            }

            workers[1].Drain();
            workers[2].Drain();
            var (victim, step) = (1, (string?)null);
            var waited = Stopwatch.StartNew();
            while (step is null && waited.Elapsed < TimeSpan.FromSeconds(20))
            {
                foreach (var i in new[] { 1, 2 })
                {
                    if (step is null && workers[i].Next("step ", TimeSpan.FromMilliseconds(20)) is { } started)
                    {
                        (victim, step) = (i, started);
                    }
                }
            }

            killed = workers[victim].Id;
            // The cut run ends when the signal is sent: a process sent SIGKILL runs no more of its code, and its locks
            // go only once it is dead. Kill also waits for the process to be reaped, which on a loaded machine can be
            // long after another instance has taken the lock and started a step (a CI run saw 70 ms), so the moment
            // is taken before the kill, not after it.
            killedAt = Stopwatch.GetTimestamp();
            workers[victim].Kill();
            TestContext.Out.WriteLine($"killed instance {(char)('a' + victim)} (process {killed}) {clock.Elapsed.TotalSeconds:F1} s in, after '{step ?? "no step seen starting"}'");
            workers[victim].Dispose();

            // Its key store again: a's, copied now that every enrolment is done (cp: a holds the file's advisory lock,
            // which .NET's File.Copy respects; a writes no slot after its enrolments).
            var fresh = Path.Combine(registry.Folder, $"{(char)('a' + victim)}2.keys");
            Copy(keys[0], fresh);
            Copy(DonorRegistry.Protection.WithdrawalLedger.PathFor(keys[0]), DonorRegistry.Protection.WithdrawalLedger.PathFor(fresh));
            workers[victim] = Start(fresh);

            done = workers[0].Expect("drives-", TimeSpan.FromSeconds(60)) + $" (the driver's errors: {workers[0].Errors})";
        }
        finally
        {
            foreach (var worker in workers.Where(w => w.Errors.Length > 0))
            {
                TestContext.Out.WriteLine($"process {worker.Id} wrote to stderr: {worker.Errors}");
            }

            foreach (var worker in workers)
            {
                worker.Dispose(); // "quit": each host stops, letting its running step finish
            }
        }

        // The registry: each drive closed once, its samples shipped once and typed, its donors listed once.
        // Every step run, from each process's own record: none overlaps another run of the same workflow step, nor of the same workflow.
        var runs = StepRuns.Read(steps, killed, killedAt);
        var first = runs.Min(r => r.Start);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, runs.OrderBy(r => r.Start).Select(r => FormattableString.Invariant(
            $"{(r.Start - first) * 1000.0 / Stopwatch.Frequency,8:F0} ms {(r.End - r.Start) * 1000.0 / Stopwatch.Frequency,5:F0} ms  process {r.Process}  {r.Workflow[..8]} {r.Name}{(r.Cut ? " (cut by the kill)" : string.Empty)}"))));
        var byProcess = runs.GroupBy(r => r.Process).ToDictionary(g => g.Key, g => g.Count());
        var sharedWorkflows = runs.GroupBy(r => r.Workflow).Count(g => g.Select(r => r.Process).Distinct().Count() > 1);
        var repeated = runs.GroupBy(r => (r.Workflow, r.Step)).Count(g => g.Count() > 1);
        TestContext.Out.WriteLine($"{runs.Count} step runs in {byProcess.Count} processes ({string.Join(", ", byProcess.Select(p => $"{p.Key}: {p.Value}"))}); {runs.Count(r => r.Cut)} cut by the kill; {sharedWorkflows} of {Drives} workflows ran steps in more than one process; {repeated} workflow steps ran more than once (waits run twice, loops and runs again after the kill)");
        var sameStep = StepRuns.Overlapping(runs, r => (r.Workflow, r.Step));
        var sameWorkflow = StepRuns.Overlapping(runs, r => r.Workflow);
        TestContext.Out.WriteLine($"overlapping pairs of runs: {sameStep.Count} of the same workflow step, {sameWorkflow.Count} of the same workflow");
        byProcess.Keys.Should().Contain(killed, "the killed instance had run steps");
        byProcess.Keys.Should().NotContain(driver, "the instance raising the events runs no step");
        byProcess.Should().HaveCountGreaterThanOrEqualTo(2, "b and c ran the steps (and the one killed, started again, when the drives left it any)");
        sharedWorkflows.Should().BeGreaterThan(0, "a workflow whose steps all ran in one process would prove nothing about two");
        sameStep.Should().BeEmpty("two instances never run the same workflow step at once");
        sameWorkflow.Should().BeEmpty("nor any two steps of one workflow: the lock is per workflow");

        if (!done.StartsWith("drives-done", StringComparison.Ordinal))
        {
            // What the store held when a drive did not close: its workflows, their subscriptions and the events.
            Dump(registry.Schema.ConnectionString, $"SELECT reference, id, status, next_execution FROM \"{workflows}\".workflow ORDER BY reference");
            Dump(registry.Schema.ConnectionString, $"SELECT event_key, event_name, subscribe_as_of_ticks, external_token, workflow_id FROM \"{workflows}\".subscription ORDER BY event_key, subscribe_as_of_ticks");
            Dump(registry.Schema.ConnectionString, $"SELECT event_key, event_name, event_time_ticks, is_processed FROM \"{workflows}\".event ORDER BY event_key, event_time_ticks");
        }

        done.Should().StartWith("drives-done", "every drive runs to its close");

        // The driver's key store (the others' copies are older than its enrolments), copied now that it is closed.
        var checkKeys = Path.Combine(registry.Folder, "check.keys");
        File.Copy(keys[0], checkKeys);
        File.Copy(DonorRegistry.Protection.WithdrawalLedger.PathFor(keys[0]), DonorRegistry.Protection.WithdrawalLedger.PathFor(checkKeys));
        using var check = Registry.Open(registry.Options(checkKeys, "check"));
        for (var d = 1; d <= Drives; d++)
        {
            var drive = new DriveId($"PKU-2026-{d:D2}");
            check.Drives.Get(drive).State.Should().Be(DriveState.Closed);
            check.Drives.GetHistory(drive).Select(r => r.Action).Should().Equal(["Plan", "OpenEnrolment", "CloseEnrolment", "Close"], "each transition of the drive is recorded once");
            var samples = check.Samples.FindByDrive(drive);
            samples.Should().HaveCount(Volunteers).And.OnlyContain(s => s.State == SampleState.Typed);
            samples.Select(s => s.ShipmentId).Distinct().Should().ContainSingle("one shipment, dispatched once");
            foreach (var sample in samples)
            {
                check.Donors.Get(sample.DonorId).State.Should().Be(DonorState.Available);
                check.Donors.GetHistory(sample.DonorId).Count(r => r.Action == "List").Should().Be(1, $"donor {sample.DonorId} is listed once");
            }
        }

        // The workflows: each complete, its closing notice written once.
        var server = registry.Schema.ConnectionString;
        PgServer.Scalar(server, $"SELECT count(*) FROM \"{workflows}\".workflow WHERE status = 2").Should().Be(Drives);
        PgServer.Scalar(server, $"SELECT count(*) FROM \"{workflows}\".execution_log WHERE occasion IS NOT NULL AND step = 'Close drive'").Should().Be(Drives);

        // The execution log's own times (wall clock, every completed or waiting run; a run cut by the kill logged nothing).
        var logged = new List<StepRunRecord>();
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"SELECT workflow_id, step, started_ticks, ended_ticks FROM \"{workflows}\".execution_log WHERE occasion IS NULL", connection);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                logged.Add(new StepRunRecord(0, reader.GetString(0), 0, reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), Cut: false));
            }
        }

        // The killed process may have ended a run and died before the execution log (the outer middleware) wrote it.
        logged.Count.Should().BeGreaterThanOrEqualTo(runs.Count(r => r.Process != killed), "every run of a process that was not killed is in the execution log");
        StepRuns.Overlapping(logged, r => (r.Workflow, r.Name)).Should().BeEmpty("the execution log shows no step of a workflow run twice at once");
        TestContext.Out.WriteLine($"{logged.Count} execution-log entries; {clock.Elapsed.TotalSeconds:F1} s in all");
    }

    private static void Dump(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        TestContext.Out.WriteLine(sql);
        while (reader.Read())
        {
            TestContext.Out.WriteLine(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
        }
    }

    /// <summary>Copies a file with cp, which ignores the advisory lock its owner holds.</summary>
    private static void Copy(string from, string to)
    {
        using var cp = Process.Start("cp", [from, to])!;
        cp.WaitForExit();
        cp.ExitCode.Should().Be(0, $"cp {from} {to}");
    }
}
