using DonorRegistry.Access;
using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.DonorCare;

/// <summary>
/// What a coordinator does for a donor's care when it runs as a workflow: record the donation (which starts the
/// care workflow), record follow-ups and visits, approve recognitions, mark the donor unreachable. Each call
/// stores its change in the registry first, so a refused change throws at once and stores nothing, then tells
/// the donation's workflow, which reviews the plan and lists what fell due.
/// <para>
/// The registry's record stands for what a stopped process left untold (ADR 24, "Donor care"): a donation whose care
/// goes on in the registry but has no workflow (the process stopped between recording it and starting its care) gets
/// one at start-up and at the next call for it; a running care whose plan the registry shows done but the workflow
/// has not reviewed (the process stopped before telling it of the last change) is told at start-up. Starting care is
/// done once per donation under a lock shared by every process on the workflow store.
/// </para>
/// </summary>
public sealed class CareWorkflows : IDisposable
{
    private readonly Registry _registry;
    private readonly WorkflowEngine _engine;
    private readonly IWorkflowStore _store;
    private readonly ExecutionLog _log;
    private readonly WorkflowsOptions _options;
    private readonly IDistributedLockProvider _locks;
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private int _resumed;

    /// <summary>Who a start-up catch-up event names.</summary>
    private const string CatchUpActor = "workflow.donor-care";

    internal CareWorkflows(Registry registry, WorkflowEngine engine, IWorkflowStore store, ExecutionLog log, WorkflowsOptions options, IDistributedLockProvider locks)
    {
        _registry = registry;
        _engine = engine;
        _store = store;
        _log = log;
        _options = options;
        _locks = locks;
    }

    /// <summary>Records a donation (see <see cref="CareOperations.RecordDonation"/>) and starts its care workflow.</summary>
    /// <param name="donor">The donor.</param>
    /// <param name="details">The collection.</param>
    /// <param name="by">Who records it.</param>
    /// <returns>The donation record.</returns>
    public async Task<DonationRecord> RecordDonationAsync(DonorId donor, DonationDetails details, Actor by)
    {
        var record = _registry.Care.RecordDonation(donor, details, by);
        await StartCareAsync(record.Id).ConfigureAwait(false);
        return record;
    }

    /// <summary>Starts the care workflow of a donation recorded without one (a restart resumes running ones by itself).</summary>
    /// <param name="donation">The donation's number.</param>
    /// <returns>The workflow instance's id.</returns>
    /// <exception cref="DonationNotFoundException">No such donation.</exception>
    /// <exception cref="CareWorkflowException">The donation's care already runs as a workflow.</exception>
    /// <exception cref="TimeoutException">Another process held the donation's start lock longer than <see cref="WorkflowsOptions.StepTimeout"/>.</exception>
    public async Task<string> StartCareAsync(string donation)
    {
        _registry.Care.Get(donation);
        Resume();
        return await StartOnceAsync(donation, existing => throw new CareWorkflowException(donation, $"The care of donation {donation} already runs as workflow {existing.Id}; follow it with GetStatus and GetExecutionLog instead of starting it again.")).ConfigureAwait(false);
    }

    /// <summary>Records a follow-up check (see <see cref="CareOperations.RecordFollowUp"/>) and tells the workflow.</summary>
    /// <param name="donation">The donation.</param>
    /// <param name="key">The check's key.</param>
    /// <param name="doneOn">The day.</param>
    /// <param name="health">The donor's health.</param>
    /// <param name="adverseEvents">Adverse events, if any.</param>
    /// <param name="notes">Notes, if any.</param>
    /// <param name="by">Who did it.</param>
    /// <returns>The donation record.</returns>
    public async Task<DonationRecord> RecordFollowUpAsync(string donation, string key, DateOnly doneOn, DonorHealth health, IReadOnlyList<AdverseEvent>? adverseEvents, string? notes, Actor by)
    {
        var record = _registry.Care.RecordFollowUp(donation, key, doneOn, health, adverseEvents, notes, by);
        await TellAsync(record.Id, CareEventKind.FollowUpRecorded, key, by).ConfigureAwait(false);
        return record;
    }

    /// <summary>Records an appreciation visit (see <see cref="CareOperations.RecordVisit"/>) and tells the workflow.</summary>
    /// <param name="donor">The donor.</param>
    /// <param name="visit">The visit's key.</param>
    /// <param name="visitedOn">The day.</param>
    /// <param name="gifts">What was given.</param>
    /// <param name="notes">Notes.</param>
    /// <param name="by">Who visited.</param>
    /// <returns>The donation record.</returns>
    public async Task<DonationRecord> RecordVisitAsync(DonorId donor, string visit, DateOnly visitedOn, string? gifts, string? notes, Actor by)
    {
        var record = _registry.Care.RecordVisit(donor, visit, visitedOn, gifts, notes, by);
        await TellAsync(record.Id, CareEventKind.VisitRecorded, visit, by).ConfigureAwait(false);
        return record;
    }

    /// <summary>Skips an appreciation visit (see <see cref="CareOperations.SkipVisit"/>) and tells the workflow.</summary>
    /// <param name="donor">The donor.</param>
    /// <param name="visit">The visit's key.</param>
    /// <param name="reason">Why.</param>
    /// <param name="by">Who decided.</param>
    /// <returns>The donation record.</returns>
    public async Task<DonationRecord> SkipVisitAsync(DonorId donor, string visit, string reason, Actor by)
    {
        var record = _registry.Care.SkipVisit(donor, visit, reason, by);
        await TellAsync(record.Id, CareEventKind.VisitSkipped, visit, by).ConfigureAwait(false);
        return record;
    }

    /// <summary>Approves a recognition (see <see cref="CareOperations.Recognise"/>) and tells the workflow of the donor's latest donation.</summary>
    /// <param name="donor">The donor.</param>
    /// <param name="kind">Certificate, honour title or story.</param>
    /// <param name="title">Its title or text.</param>
    /// <param name="on">The day.</param>
    /// <param name="by">Who approved it.</param>
    /// <returns>The recognition.</returns>
    public async Task<Recognition> ApproveRecognitionAsync(DonorId donor, RecognitionKind kind, string title, DateOnly on, Actor by)
    {
        var recognition = _registry.Care.Recognise(donor, kind, title, on, by);
        var latest = _registry.Care.FindByDonor(donor)[^1];
        await TellAsync(latest.Id, CareEventKind.RecognitionApproved, recognition.Id, by).ConfigureAwait(false);
        return recognition;
    }

    /// <summary>Marks the donor of a donation unreachable (see <see cref="CareOperations.MarkUnreachable"/>) and tells the workflow.</summary>
    /// <param name="donation">The donation.</param>
    /// <param name="note">How it was tried.</param>
    /// <param name="by">Who tried.</param>
    /// <returns>The donation record.</returns>
    public async Task<DonationRecord> MarkUnreachableAsync(string donation, string note, Actor by)
    {
        var record = _registry.Care.MarkUnreachable(donation, note, by);
        await TellAsync(record.Id, CareEventKind.ReachabilityChanged, null, by).ConfigureAwait(false);
        return record;
    }

    /// <summary>The status of a donation's care workflow, or null if it has none.</summary>
    /// <param name="donation">The donation.</param>
    /// <returns>Runnable while care goes on, Complete when it is done.</returns>
    public WorkflowState? GetStatus(string donation) => Workflow(donation)?.Status.ToState();

    /// <summary>Waits until the donation's care workflow is complete (and saved).</summary>
    /// <param name="donation">The donation.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>A task.</returns>
    /// <exception cref="TimeoutException">Care did not complete in time.</exception>
    /// <exception cref="DonationNotFoundException">No such donation.</exception>
    public Task WaitUntilCompleteAsync(string donation, TimeSpan timeout)
    {
        _registry.Care.Get(donation);
        return Poll.UntilAsync(() => Workflow(donation)?.Status == WorkflowStatus.Complete, timeout, () => $"The care of donation {donation} did not complete within {timeout}; see its execution log.");
    }

    /// <summary>The care workflow's execution log: reviews, due items put on the list, the close.</summary>
    /// <param name="donation">The donation.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<StepRun> GetExecutionLog(string donation) => _log.For(donation ?? string.Empty);

    /// <inheritdoc />
    public void Dispose() => _startGate.Dispose();

    /// <summary>
    /// Starts the workflow host (once) and, the first time, catches every donation up with what its registry record
    /// implies and the workflow store lacks (ADR 24, "Donor care"): care going on in the registry without a workflow
    /// is started; a running care whose plan the registry shows done, not yet reviewed as such, is told. Called at
    /// start-up by <see cref="RegistryWorkflowHost"/> and the hosted service, and by the first call otherwise.
    /// </summary>
    internal void Resume()
    {
        _engine.EnsureStarted();
        if (Interlocked.Exchange(ref _resumed, 1) != 0)
        {
            return;
        }

        foreach (var record in _registry.Care.FindCollectedBetween(Guard.MinDay, Guard.MaxDay))
        {
            CatchUpAsync(record).GetAwaiter().GetResult();
        }
    }

    private WorkflowInstance? Workflow(string donation) =>
        donation is null ? null : _store.FindByReference(donation).LastOrDefault(w => w.WorkflowDefinitionId == DonorCareWorkflow.WorkflowId);

    /// <summary>
    /// The start-up rules for one donation. Without a workflow: care is started if the registry shows it going on
    /// (the first review reads every change). With a running one whose last review found care going on: a
    /// <see cref="CareEventKind.CaughtUp"/> event if the registry now shows it done (a change that does not finish the
    /// plan is reviewed on schedule or at the next event, as before). Publishing twice (two processes at once) only
    /// reviews twice: the review is idempotent (<see cref="ReviewCare"/>).
    /// </summary>
    private async Task CatchUpAsync(DonationRecord record)
    {
        switch (Workflow(record.Id))
        {
            case null when !ReviewCare.IsComplete(_registry, record):
                await StartOnceAsync(record.Id, existing => existing.Id).ConfigureAwait(false);
                break;
            case { Status: WorkflowStatus.Runnable, Data: DonorCareData { Complete: false } } when ReviewCare.IsComplete(_registry, record):
                await _engine.Host.PublishEvent(CareEvent.Name, record.Id, new CareEvent { Kind = CareEventKind.CaughtUp, By = CatchUpActor }).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Starts the donation's care unless a workflow runs it already (then <paramref name="existing"/> decides: its id, or
    /// a refusal), under this process's gate and a lock on the donation in the workflow store's lock provider (shared
    /// by the processes on one PostgreSQL store), so two callers, or two processes resuming at once, start it once.
    /// </summary>
    private async Task<string> StartOnceAsync(string donation, Func<WorkflowInstance, string> existing)
    {
        var resource = "donor-care-start:" + donation;
        await _startGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!await _locks.AcquireLock(resource, CancellationToken.None).ConfigureAwait(false))
            {
                if (waited.Elapsed > _options.StepTimeout)
                {
                    throw new TimeoutException($"The care of donation {donation} could not be started: another process held its start lock for {_options.StepTimeout}; try again.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);
            }

            try
            {
                if (Workflow(donation) is { } running)
                {
                    return existing(running);
                }

                return await _engine.Host.StartWorkflow(DonorCareWorkflow.WorkflowId, DonorCareWorkflow.Version1, new DonorCareData { Donation = donation, ReviewEvery = _options.CareReviewEvery }, donation).ConfigureAwait(false);
            }
            finally
            {
                await _locks.ReleaseLock(resource).ConfigureAwait(false);
            }
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>
    /// Tells the donation's workflow of a change already in the registry. A donation without one (its care was
    /// recorded by a process that stopped before starting it, or by the core directly) has its care started if the
    /// registry shows it going on: the first review reads this change with the rest.
    /// </summary>
    private async Task TellAsync(string donation, CareEventKind kind, string? subject, Actor by)
    {
        Resume();
        if (Workflow(donation) is null)
        {
            if (!ReviewCare.IsComplete(_registry, _registry.Care.Get(donation)))
            {
                await StartOnceAsync(donation, running => running.Id).ConfigureAwait(false);
            }

            return;
        }

        await _engine.Host.PublishEvent(CareEvent.Name, donation, new CareEvent { Kind = kind, Subject = subject, By = by.Name }).ConfigureAwait(false);
    }
}
