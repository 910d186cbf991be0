using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using NUnit.Framework;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Tests.Persistence.Contract;

/// <summary>Every workflow store's retention rule for events: settled when their workflow finishes, deleted when old.</summary>
public abstract class EventRetentionContract
{
    private static readonly DateTime Now = new(2026, 11, 29, 8, 0, 0, DateTimeKind.Utc);
    private IWorkflowStore _store = null!;

    /// <summary>A fresh, empty store that keeps finished workflows' processed events as long as given.</summary>
    private protected abstract IWorkflowStore OpenStore(TimeSpan keepProcessedEvents);

    /// <summary>Releases the store and whatever it was kept in.</summary>
    private protected abstract void CloseStore(IWorkflowStore store);

    /// <summary>Marks the workflows with a reference complete behind the store's back, as a store written before the rule was.</summary>
    protected abstract void MarkCompleteWithoutTheRule(string reference);

    [SetUp]
    public void OpenTheStore() => _store = OpenStore(TimeSpan.FromDays(30));

    [TearDown]
    public void CloseTheStore() => CloseStore(_store);

    private async Task<WorkflowInstance> Workflow(string reference, WorkflowStatus status = WorkflowStatus.Runnable)
    {
        var workflow = new WorkflowInstance { WorkflowDefinitionId = "campus-drive", Version = 1, Status = status, Reference = reference, CreateTime = Now, NextExecution = 0, Data = new object() };
        await _store.CreateNewWorkflow(workflow);
        return workflow;
    }

    private async Task<string> Event(string key, DateTime at, bool processed = false, string name = "TypingResultsImported")
    {
        var id = await _store.CreateEvent(new Event { EventName = name, EventKey = key, EventTime = at, EventData = "x" });
        if (processed)
        {
            await _store.MarkEventProcessed(id);
        }

        return id;
    }

    private IReadOnlyList<string> Due() => _store.GetRunnableEvents(Now.AddYears(1)).GetAwaiter().GetResult().ToList();

    [Test]
    public async Task AWorkflowSavedComplete_SettlesTheUnprocessedEventsUnderItsReference_AndNoOthers()
    {
        var drive = await Workflow("PKU-2026");
        await Workflow("THU-2026");
        var stale = await Event("PKU-2026", Now);
        var other = await Event("THU-2026", Now);
        var early = await Event("RUC-2026", Now); // no workflow has this key yet: WorkflowCore delivers it when one waits

        drive.Status = WorkflowStatus.Complete;
        await _store.PersistWorkflow(drive, []);

        Due().Should().BeEquivalentTo([other, early]);
        (await _store.GetEvent(stale)).IsProcessed.Should().BeTrue();
    }

    [Test]
    public async Task AWorkflowTerminated_SettlesItsEventsToo_ThroughEitherSave()
    {
        var drive = await Workflow("PKU-2026");
        await Event("PKU-2026", Now);

        drive.Status = WorkflowStatus.Terminated;
        await _store.PersistWorkflow(drive);

        Due().Should().BeEmpty();
    }

    [Test]
    public async Task AFinishedWorkflow_WhoseReferenceAnotherRunningWorkflowShares_LeavesTheEventsDue()
    {
        var first = await Workflow("PKU-2026");
        await Workflow("PKU-2026");
        var due = await Event("PKU-2026", Now);

        first.Status = WorkflowStatus.Complete;
        await _store.PersistWorkflow(first, []);
        var (settled, purged) = _store.ApplyRetention(Now);

        Due().Should().Equal(due);
        (settled, purged).Should().Be((0, 0));
    }

    [Test]
    public async Task ApplyRetention_OnAStoreFromBefore_SettlesFinishedWorkflowsEvents_AndDeletesTheirOldProcessedOnes()
    {
        // As a file written before the rule: a finished drive with a due event, saved without the rule's settling.
        await Workflow("PKU-2026");
        MarkCompleteWithoutTheRule("PKU-2026");
        var stale = await Event("PKU-2026", Now.AddDays(-5));
        var old = await Event("PKU-2026", Now.AddDays(-31), processed: true, name: "LectureHeld");
        var recent = await Event("PKU-2026", Now.AddDays(-29), processed: true, name: "EnrolmentOpened");
        await Workflow("THU-2026");
        var runningOld = await Event("THU-2026", Now.AddDays(-90), processed: true, name: "LectureHeld");
        var noWorkflowOld = await Event("RUC-2026", Now.AddDays(-90), processed: true, name: "LectureHeld");
        _store.FindDueEventsOfFinishedWorkflows().Select(e => e.Id).Should().Equal(stale);

        var (settled, purged) = _store.ApplyRetention(Now);

        (settled, purged).Should().Be((1, 1));
        _store.FindDueEventsOfFinishedWorkflows().Should().BeEmpty();
        (await _store.GetEvent(stale)).IsProcessed.Should().BeTrue();
        (await _store.GetEvent(old)).Should().BeNull("a finished drive's processed event older than 30 days is deleted");
        foreach (var kept in new[] { recent, runningOld, noWorkflowOld })
        {
            (await _store.GetEvent(kept)).Should().NotBeNull();
        }
    }
}
