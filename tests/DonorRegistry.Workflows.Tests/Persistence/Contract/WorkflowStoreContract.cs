using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using NUnit.Framework;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Tests.Persistence.Contract;

/// <summary>
/// The spirit of WorkflowCore's own persistence-provider tests, for every workflow store: each engine's tests derive
/// from this and give a fresh, empty store per test (LiteDB in memory, PostgreSQL in a schema of its own).
/// </summary>
public abstract class WorkflowStoreContract
{
    protected static readonly DateTime Now = new(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc);
    private IWorkflowStore _store = null!;

    /// <summary>The store under test (fresh and empty for each test).</summary>
    private protected IWorkflowStore Store => _store;

    /// <summary>A fresh, empty store.</summary>
    private protected abstract IWorkflowStore OpenStore();

    /// <summary>Releases the store and whatever it was kept in.</summary>
    private protected abstract void CloseStore(IWorkflowStore store);

    /// <summary>How many subscriptions the store keeps, counted behind its back.</summary>
    protected abstract long CountSubscriptions();

    [SetUp]
    public void OpenTheStore() => _store = OpenStore();

    [TearDown]
    public void CloseTheStore() => CloseStore(_store);

    public sealed class SampleData
    {
        public string Drive { get; set; } = string.Empty;

        public int Count { get; set; }

        public List<string> Barcodes { get; set; } = [];
    }

    protected static WorkflowInstance NewWorkflow(WorkflowStatus status = WorkflowStatus.Runnable, long? next = 0, string? reference = "PKU-2026") => new()
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

        var id = await Store.CreateNewWorkflow(workflow);
        var loaded = await Store.GetWorkflowInstance(id);

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
        await Store.CreateNewWorkflow(workflow);
        workflow.Status = WorkflowStatus.Complete;
        ((SampleData)workflow.Data).Count = 7;
        workflow.ExecutionPointers.Add(new ExecutionPointer { Id = "p2", StepId = 1, Status = PointerStatus.Complete });

        await Store.PersistWorkflow(workflow);

        var loaded = await Store.GetWorkflowInstance(workflow.Id);
        loaded.Status.Should().Be(WorkflowStatus.Complete);
        ((SampleData)loaded.Data).Count.Should().Be(7);
        loaded.ExecutionPointers.Should().HaveCount(2);
    }

    [Test]
    public async Task PersistWorkflow_WithSubscriptions_StoresBothTogether()
    {
        var workflow = NewWorkflow();
        await Store.CreateNewWorkflow(workflow);
        var subscription = new EventSubscription { WorkflowId = workflow.Id, StepId = 1, EventName = "EnrolmentOpened", EventKey = "PKU-2026", SubscribeAsOf = Now };

        await Store.PersistWorkflow(workflow, [subscription]);

        (await Store.GetSubscriptions("EnrolmentOpened", "PKU-2026", Now)).Should().ContainSingle().Which.WorkflowId.Should().Be(workflow.Id);
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
            await Store.CreateNewWorkflow(w);
        }

        (await Store.GetRunnableInstances(Now)).Should().Equal(due.Id);
    }

    // WorkflowCore marks this query obsolete on its interface, but every provider still implements it.
#pragma warning disable CS0612
    [Test]
    public async Task GetWorkflowInstances_FiltersByStatusTypeAndCreationAndPages()
    {
        for (var i = 0; i < 5; i++)
        {
            var w = NewWorkflow(i % 2 == 0 ? WorkflowStatus.Runnable : WorkflowStatus.Complete);
            w.CreateTime = Now.AddDays(i);
            await Store.CreateNewWorkflow(w);
        }

        (await Store.GetWorkflowInstances(WorkflowStatus.Runnable, "campus-drive", null, null, 0, 10)).Should().HaveCount(3);
        (await Store.GetWorkflowInstances(null, "campus-drive", Now.AddDays(1), Now.AddDays(3), 0, 10)).Should().HaveCount(3);
        (await Store.GetWorkflowInstances(null, "other", null, null, 0, 10)).Should().BeEmpty();
        (await Store.GetWorkflowInstances(null, null!, null, null, 1, 2)).Should().HaveCount(2);
    }
#pragma warning restore CS0612

    [Test]
    public async Task GetWorkflowInstances_ByIds_SkipsUnknownOnes()
    {
        var a = NewWorkflow();
        await Store.CreateNewWorkflow(a);

        (await Store.GetWorkflowInstances([a.Id, "nope"])).Select(w => w.Id).Should().Equal(a.Id);
        (await Store.GetWorkflowInstance("nope")).Should().BeNull();
    }

    [Test]
    public async Task Subscriptions_AreFoundByNameKeyAndTime_AndTerminated()
    {
        var early = new EventSubscription { WorkflowId = "w", StepId = 1, EventName = "E", EventKey = "K", SubscribeAsOf = Now.AddMinutes(-1), SubscriptionData = "x" };
        var late = new EventSubscription { WorkflowId = "w", StepId = 2, EventName = "E", EventKey = "K", SubscribeAsOf = Now.AddMinutes(1) };
        var other = new EventSubscription { WorkflowId = "w", StepId = 3, EventName = "E", EventKey = "other", SubscribeAsOf = Now };
        var id = await Store.CreateEventSubscription(early);
        await Store.CreateEventSubscription(late);
        await Store.CreateEventSubscription(other);

        (await Store.GetSubscriptions("E", "K", Now)).Select(s => s.StepId).Should().Equal(1);
        (await Store.GetSubscription(id)).SubscriptionData.Should().Be("x");
        (await Store.GetFirstOpenSubscription("E", "K", Now.AddMinutes(5))).StepId.Should().Be(1);

        await Store.TerminateSubscription(id);

        (await Store.GetSubscription(id)).Should().BeNull();
        (await Store.GetSubscriptions("E", "K", Now.AddMinutes(5))).Select(s => s.StepId).Should().Equal(2);
    }

    [Test]
    public async Task SubscriptionTokens_AreTakenOnceAndClearedOnlyByTheirHolder()
    {
        var id = await Store.CreateEventSubscription(new EventSubscription { WorkflowId = "w", EventName = "E", EventKey = "K", SubscribeAsOf = Now });

        (await Store.SetSubscriptionToken(id, "t1", "worker-1", Now.AddMinutes(5))).Should().BeTrue();
        (await Store.SetSubscriptionToken(id, "t2", "worker-2", Now.AddMinutes(5))).Should().BeFalse();
        (await Store.GetFirstOpenSubscription("E", "K", Now)).Should().BeNull("a subscription with a token is not open");
        var wrongHolder = () => Store.ClearSubscriptionToken(id, "t2");
        await wrongHolder.Should().ThrowAsync<InvalidOperationException>();

        await Store.ClearSubscriptionToken(id, "t1");

        var cleared = await Store.GetSubscription(id);
        cleared.ExternalToken.Should().BeNull();
        cleared.ExternalWorkerId.Should().BeNull();
        (await Store.SetSubscriptionToken(id, "t2", "worker-2", Now.AddMinutes(5))).Should().BeTrue();
    }

    [Test]
    public async Task Events_AreStoredFoundAndMarkedProcessedAndUnprocessed()
    {
        var evt = new Event { EventName = "E", EventKey = "K", EventData = new[] { "T-1" }, EventTime = Now };
        var id = await Store.CreateEvent(evt);
        await Store.CreateEvent(new Event { EventName = "E", EventKey = "K", EventTime = Now.AddHours(1) });

        (await Store.GetEvent(id)).EventData.Should().BeEquivalentTo(new[] { "T-1" });
        (await Store.GetRunnableEvents(Now)).Should().Equal(id);
        (await Store.GetEvents("E", "K", Now.AddMinutes(1))).Should().HaveCount(1, "only events at or after asOf");

        await Store.MarkEventProcessed(id);

        (await Store.GetEvent(id)).IsProcessed.Should().BeTrue();
        (await Store.GetRunnableEvents(Now.AddDays(1))).Should().HaveCount(1);
        (await Store.GetEvents("E", "K", DateTime.MinValue)).Should().HaveCount(2, "processed events are still found by name");

        await Store.MarkEventUnprocessed(id);

        (await Store.GetRunnableEvents(Now)).Should().Equal(id);
        Store.FindEventsByKey("K").Should().HaveCount(2);
    }

    [Test]
    public async Task PersistErrors_AreReadBackForTheirWorkflow()
    {
        await Store.PersistErrors([
            new ExecutionError { WorkflowId = "w1", ExecutionPointerId = "p", ErrorTime = Now, Message = "boom" },
            new ExecutionError { WorkflowId = "w2", ExecutionPointerId = "p", ErrorTime = Now, Message = "other" },
        ]);

        Store.FindErrors("w1").Should().ContainSingle().Which.Message.Should().Be("boom");
    }

    [Test]
    public async Task PersistWorkflow_FromManyThreadsAtOnce_LeavesOneConsistentInstance()
    {
        var workflow = NewWorkflow();
        await Store.CreateNewWorkflow(workflow);

        await Parallel.ForEachAsync(Enumerable.Range(1, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var copy = await Store.GetWorkflowInstance(workflow.Id);
            ((SampleData)copy.Data).Count = i;
            await Store.PersistWorkflow(copy, [new EventSubscription { WorkflowId = workflow.Id, EventName = "E", EventKey = i.ToString(System.Globalization.CultureInfo.InvariantCulture), SubscribeAsOf = Now }]);
        });

        var loaded = await Store.GetWorkflowInstance(workflow.Id);
        ((SampleData)loaded.Data).Count.Should().BeInRange(1, 200);
        CountSubscriptions().Should().Be(200);
    }

    [Test]
    public void ScheduledCommands_AreNotSupported_SoWorkflowCorePolls()
    {
        Store.SupportsScheduledCommands.Should().BeFalse();
        var act = () => Store.ScheduleCommand(new ScheduledCommand());
        act.Should().ThrowAsync<NotSupportedException>();
    }
}
