using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using LiteDB;
using NUnit.Framework;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Tests.Persistence;

/// <summary>The spirit of WorkflowCore's own persistence-provider tests, on LiteDB.</summary>
public sealed class LiteDbPersistenceProviderTests
{
    private static readonly DateTime Now = new(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc);
    private LiteDatabase _db = null!;
    private LiteDbPersistenceProvider _store = null!;

    [SetUp]
    public void SetUp()
    {
        _db = new LiteDatabase(":memory:");
        _store = new LiteDbPersistenceProvider(_db);
    }

    [TearDown]
    public void TearDown()
    {
        _store.Dispose(); // leaves the shared database open
        _db.Dispose();
    }

    public sealed class SampleData
    {
        public string Drive { get; set; } = string.Empty;

        public int Count { get; set; }

        public List<string> Barcodes { get; set; } = [];
    }

    private static WorkflowInstance NewWorkflow(WorkflowStatus status = WorkflowStatus.Runnable, long? next = 0, string? reference = "PKU-2026") => new()
    {
        WorkflowDefinitionId = "campus-drive",
        Version = 1,
        Status = status,
        NextExecution = next,
        Reference = reference,
        CreateTime = Now,
        Data = new SampleData { Drive = "PKU-2026", Count = 3, Barcodes = ["T-1", "T-2"] },
        ExecutionPointers =
        {
            new ExecutionPointer
            {
                Id = Guid.NewGuid().ToString(),
                StepId = 0,
                Active = true,
                StepName = "Plan",
                EventName = "LectureHeld",
                EventKey = "PKU-2026",
                EventData = new[] { "a", "b" },
                PersistenceData = new ControlPersistenceData { ChildrenActive = true },
                ExtensionAttributes = { ["note"] = "kept" },
                Scope = new List<string> { "outer" },
                Status = PointerStatus.WaitingForEvent,
                StartTime = Now,
            },
        },
    };

    [Test]
    public async Task CreateNewWorkflow_ThenGet_RoundTripsDataAndPointersAsTheirTypes()
    {
        var workflow = NewWorkflow();

        var id = await _store.CreateNewWorkflow(workflow);
        var loaded = await _store.GetWorkflowInstance(id);

        id.Should().NotBeNullOrEmpty();
        loaded.Should().BeEquivalentTo(workflow);
        loaded.Data.Should().BeOfType<SampleData>().Which.Barcodes.Should().Equal("T-1", "T-2");
        loaded.ExecutionPointers.Single().PersistenceData.Should().BeOfType<ControlPersistenceData>();
        loaded.CreateTime.Kind.Should().Be(DateTimeKind.Utc);
    }

    [Test]
    public async Task PersistWorkflow_ReplacesTheStoredInstance()
    {
        var workflow = NewWorkflow();
        await _store.CreateNewWorkflow(workflow);
        workflow.Status = WorkflowStatus.Complete;
        ((SampleData)workflow.Data).Count = 7;
        workflow.ExecutionPointers.Add(new ExecutionPointer { Id = "p2", StepId = 1, Status = PointerStatus.Complete });

        await _store.PersistWorkflow(workflow);

        var loaded = await _store.GetWorkflowInstance(workflow.Id);
        loaded.Status.Should().Be(WorkflowStatus.Complete);
        ((SampleData)loaded.Data).Count.Should().Be(7);
        loaded.ExecutionPointers.Should().HaveCount(2);
    }

    [Test]
    public async Task PersistWorkflow_WithSubscriptions_StoresBothTogether()
    {
        var workflow = NewWorkflow();
        await _store.CreateNewWorkflow(workflow);
        var subscription = new EventSubscription { WorkflowId = workflow.Id, StepId = 1, EventName = "EnrolmentOpened", EventKey = "PKU-2026", SubscribeAsOf = Now };

        await _store.PersistWorkflow(workflow, [subscription]);

        (await _store.GetSubscriptions("EnrolmentOpened", "PKU-2026", Now)).Should().ContainSingle().Which.WorkflowId.Should().Be(workflow.Id);
    }

    [Test]
    public async Task GetRunnableInstances_ReturnsOnlyRunnableInstancesThatAreDue()
    {
        var due = NewWorkflow(next: Now.Ticks);
        var later = NewWorkflow(next: Now.AddHours(1).Ticks);
        var waiting = NewWorkflow(next: null);
        var complete = NewWorkflow(WorkflowStatus.Complete, next: Now.Ticks);
        foreach (var w in new[] { due, later, waiting, complete })
        {
            await _store.CreateNewWorkflow(w);
        }

        (await _store.GetRunnableInstances(Now)).Should().Equal(due.Id);
    }

    [Test]
    public async Task GetWorkflowInstances_FiltersByStatusTypeAndCreationAndPages()
    {
        for (var i = 0; i < 5; i++)
        {
            var w = NewWorkflow(i % 2 == 0 ? WorkflowStatus.Runnable : WorkflowStatus.Complete);
            w.CreateTime = Now.AddDays(i);
            await _store.CreateNewWorkflow(w);
        }

        (await _store.GetWorkflowInstances(WorkflowStatus.Runnable, "campus-drive", null, null, 0, 10)).Should().HaveCount(3);
        (await _store.GetWorkflowInstances(null, "campus-drive", Now.AddDays(1), Now.AddDays(3), 0, 10)).Should().HaveCount(3);
        (await _store.GetWorkflowInstances(null, "other", null, null, 0, 10)).Should().BeEmpty();
        (await _store.GetWorkflowInstances(null, null!, null, null, 1, 2)).Should().HaveCount(2);
    }

    [Test]
    public async Task GetWorkflowInstances_ByIds_SkipsUnknownOnes()
    {
        var a = NewWorkflow();
        await _store.CreateNewWorkflow(a);

        (await _store.GetWorkflowInstances([a.Id, "nope"])).Select(w => w.Id).Should().Equal(a.Id);
        (await _store.GetWorkflowInstance("nope")).Should().BeNull();
    }

    [Test]
    public async Task Subscriptions_AreFoundByNameKeyAndTime_AndTerminated()
    {
        var early = new EventSubscription { WorkflowId = "w", StepId = 1, EventName = "E", EventKey = "K", SubscribeAsOf = Now.AddMinutes(-1), SubscriptionData = "x" };
        var late = new EventSubscription { WorkflowId = "w", StepId = 2, EventName = "E", EventKey = "K", SubscribeAsOf = Now.AddMinutes(1) };
        var other = new EventSubscription { WorkflowId = "w", StepId = 3, EventName = "E", EventKey = "other", SubscribeAsOf = Now };
        var id = await _store.CreateEventSubscription(early);
        await _store.CreateEventSubscription(late);
        await _store.CreateEventSubscription(other);

        (await _store.GetSubscriptions("E", "K", Now)).Select(s => s.StepId).Should().Equal(1);
        (await _store.GetSubscription(id)).SubscriptionData.Should().Be("x");
        (await _store.GetFirstOpenSubscription("E", "K", Now.AddMinutes(5))).StepId.Should().Be(1);

        await _store.TerminateSubscription(id);

        (await _store.GetSubscription(id)).Should().BeNull();
        (await _store.GetSubscriptions("E", "K", Now.AddMinutes(5))).Select(s => s.StepId).Should().Equal(2);
    }

    [Test]
    public async Task SubscriptionTokens_AreTakenOnceAndClearedOnlyByTheirHolder()
    {
        var id = await _store.CreateEventSubscription(new EventSubscription { WorkflowId = "w", EventName = "E", EventKey = "K", SubscribeAsOf = Now });

        (await _store.SetSubscriptionToken(id, "t1", "worker-1", Now.AddMinutes(5))).Should().BeTrue();
        (await _store.SetSubscriptionToken(id, "t2", "worker-2", Now.AddMinutes(5))).Should().BeFalse();
        (await _store.GetFirstOpenSubscription("E", "K", Now)).Should().BeNull("a subscription with a token is not open");
        var wrongHolder = () => _store.ClearSubscriptionToken(id, "t2");
        await wrongHolder.Should().ThrowAsync<InvalidOperationException>();

        await _store.ClearSubscriptionToken(id, "t1");

        var cleared = await _store.GetSubscription(id);
        cleared.ExternalToken.Should().BeNull();
        cleared.ExternalWorkerId.Should().BeNull();
        (await _store.SetSubscriptionToken(id, "t2", "worker-2", Now.AddMinutes(5))).Should().BeTrue();
    }

    [Test]
    public async Task Events_AreStoredFoundAndMarkedProcessedAndUnprocessed()
    {
        var evt = new Event { EventName = "E", EventKey = "K", EventData = new[] { "T-1" }, EventTime = Now };
        var id = await _store.CreateEvent(evt);
        await _store.CreateEvent(new Event { EventName = "E", EventKey = "K", EventTime = Now.AddHours(1) });

        (await _store.GetEvent(id)).EventData.Should().BeEquivalentTo(new[] { "T-1" });
        (await _store.GetRunnableEvents(Now)).Should().Equal(id);
        (await _store.GetEvents("E", "K", Now.AddMinutes(1))).Should().HaveCount(1, "only events at or after asOf");

        await _store.MarkEventProcessed(id);

        (await _store.GetEvent(id)).IsProcessed.Should().BeTrue();
        (await _store.GetRunnableEvents(Now.AddDays(1))).Should().HaveCount(1);
        (await _store.GetEvents("E", "K", DateTime.MinValue)).Should().HaveCount(2, "processed events are still found by name");

        await _store.MarkEventUnprocessed(id);

        (await _store.GetRunnableEvents(Now)).Should().Equal(id);
        _store.FindEventsByKey("K").Should().HaveCount(2);
    }

    [Test]
    public async Task PersistErrors_AreReadBackForTheirWorkflow()
    {
        await _store.PersistErrors([
            new ExecutionError { WorkflowId = "w1", ExecutionPointerId = "p", ErrorTime = Now, Message = "boom" },
            new ExecutionError { WorkflowId = "w2", ExecutionPointerId = "p", ErrorTime = Now, Message = "other" },
        ]);

        _store.FindErrors("w1").Should().ContainSingle().Which.Message.Should().Be("boom");
    }

    [Test]
    public async Task PersistWorkflow_FromManyThreadsAtOnce_LeavesOneConsistentInstance()
    {
        var workflow = NewWorkflow();
        await _store.CreateNewWorkflow(workflow);

        await Parallel.ForEachAsync(Enumerable.Range(1, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var copy = await _store.GetWorkflowInstance(workflow.Id);
            ((SampleData)copy.Data).Count = i;
            await _store.PersistWorkflow(copy, [new EventSubscription { WorkflowId = workflow.Id, EventName = "E", EventKey = i.ToString(System.Globalization.CultureInfo.InvariantCulture), SubscribeAsOf = Now }]);
        });

        var loaded = await _store.GetWorkflowInstance(workflow.Id);
        ((SampleData)loaded.Data).Count.Should().BeInRange(1, 200);
        _store.Subscriptions.Count().Should().Be(200);
    }

    [Test]
    public void ScheduledCommands_AreNotSupported_SoWorkflowCorePolls()
    {
        _store.SupportsScheduledCommands.Should().BeFalse();
        var act = () => _store.ScheduleCommand(new ScheduledCommand());
        act.Should().ThrowAsync<NotSupportedException>();
    }

    [Test]
    public async Task OwnFile_KeepsWorkflowsAcrossReopen()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wf-{Guid.NewGuid():N}.db");
        try
        {
            string id;
            using (var own = LiteDbPersistenceProvider.Open(path))
            {
                id = await own.CreateNewWorkflow(NewWorkflow());
            }

            using var reopened = LiteDbPersistenceProvider.Open(path);
            (await reopened.GetWorkflowInstance(id)).Reference.Should().Be("PKU-2026");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
