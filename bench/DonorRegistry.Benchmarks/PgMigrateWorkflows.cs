using System.Diagnostics;
using System.Globalization;
using DonorRegistry.Workflows;
using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.Workflows.Persistence;
using Npgsql;
using WorkflowCore.Models;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// The copy of a branch's workflows into PostgreSQL (ADR 22), timed: <c>--pg-migrate-workflows N</c> writes N campus
/// drives into a new LiteDB workflow file through the LiteDB store itself, each as a drive waiting for its shipment is
/// kept (a <see cref="CampusDriveData"/>, nine execution pointers, one open subscription, four processed events, ten log
/// entries of which one is a notice, every fifth with a step error), copies them into a new schema on the server
/// DONORREGISTRY_PG names (dropped afterwards), and prints workflows per second and the verification's time.
/// </summary>
internal static class PgMigrateWorkflows
{
    private static readonly string[] Steps = ["Plan", "Await lecture", "Await enrolment window", "Open enrolment", "Await samples collected", "Close enrolment", "Remind to ship", "Await shipment", "Dispatch shipment"];

    public static int Run(string[] args, int at)
    {
        var server = Environment.GetEnvironmentVariable("DONORREGISTRY_PG");
        if (string.IsNullOrEmpty(server) || at + 1 >= args.Length || !int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var count))
        {
            Console.Error.WriteLine("--pg-migrate-workflows N needs DONORREGISTRY_PG (scripts/pg-test-cluster start).");
            return 2;
        }

        var folder = Directory.CreateTempSubdirectory("pg-migrate-workflows-").FullName;
        var schema = $"bench_wf_{Guid.NewGuid():N}"[..30];
        try
        {
            var path = Path.Combine(folder, "workflows.db");
            var watch = Stopwatch.StartNew();
            long jsonBytes = 0;
            using (var store = LiteDbPersistenceProvider.Open(path))
            {
                var log = new LiteDbExecutionLogStore(store.Database);
                var clock = new DateTime(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc);
                for (var i = 0; i < count; i++)
                {
                    jsonBytes += Drive(store, log, $"BJ-2026-{i:D6}", clock.AddMinutes(i), i);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"branch: {count:N0} drives written in {watch.Elapsed.TotalSeconds:F1} s (instance JSON {jsonBytes / Math.Max(1, count):N0} bytes on average), file {new FileInfo(path).Length / 1048576.0:F1} MiB"));

            var steps = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
            var result = PostgreSqlWorkflows.ImportFrom(path, server, schema, new Split(p => steps[p.Step] = p.Elapsed), null);
            Console.WriteLine("import: " + result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  events done at {steps["events"].TotalSeconds:F1} s, workflows (with their subscriptions, errors and log) done at {steps["workflows"].TotalSeconds:F1} s"));
            var verifyWatch = Stopwatch.StartNew();
            var verification = PostgreSqlWorkflows.VerifyImport(path, server, schema, null);
            Console.WriteLine($"verify: {(verification.IsClean ? "clean" : "NOT clean")} in {verifyWatch.Elapsed.TotalSeconds:F1} s");
            foreach (var check in verification.Checks)
            {
                Console.WriteLine("  " + check);
            }

            return verification.IsClean ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            using (var admin = new NpgsqlConnection(server))
            {
                admin.Open();
                using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", admin);
                drop.ExecuteNonQuery();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One drive as the LiteDB store keeps it while it waits for its shipment; returns its instance's JSON length.</summary>
    private static int Drive(LiteDbPersistenceProvider store, LiteDbExecutionLogStore log, string code, DateTime at, int i)
    {
        var workflow = new WorkflowInstance
        {
            WorkflowDefinitionId = "campus-drive",
            Version = 1,
            Status = WorkflowStatus.Runnable,
            Reference = code,
            CreateTime = at,
            Data = new CampusDriveData { Drive = code, Lab = "中华骨髓库 HLA 实验室", ShipWithin = TimeSpan.FromDays(3), ResultsWithin = TimeSpan.FromDays(21), CheckedAt = at, LastEvent = new DriveEvent { By = "organizer.wang" } },
        };
        for (var step = 0; step < Steps.Length; step++)
        {
            var waiting = step == Steps.Length - 2;
            workflow.ExecutionPointers.Add(new ExecutionPointer
            {
                Id = Guid.NewGuid().ToString(),
                StepId = step,
                StepName = Steps[step],
                Active = waiting,
                Status = waiting ? PointerStatus.WaitingForEvent : PointerStatus.Complete,
                StartTime = at.AddHours(step),
                EndTime = waiting ? null : at.AddHours(step).AddSeconds(1),
                EventName = Steps[step].StartsWith("Await", StringComparison.Ordinal) ? "Drive" + step : null,
                EventKey = Steps[step].StartsWith("Await", StringComparison.Ordinal) ? code : null,
                EventPublished = !waiting && Steps[step].StartsWith("Await", StringComparison.Ordinal),
            });
        }

        store.CreateNewWorkflow(workflow).GetAwaiter().GetResult();
        var pointer = workflow.ExecutionPointers.Single(p => p.Active);
        store.CreateEventSubscription(new EventSubscription { WorkflowId = workflow.Id, StepId = pointer.StepId, ExecutionPointerId = pointer.Id, EventName = DriveEvents.ShipmentDispatched, EventKey = code, SubscribeAsOf = at }).GetAwaiter().GetResult();
        foreach (var name in new[] { DriveEvents.LectureHeld, DriveEvents.EnrolmentOpened, DriveEvents.EnrolmentClosed, DriveEvents.EnrolmentClosed })
        {
            store.CreateEvent(new Event { EventName = name, EventKey = code, EventTime = at, IsProcessed = true, EventData = new DriveEvent { By = "organizer.wang" } }).GetAwaiter().GetResult();
        }

        if (i % 5 == 0)
        {
            store.PersistErrors([new ExecutionError { WorkflowId = workflow.Id, ExecutionPointerId = pointer.Id, ErrorTime = at, Message = "RegistryUnavailableException: the lab's server did not answer" }]).GetAwaiter().GetResult();
        }

        var started = new DateTimeOffset(at);
        for (var step = 0; step < Steps.Length; step++)
        {
            log.Append(new LogEntry(code, workflow.Id, Steps[step], started.AddHours(step), started.AddHours(step).AddSeconds(1), step == Steps.Length - 2 ? StepOutcome.WaitingForEvent : StepOutcome.Completed, null, null, LogCode.Unspecified, LogEntry.NoArguments));
        }

        log.TryAppendNotice(new LogEntry(code, workflow.Id, "Remind to ship", started.AddDays(3), started.AddDays(3), StepOutcome.Notice, "ship the drive's samples", $"{workflow.Id}\u001fRemind to ship\u001fship", LogCode.Unspecified, LogEntry.NoArguments));
        return WorkflowJson.Write(workflow).Length;
    }

    /// <summary>Reports on the copying thread.</summary>
    private sealed class Split(Action<WorkflowImportProgress> report) : IProgress<WorkflowImportProgress>
    {
        public void Report(WorkflowImportProgress value) => report(value);
    }
}
