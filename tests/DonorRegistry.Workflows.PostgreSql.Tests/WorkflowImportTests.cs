using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.PostgreSql;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.CampusDrive;
using FluentAssertions;
using Npgsql;
using NUnit.Framework;
using WorkflowCore.Models;
using static DonorRegistry.Workflows.Tests.CampusDrive.DriveFixture;

namespace DonorRegistry.Workflows.PostgreSql.Tests;

/// <summary>
/// A branch's workflows moved into the national PostgreSQL workflow store (ADR 22): a host on the copy takes a drive's
/// due event and finishes the drive, and a donor's care; a copy stopped half-way and run again copies everything once;
/// the verification names a changed and a missing instance. Ignored without DONORREGISTRY_PG (but the refusals of bad
/// input).
/// </summary>
public sealed class WorkflowImportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private string? _workflows;
    private string? _registry;
    private string? _folder;

    [TearDown]
    public void TearDown()
    {
        NpgsqlConnection.ClearAllPools();
        PostgreSqlTestDatabase.Drop(_workflows);
        PostgreSqlTestDatabase.Drop(_registry);
        PostgreSqlTestDatabase.Drop(_registry is null ? null : _registry + "_keys");
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        // NUnit runs every test on one instance of the class.
        (_workflows, _registry, _folder) = (null, null, null);
    }

    [Test]
    public async Task ABranchsDriveWaitingForAnEvent_AndItsDonorsCare_AreImported_AndAHostOnPostgreSqlFinishesBoth()
    {
        var connection = PostgreSqlTestDatabase.ConnectionString;
        _workflows = PostgreSqlTestDatabase.NewSchema();
        _registry = PostgreSqlTestDatabase.NewSchema();
        using var fx = new DriveFixture(o => o.CareReviewEvery = TimeSpan.FromMilliseconds(150));

        // The branch: a drive with its samples collected and enrolment closed (waiting for the dispatch), a donor's care reviewed once.
        var samples = await fx.ToCollectedAsync(6);
        await fx.Drives.CloseEnrolmentAsync(Pku, By);
        var donor = fx.ListedDonor();
        var matchCase = fx.Registry.Cases.Open(donor.Id, "PAT-0001", By);
        var donation = await fx.Care.RecordDonationAsync(donor.Id, new DonationDetails(matchCase.Id, DonationProduct.Pbsc, fx.Today, fx.Today, 5, "人民医院采集中心", DonationOutcome.Completed), By);
        await Until(() => fx.Care.GetExecutionLog(donation.Id).Any(r => r.Outcome == StepOutcome.Notice && r.Detail!.Contains("AtDonation", StringComparison.Ordinal)));
        await Until(() => fx.Host.Store.FindByReference(Pku.Value!).Single().ExecutionPointers.Any(p => p.EventName == DriveEvents.ShipmentDispatched && !p.EventPublished),
            () => string.Join(" | ", fx.Host.Store.FindByReference(Pku.Value!).Single().ExecutionPointers.Select(p => $"{p.StepName} {p.Status} {p.Active} {p.EventName}")));
        var branchDriveLog = fx.Drives.GetExecutionLog(Pku).Count;
        await fx.Host.DisposeAsync();
        fx.Registry.Dispose();
        var branchFile = fx.Options().DatabasePath!;

        // The shipment was dispatched as the branch stopped: its event is published and still due, no host took it.
        using (var branchStore = LiteDbPersistenceProvider.Open(branchFile))
        {
            await branchStore.CreateEvent(new Event { EventName = DriveEvents.ShipmentDispatched, EventKey = Pku.Value!, EventTime = TimeProvider.System.GetUtcNow().UtcDateTime, EventData = new DriveEvent { By = By } });
        }

        // The move: the registry, then its workflows (the registry's own file), verified.
        var nationalKey = RegistryKey.Generate();
        var registryConnection = new NpgsqlConnectionStringBuilder(connection) { SearchPath = _registry }.ConnectionString;
        RegistryOptions National() => new RegistryOptions { RegistryKey = nationalKey, TimeProvider = fx.Clock }.UsePostgreSql(registryConnection, keys: registryConnection);
        PostgreSqlRegistry.ImportFrom(branchFile, fx.Key, National());
        var seen = new List<WorkflowImportProgress>();
        var result = PostgreSqlWorkflows.ImportFrom(branchFile, connection, _workflows, new Synchronous(seen.Add), null);

        result.Copied["workflows"].Should().Be(2);
        result.Copied["subscriptions"].Should().BeGreaterThan(0, "the drive waits for its dispatch");
        result.Copied["log entries"].Should().BeGreaterThanOrEqualTo(branchDriveLog);
        PostgreSqlTestDatabase.Scalar($"SELECT count(*) FROM \"{_workflows}\".event WHERE NOT is_processed AND event_name = @name", ("name", DriveEvents.ShipmentDispatched)).Should().Be(1L, "the due event came along");
        result.Resumed.Should().BeFalse();
        seen.Should().Contain(p => p.Step == "workflows" && p.Done == 2 && p.Total == 2);
        var verification = PostgreSqlWorkflows.VerifyImport(branchFile, connection, _workflows, null);
        verification.IsClean.Should().BeTrue(string.Join("\n", verification.Checks));
        verification.Checks.Should().Contain(c => c.What == "workflow instances" && c.Expected == 2 && c.Actual == 2 && c.ExpectedDigest == c.ActualDigest);

        // The national registry's host resumes both where they were.
        using var national = Registry.Open(National());
        await using var host = RegistryWorkflowHost.Start(national, o =>
        {
            o.UsePostgreSql(connection, _workflows);
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.ErrorRetryInterval = TimeSpan.FromMilliseconds(100);
            o.StepTimeout = TimeSpan.FromSeconds(20);
        });
        host.Drives.GetExecutionLog(Pku).Count.Should().BeGreaterThanOrEqualTo(branchDriveLog, "the branch's log came along");
        await Until(() => national.Samples.FindByDrive(Pku).All(s => s.State == SampleState.Shipped), () => "the due event was not taken");
        national.Samples.FindByDrive(Pku).Select(s => s.ShipmentId).Distinct().Should().ContainSingle();
        await host.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        await host.Drives.ImportTypingResultsAsync(Pku, Utf8(fx.ResultsCsv(samples)), Lab, fx.Today, "lab.import");
        var done = await host.Drives.WaitUntilClosedAsync(Pku, Patience);

        (done.Statistics with { Plan = null }).Should().Be(new DriveStatistics(Pku, 1, 180, 6, 6, 6, 0, 6, 6));
        national.Drives.GetHistory(Pku).Select(t => t.Action).Should().Equal("Plan", "OpenEnrolment", "CloseEnrolment", "Close");
        host.Drives.GetExecutionLog(Pku).Select(r => r.Step).Should().ContainInOrder("Plan", "Open enrolment", "Close enrolment", "Dispatch shipment", "Receive samples", "List typed donors", "Close drive");
        host.Drives.GetExecutionLog(Pku).Count(r => r.Step == "Open enrolment").Should().Be(1, "no step before the import ran again");

        fx.Clock.Advance(TimeSpan.FromDays(3700)); // past the tenth yearly check
        foreach (var followUp in donation.FollowUps)
        {
            await host.Care.RecordFollowUpAsync(donation.Id, followUp.Key, followUp.DueOn, DonorHealth.Well, null, null, "nurse.zhao");
        }

        foreach (var visit in donation.Visits)
        {
            await (visit.Occasion == AppreciationOccasion.SpringFestival
                ? host.Care.SkipVisitAsync(donation.Donor, visit.Key, "春节在外地", By)
                : host.Care.RecordVisitAsync(donation.Donor, visit.Key, visit.DueOn, "慰问品", null, By));
        }

        await host.Care.WaitUntilCompleteAsync(donation.Id, Patience);
        var careLog = host.Care.GetExecutionLog(donation.Id);
        careLog.Should().Contain(r => r.Outcome == StepOutcome.Notice && r.Detail!.Contains("14 of 14 follow-ups done", StringComparison.Ordinal));
        careLog.Count(r => r.Outcome == StepOutcome.Notice && r.Detail!.Contains("AtDonation", StringComparison.Ordinal)).Should().Be(1, "the notice raised on the branch is not raised again");
        PostgreSqlTestDatabase.Scalar($"SELECT count(*) FROM \"{_workflows}\".workflow WHERE status = 2").Should().Be(2L);
    }

    [Test]
    public void ACopyStoppedHalfWay_GoesOnWhenRunAgain_AndCopiesEverythingOnce()
    {
        var connection = PostgreSqlTestDatabase.ConnectionString;
        _workflows = PostgreSqlTestDatabase.NewSchema();
        var file = Branch(30);

        var stopped = () => PostgreSqlWorkflows.ImportFrom(file, connection, _workflows, new Synchronous(p =>
        {
            if (p.Step == "workflows" && p.Done >= 10)
            {
                throw new OperationCanceledException("killed after the first batch");
            }
        }), null, workflowBatch: 10);
        stopped.Should().Throw<OperationCanceledException>();
        Count("workflow").Should().Be(10, "one batch committed");
        Count("event").Should().Be(30, "the events went first");

        var result = PostgreSqlWorkflows.ImportFrom(file, connection, _workflows, null, null, workflowBatch: 10);

        result.Resumed.Should().BeTrue();
        result.AlreadyThere["workflows"].Should().Be(10);
        result.AlreadyThere["events"].Should().Be(30);
        result.Copied["workflows"].Should().Be(20);
        result.Copied["events"].Should().Be(0);
        Count("workflow").Should().Be(30);
        Count("subscription").Should().Be(15);
        Count("execution_error").Should().Be(10);
        Count("execution_log").Should().Be(30 * 3 + 1, "three entries per drive and one notice of a workflow long gone");
        Count("event").Should().Be(30);
        PostgreSqlWorkflows.VerifyImport(file, connection, _workflows, null).IsClean.Should().BeTrue();

        var again = PostgreSqlWorkflows.ImportFrom(file, connection, _workflows, null, null, workflowBatch: 10);
        again.Copied.Values.Should().OnlyContain(n => n == 0, "a finished copy run again copies nothing");
        Count("execution_log").Should().Be(91);
        PostgreSqlTestDatabase.Scalar($"SELECT count(*) FROM (SELECT occasion FROM \"{_workflows}\".execution_log WHERE occasion IS NOT NULL GROUP BY occasion HAVING count(*) > 1) d").Should().Be(0L);
    }

    [Test]
    public void Verification_NamesAChangedInstance_AMissingOne_AndAChangedLog()
    {
        var connection = PostgreSqlTestDatabase.ConnectionString;
        _workflows = PostgreSqlTestDatabase.NewSchema();
        var file = Branch(5);
        PostgreSqlWorkflows.ImportFrom(file, connection, _workflows, null, null);
        var ids = Ids();

        PostgreSqlTestDatabase.Scalar($"UPDATE \"{_workflows}\".workflow SET instance = replace(instance::text, '\"Active\":true', '\"Active\":false')::json WHERE id = @id", ("id", ids[0]));
        PostgreSqlTestDatabase.Scalar($"DELETE FROM \"{_workflows}\".workflow WHERE id = @id", ("id", ids[1]));
        PostgreSqlTestDatabase.Scalar($"UPDATE \"{_workflows}\".execution_log SET detail = 'forged' WHERE reference = 'D-003'");

        var verification = PostgreSqlWorkflows.VerifyImport(file, connection, _workflows, null);

        verification.IsClean.Should().BeFalse();
        verification.Differing.Should().BeEquivalentTo(ids[0], ids[1], "D-003");
        var instances = verification.Checks.Single(c => c.What == "workflow instances");
        instances.Problem.Should().Contain($"1 missing ({ids[1]})").And.Contain($"1 differ ({ids[0]})");
        instances.ExpectedDigest.Should().NotBe(instances.ActualDigest);
        verification.Checks.Single(c => c.What == "execution logs (by reference)").Problem.Should().Contain("1 differ (D-003)");
        verification.Checks.Single(c => c.What == "events").Problem.Should().BeNull();
    }

    [Test]
    public void ImportFrom_RefusesABlankPath_AMissingFile_AFileWithoutWorkflows_AndABadConnectionString()
    {
        _folder = Directory.CreateTempSubdirectory("workflow-import-").FullName;
        var plain = Path.Combine(_folder, "plain.db");
        using (var db = new LiteDB.LiteDatabase(plain))
        {
            db.GetCollection("other").Insert(new LiteDB.BsonDocument { ["x"] = 1 });
        }

        const string Server = "Host=127.0.0.1;Port=1;Database=national;Username=registry";
        Field(() => PostgreSqlWorkflows.ImportFrom(" ", Server)).Should().Be("liteDbPath");
        Field(() => PostgreSqlWorkflows.ImportFrom(Path.Combine(_folder, "none.db"), Server)).Should().Be("liteDbPath");
        FluentActions.Invoking(() => PostgreSqlWorkflows.VerifyImport(plain, Server)).Should().Throw<RegistryValidationException>()
            .Which.Message.Should().Contain("holds no workflow store");
        Field(() => PostgreSqlWorkflows.ImportFrom(plain, "")).Should().Be("connectionString");
        var bad = FluentActions.Invoking(() => PostgreSqlWorkflows.ImportFrom(plain, "Host=x;Password=hunter2;Bogus Key=1")).Should().Throw<RegistryValidationException>().Which;
        bad.Field.Should().Be("connectionString");
        bad.Message.Should().NotContain("hunter2");
    }

    private static string Field(Action act) => FluentActions.Invoking(act).Should().Throw<RegistryValidationException>().Which.Field;

    /// <summary>
    /// A branch's workflow file written through the LiteDB store itself: drives D-000… each with a pointer, every other one
    /// waiting for an event (a subscription, with a worker's token on the first), every third with a step error; an
    /// event per drive; three log entries per drive (the last a notice), and one notice of a reference with no workflow.
    /// </summary>
    private string Branch(int drives)
    {
        _folder = Directory.CreateTempSubdirectory("workflow-import-").FullName;
        var path = Path.Combine(_folder, "workflows.db");
        var clock = new DateTime(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc);
        using var store = LiteDbPersistenceProvider.Open(path);
        var log = new LiteDbExecutionLogStore(store.Database);
        for (var i = 0; i < drives; i++)
        {
            var reference = $"D-{i:D3}";
            var workflow = new WorkflowInstance
            {
                WorkflowDefinitionId = "campus-drive",
                Version = 1,
                Status = WorkflowStatus.Runnable,
                Reference = reference,
                CreateTime = clock.AddMinutes(i),
                NextExecution = i % 2 == 0 ? null : clock.AddMinutes(i + 60).Ticks,
                Data = new Dictionary<string, object> { ["drive"] = reference },
            };
            var pointer = new ExecutionPointer { Id = Guid.NewGuid().ToString(), StepId = 3, Active = true, StartTime = clock, EventName = i % 2 == 0 ? "dispatched" : null, EventKey = i % 2 == 0 ? reference : null };
            workflow.ExecutionPointers.Add(pointer);
            store.CreateNewWorkflow(workflow).GetAwaiter().GetResult();
            if (i % 2 == 0)
            {
                var subscription = new EventSubscription { WorkflowId = workflow.Id, StepId = 3, ExecutionPointerId = pointer.Id, EventName = "dispatched", EventKey = reference, SubscribeAsOf = clock };
                store.CreateEventSubscription(subscription).GetAwaiter().GetResult();
                if (i == 0)
                {
                    store.SetSubscriptionToken(subscription.Id, "token-1", "worker-1", clock.AddMinutes(5)).GetAwaiter().GetResult();
                }
            }

            if (i % 3 == 0)
            {
                store.PersistErrors([new ExecutionError { WorkflowId = workflow.Id, ExecutionPointerId = pointer.Id, ErrorTime = clock, Message = "lab unreachable" }]).GetAwaiter().GetResult();
            }

            store.CreateEvent(new Event { EventName = "lecture-held", EventKey = reference, EventTime = clock.AddMinutes(i), IsProcessed = i % 2 == 1, EventData = "by organizer.wang" }).GetAwaiter().GetResult();
            var at = new DateTimeOffset(clock.AddMinutes(i));
            log.Append(new LogEntry(reference, workflow.Id, "Plan", at, at.AddSeconds(1), StepOutcome.Completed, null, null, LogCode.Unspecified, LogEntry.NoArguments));
            log.Append(new LogEntry(reference, workflow.Id, "Dispatch shipment", at.AddSeconds(1), at.AddSeconds(2), StepOutcome.WaitingForEvent, "dispatched for " + reference, null, LogCode.Unspecified, LogEntry.NoArguments));
            log.TryAppendNotice(new LogEntry(reference, workflow.Id, "Remind to ship", at.AddSeconds(2), at.AddSeconds(2), StepOutcome.Notice, "ship the samples", $"{workflow.Id}\u001fRemind to ship\u001f{reference}", LogCode.Unspecified, LogEntry.NoArguments));
        }

        log.TryAppendNotice(new LogEntry("GONE-1", "no-such-workflow", "Remind to ship", new DateTimeOffset(clock), new DateTimeOffset(clock), StepOutcome.Notice, "an orphan", "orphan", LogCode.Unspecified, LogEntry.NoArguments));
        return path;
    }

    private List<string> Ids()
    {
        using var connection = new NpgsqlConnection(PostgreSqlTestDatabase.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"SELECT id FROM \"{_workflows}\".workflow ORDER BY create_ticks", connection);
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private long Count(string table) => (long)PostgreSqlTestDatabase.Scalar($"SELECT count(*) FROM \"{_workflows}\".{table}")!;

    private static async Task Until(Func<bool> condition, Func<string>? explain = null)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        condition().Should().BeTrue(explain?.Invoke() ?? string.Empty);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class Synchronous(Action<WorkflowImportProgress> report) : IProgress<WorkflowImportProgress>
    {
        public void Report(WorkflowImportProgress value) => report(value);
    }
}
