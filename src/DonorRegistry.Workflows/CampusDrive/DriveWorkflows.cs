using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>
/// What an organizer does with a drive that runs as a workflow: start it, record its lecture, open and close
/// enrolment, enrol volunteers and collect their samples, dispatch the shipment, record the lab's receipt, import
/// the typing results, and follow its progress and execution log. Each event is checked against the drive's
/// order before it is published (out of order, twice, unknown drive: a <see cref="DriveWorkflowException"/> and
/// nothing published), and each call returns once the registry shows what the workflow step did.
/// <para>
/// A call made after the process raising the drive's events stopped (or after a caller gave up waiting) may find the
/// previous event published but its step not run yet: the call first waits until the workflow has reached the wait
/// for its own event (the previous steps' work is in the registry), and only then reads the registry, checks and
/// publishes. A verb that changes the registry before publishing (a lecture, a typing import) leaves the registry's
/// record as the durable trace of the event it implies: the next call for the drive, and every start-up, publish the
/// events the registry implies and the store lacks (ADR 24).
/// </para>
/// </summary>
public sealed class DriveWorkflows : IDisposable
{
    private readonly Registry _registry;
    private readonly WorkflowEngine _engine;
    private readonly IWorkflowHost _host;
    private readonly IWorkflowStore _store;
    private readonly ExecutionLog _log;
    private readonly WorkflowsOptions _options;
    private readonly SemaphoreSlim _publishGate = new(1, 1);
    private int _resumed;

    internal DriveWorkflows(Registry registry, WorkflowEngine engine, IWorkflowStore store, ExecutionLog log, WorkflowsOptions options)
    {
        _registry = registry;
        _engine = engine;
        _host = engine.Host;
        _store = store;
        _log = log;
        _options = options;
    }

    /// <summary>Plans the drive in the registry (unless it is already planned and has no workflow) and starts its workflow.</summary>
    /// <param name="plan">The drive.</param>
    /// <param name="lab">The typing lab its samples go to.</param>
    /// <param name="by">Who starts it.</param>
    /// <returns>The workflow instance's id.</returns>
    /// <exception cref="DriveWorkflowException">The drive already has a workflow.</exception>
    /// <exception cref="RegistryValidationException">The plan is invalid.</exception>
    public async Task<string> StartDriveAsync(DrivePlan plan, string lab, Actor by)
    {
        DonorRegistry.Guard.NotNull(plan, nameof(plan), "give a value; null is not allowed");
        DonorRegistry.Guard.Text(lab, nameof(lab));
        DonorRegistry.Guard.Actor(by);
        EnsureStarted();
        await _publishGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (plan.Id.Value is not null && Workflow(plan.Id) is { } existing)
            {
                throw new DriveWorkflowException(plan.Id, $"Drive {plan.Id} already runs as workflow {existing.Id}; raise its events instead of starting it again.", DriveRefusal.AlreadyStarted, (DriveRefusalArgument.Workflow, existing.Id));
            }

            if (!_registry.Drives.TryGet(plan.Id, out _))
            {
                _registry.Drives.Plan(plan, by);
            }

            var data = new CampusDriveData { Drive = plan.Id.Value!, Lab = lab, ShipWithin = _options.ShipWithin, ResultsWithin = _options.ResultsWithin };
            return await _host.StartWorkflow(CampusDriveWorkflow.WorkflowId, CampusDriveWorkflow.Version1, data, plan.Id.Value).ConfigureAwait(false);
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>Records a knowledge lecture for the drive; the first one moves the drive on.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="venue">Where.</param>
    /// <param name="heldOn">The day.</param>
    /// <param name="audience">How many attended.</param>
    /// <param name="speaker">Who spoke.</param>
    /// <param name="by">Who records it.</param>
    /// <returns>The lecture.</returns>
    public async Task<Lecture> RecordLectureAsync(DriveId drive, string venue, DateOnly heldOn, int audience, string speaker, Actor by)
    {
        var lecture = _registry.Drives.RecordLecture(drive, venue, heldOn, audience, speaker, by);
        await PublishAsync(drive, DriveEvents.LectureHeld, DriveEvent.From(by), onlyOnce: false).ConfigureAwait(false);
        return lecture;
    }

    /// <summary>Opens enrolment; returns once the drive is open in the registry.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="by">Who opens it.</param>
    /// <returns>The drive, open.</returns>
    public async Task<Drive> OpenEnrolmentAsync(DriveId drive, Actor by)
    {
        var actor = Allowed(by, RegistryAction.OpenDriveEnrolment, drive);
        await AwaitTurnAsync(drive, DriveEvents.EnrolmentOpened, actor).ConfigureAwait(false);
        await PublishAsync(drive, DriveEvents.EnrolmentOpened, DriveEvent.From(actor)).ConfigureAwait(false);
        await UntilAsync(drive, "open enrolment", () => _registry.Drives.Get(drive).State != DriveState.Planned).ConfigureAwait(false);
        return _registry.Drives.Get(drive);
    }

    /// <summary>Enrols volunteers through the drive (its enrolment must be open).</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="requests">The enrolments.</param>
    /// <param name="by">Who enrols them.</param>
    /// <returns>The donors.</returns>
    public IReadOnlyList<Donor> Enrol(DriveId drive, IReadOnlyList<EnrolmentRequest> requests, Actor by) =>
        _registry.Drives.EnrolMany(drive, requests, by);

    /// <summary>Records a sample collected from a volunteer of the drive while its enrolment is open.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="donor">The volunteer, enrolled through this drive.</param>
    /// <param name="barcode">The tube.</param>
    /// <param name="kind">Blood or swab.</param>
    /// <param name="by">Who collected it.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="DriveWorkflowException">Enrolment is not open, or the donor enrolled elsewhere.</exception>
    public Sample CollectSample(DriveId drive, DonorId donor, string barcode, SampleKind kind, Actor by)
    {
        var current = _registry.Drives.Get(drive);
        if (current.State != DriveState.EnrolmentOpen)
        {
            throw new DriveWorkflowException(drive, $"Drive {drive} is {current.State}; samples are collected while its enrolment is open.", DriveRefusal.EnrolmentNotOpen, (DriveRefusalArgument.State, current.State.ToString()));
        }

        if (_registry.Donors.Get(donor).Profile.Drive != drive)
        {
            throw new DriveWorkflowException(drive, $"Donor {donor} did not enrol through drive {drive}; collect the sample at the donor's own drive.", DriveRefusal.DonorOfAnotherDrive, (DriveRefusalArgument.Donor, donor.ToString()));
        }

        return _registry.Samples.Collect(donor, barcode, kind, by);
    }

    /// <summary>Closes enrolment (the samples are collected); returns once the registry shows it.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="by">Who closes it.</param>
    /// <returns>The drive, awaiting results.</returns>
    public async Task<Drive> CloseEnrolmentAsync(DriveId drive, Actor by)
    {
        var actor = Allowed(by, RegistryAction.CloseDriveEnrolment, drive);
        await AwaitTurnAsync(drive, DriveEvents.EnrolmentClosed, actor).ConfigureAwait(false);
        await PublishAsync(drive, DriveEvents.EnrolmentClosed, DriveEvent.From(actor)).ConfigureAwait(false);
        await UntilAsync(drive, "close enrolment", () => _registry.Drives.Get(drive).State != DriveState.EnrolmentOpen).ConfigureAwait(false);
        return _registry.Drives.Get(drive);
    }

    /// <summary>Dispatches the drive's collected samples (all, or those named) to the lab; returns once they are shipped.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="by">Who dispatches them.</param>
    /// <param name="barcodes">The tubes, or null for every collected sample of the drive.</param>
    /// <param name="lab">The lab, or null for the drive's.</param>
    /// <returns>The shipment, or null if the drive had no sample to ship.</returns>
    /// <exception cref="SampleNotFoundException">A barcode names no sample.</exception>
    /// <exception cref="DriveWorkflowException">A tube is another drive's, or is not waiting to be shipped.</exception>
    public async Task<Shipment?> DispatchShipmentAsync(DriveId drive, Actor by, IReadOnlyList<string>? barcodes = null, string? lab = null)
    {
        var actor = Allowed(by, RegistryAction.ShipSamples, drive);
        await AwaitTurnAsync(drive, DriveEvents.ShipmentDispatched, actor).ConfigureAwait(false);
        if (barcodes is not null)
        {
            foreach (var barcode in barcodes)
            {
                var sample = _registry.Samples.Get(barcode);
                if (sample.Drive != drive)
                {
                    throw new DriveWorkflowException(drive, $"Sample {barcode} was collected at {(sample.Drive is { } other ? $"drive {other}" : "no drive")}, not at drive {drive}; ship it with its own drive.", DriveRefusal.SampleOfAnotherDrive, (DriveRefusalArgument.Barcode, barcode), (DriveRefusalArgument.Other, sample.Drive?.ToString()));
                }

                if (sample.State != SampleState.Collected)
                {
                    throw new DriveWorkflowException(drive, $"Sample {barcode} is {sample.State}{(sample.ShipmentId is { } s ? $" (shipment {s})" : string.Empty)}; only collected samples are shipped.", DriveRefusal.SampleNotCollected, (DriveRefusalArgument.Barcode, barcode), (DriveRefusalArgument.State, sample.State.ToString()), (DriveRefusalArgument.Shipment, sample.ShipmentId));
                }
            }
        }

        var before = _registry.Samples.FindByDrive(drive).Where(s => s.State == SampleState.Collected).Select(s => s.Barcode).ToHashSet(StringComparer.Ordinal);
        await PublishAsync(drive, DriveEvents.ShipmentDispatched, With(DriveEvent.From(actor), e => { e.Barcodes = barcodes?.ToList(); e.Lab = lab; })).ConfigureAwait(false);
        var expected = barcodes ?? [.. before];
        await UntilAsync(drive, "dispatch the shipment", () => expected.All(b => _registry.Samples.Get(b).State != SampleState.Collected)).ConfigureAwait(false);
        return expected.Count == 0 ? null : _registry.Samples.FindShipment(_registry.Samples.Get(expected[0]).ShipmentId!);
    }

    /// <summary>Records that the lab received the drive's samples (all shipped, or those named); returns once recorded.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="by">Who records it.</param>
    /// <param name="barcodes">The tubes received, or null for every shipped sample of the drive.</param>
    /// <returns>A task.</returns>
    public async Task RecordSamplesReceivedAsync(DriveId drive, Actor by, IReadOnlyList<string>? barcodes = null)
    {
        // The tubes to wait for are read once the dispatch's step has run: before, a shipment published by a process
        // that stopped would leave none shipped yet, and the call would return before anything was received.
        var actor = Allowed(by, RegistryAction.ReceiveSamples, drive);
        await AwaitTurnAsync(drive, DriveEvents.SamplesReceived, actor).ConfigureAwait(false);
        foreach (var barcode in barcodes ?? [])
        {
            if (_registry.Samples.Get(barcode).Drive != drive)
            {
                throw new DriveWorkflowException(drive, $"Sample {barcode} is not one of drive {drive}'s.", DriveRefusal.SampleNotOfDrive, (DriveRefusalArgument.Barcode, barcode));
            }
        }

        var expected = barcodes ?? _registry.Samples.FindByDrive(drive).Where(s => s.State == SampleState.Shipped).Select(s => s.Barcode).ToList();
        await PublishAsync(drive, DriveEvents.SamplesReceived, With(DriveEvent.From(actor), e => e.Barcodes = barcodes?.ToList())).ConfigureAwait(false);
        await UntilAsync(drive, "record the receipt", () => expected.All(b => _registry.Samples.Get(b).State != SampleState.Shipped)).ConfigureAwait(false);
    }

    /// <summary>
    /// Imports the lab's typing results (see <see cref="SampleOperations.ImportTypingResults(Stream, string, DateOnly, DonorRegistry.Access.Actor, string?)"/>)
    /// and tells the drive; when every sample is typed or rejected, the drive lists its donors and closes. If the
    /// receipt was never recorded, the results imply it.
    /// </summary>
    /// <param name="drive">The drive.</param>
    /// <param name="csv">The results file.</param>
    /// <param name="lab">The lab.</param>
    /// <param name="reportedOn">The day typed, for rows without one.</param>
    /// <param name="by">Who imports.</param>
    /// <param name="fileName">The file's name, for messages.</param>
    /// <returns>What was imported, and the rows that were not.</returns>
    public async Task<TypingImportResult> ImportTypingResultsAsync(DriveId drive, Stream csv, string lab, DateOnly reportedOn, Actor by, string? fileName = null)
    {
        // Results are read once the dispatch's step has run (the workflow waits for the receipt or later), so a
        // shipment published by a process that stopped does not leave the tubes collected when the rows are read.
        void Check()
        {
            var expected = NextEvent(drive, out _);
            if (expected is not (DriveEvents.SamplesReceived or DriveEvents.TypingResultsImported))
            {
                throw new DriveWorkflowException(drive, $"Drive {drive} expects {expected ?? "no event (it is closed)"} next; typing results are imported after the shipment is dispatched.", DriveRefusal.ResultsBeforeShipment, (DriveRefusalArgument.Expected, expected));
            }
        }

        await AwaitTurnAsync(drive, DriveEvents.SamplesReceived, by, Check).ConfigureAwait(false);
        Check();
        var next = NextEvent(drive, out _);

        var result = _registry.Samples.ImportTypingResults(csv, lab, reportedOn, by, fileName);
        if (next == DriveEvents.SamplesReceived)
        {
            await PublishAsync(drive, DriveEvents.SamplesReceived, With(DriveEvent.From(by), e => e.Barcodes = [])).ConfigureAwait(false);
        }

        await PublishAsync(drive, DriveEvents.TypingResultsImported, DriveEvent.From(by), onlyOnce: false).ConfigureAwait(false);
        return result;
    }

    /// <summary>Where the drive is now.</summary>
    /// <param name="drive">The drive.</param>
    /// <returns>Its progress.</returns>
    /// <exception cref="UnknownDriveException">No such drive.</exception>
    /// <exception cref="DriveWorkflowException">The drive has no workflow.</exception>
    public DriveProgress GetProgress(DriveId drive)
    {
        var current = _registry.Drives.Get(drive);
        var next = NextEvent(drive, out var workflow);
        return new DriveProgress(current, workflow.Id, workflow.Status.ToState(), next, _registry.Drives.GetStatistics(drive));
    }

    /// <summary>Waits until the drive's workflow is complete (the drive is closed and the workflow saved).</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The final progress.</returns>
    /// <exception cref="TimeoutException">The workflow did not complete in time.</exception>
    public async Task<DriveProgress> WaitUntilClosedAsync(DriveId drive, TimeSpan timeout)
    {
        // WorkflowCore raises WorkflowCompleted before it saves the instance, so wait for the saved status.
        await UntilAsync(drive, "close the drive", () => Workflow(drive)?.Status == WorkflowStatus.Complete, timeout).ConfigureAwait(false);
        return GetProgress(drive);
    }

    /// <summary>The drive's execution log: every step run, reminders and overdue notices, in order.</summary>
    /// <param name="drive">The drive.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<StepRun> GetExecutionLog(DriveId drive) => _log.For(drive.Value ?? string.Empty);

    /// <summary>The step errors WorkflowCore stored for the drive's workflow.</summary>
    /// <param name="drive">The drive.</param>
    /// <returns>The errors, oldest first.</returns>
    public IReadOnlyList<WorkflowError> GetErrors(DriveId drive) => Workflow(drive) is { } w ? _store.FindErrors(w.Id).Select(e => e.ToError()).ToList() : [];

    /// <summary>Stops the workflow host, letting running steps finish.</summary>
    public void Dispose()
    {
        _engine.Stop();
        _publishGate.Dispose();
    }

    /// <summary>
    /// Starts the workflow host (once) and, the first time, publishes for every running drive the events its registry
    /// record implies and the store lacks: a process that stopped between a verb's registry change and its publish
    /// left them out (ADR 24). Called at start-up by <see cref="RegistryWorkflowHost"/> and the hosted service, and by
    /// the first call otherwise.
    /// </summary>
    internal void Resume()
    {
        _engine.EnsureStarted();
        if (Interlocked.Exchange(ref _resumed, 1) != 0)
        {
            return;
        }

        _publishGate.Wait();
        try
        {
            foreach (var drive in _registry.Drives.FindAll().Where(d => d.State is not (DriveState.Closed or DriveState.Cancelled)))
            {
                CatchUpAsync(drive.Id, before: null, Actor.Host(DriveStep.WorkflowActor)).GetAwaiter().GetResult();
            }
        }
        finally
        {
            _publishGate.Release();
        }
    }

    private void EnsureStarted() => Resume();

    private WorkflowInstance? Workflow(DriveId drive) =>
        _store.FindByReference(drive.Value).LastOrDefault(w => w.WorkflowDefinitionId == CampusDriveWorkflow.WorkflowId);

    private string? NextEvent(DriveId drive, out WorkflowInstance workflow) => NextEvent(drive, out workflow, out _);

    /// <summary>The event the drive expects next, from the events already published for it (the store keeps them all).</summary>
    private string? NextEvent(DriveId drive, out WorkflowInstance workflow, out HashSet<string> published)
    {
        _registry.Drives.Get(drive);
        workflow = Workflow(drive) ?? throw new DriveWorkflowException(drive, $"Drive {drive} has no workflow; start it with StartDriveAsync.", DriveRefusal.NoWorkflow);
        published = _store.FindEventsByKey(drive.Value).Select(e => e.EventName).ToHashSet(StringComparer.Ordinal);
        if (workflow.Status is WorkflowStatus.Complete or WorkflowStatus.Terminated)
        {
            return null;
        }

        var seen = published;
        return DriveEvents.Sequence.FirstOrDefault(e => !seen.Contains(e)) ?? DriveEvents.TypingResultsImported;
    }

    private async Task PublishAsync(DriveId drive, string eventName, DriveEvent content, bool onlyOnce = true)
    {
        EnsureStarted();
        await _publishGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await CatchUpAsync(drive, eventName, content.Actor(DriveStep.WorkflowActor)).ConfigureAwait(false);
            if (!IsTurn(drive, eventName, onlyOnce))
            {
                return; // later lectures are recorded in the registry; the drive moved on at the first
            }

            await _host.PublishEvent(eventName, drive.Value, content).ConfigureAwait(false);
        }
        finally
        {
            _publishGate.Release();
        }
    }

    /// <summary>
    /// Whether <paramref name="eventName"/> is the drive's next event: false for a lecture after the first (nothing to
    /// publish); a <see cref="DriveWorkflowException"/> for an event published already (when it happens once) or out
    /// of order.
    /// </summary>
    private bool IsTurn(DriveId drive, string eventName, bool onlyOnce = true)
    {
        var next = NextEvent(drive, out _, out var events);
        var published = events.Contains(eventName);
        if (eventName == DriveEvents.LectureHeld && published)
        {
            return false;
        }

        if (next is null && eventName == DriveEvents.TypingResultsImported && !onlyOnce)
        {
            // The import checked the drive was open before it read the file; the drive's own check after the receipt
            // ran between the rows being written and this event, saw every tube typed, and closed the drive.
            return false;
        }

        if (published && onlyOnce)
        {
            throw new DriveWorkflowException(drive, $"Drive {drive} already had {eventName}; it happens once per drive. The drive expects {next ?? "no event (it is closed)"} next.", DriveRefusal.EventAlreadyHappened, (DriveRefusalArgument.Event, eventName), (DriveRefusalArgument.Expected, next));
        }

        if (eventName != next && eventName != DriveEvents.LectureHeld)
        {
            throw new DriveWorkflowException(drive, $"Drive {drive} expects {next ?? "no event (it is closed)"} next, not {eventName}; the order is {string.Join(" → ", DriveEvents.Sequence)}.", DriveRefusal.EventOutOfOrder, (DriveRefusalArgument.Event, eventName), (DriveRefusalArgument.Expected, next));
        }

        return true;
    }

    /// <summary>
    /// Waits for the drive's turn for <paramref name="eventName"/>: after checking the order as
    /// <see cref="PublishAsync"/> does (or with <paramref name="check"/>), until the workflow has reached its wait for
    /// the event, so every earlier event's step has run and the registry shows its work. A process that stopped after
    /// publishing the previous event (or a caller that gave up waiting for its step) leaves that step to run later;
    /// reading the registry before it has run would check and publish against a state the step is about to change.
    /// </summary>
    private async Task AwaitTurnAsync(DriveId drive, string eventName, Actor by, Action? check = null)
    {
        EnsureStarted();
        await _publishGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await CatchUpAsync(drive, check is null ? eventName : DriveEvents.TypingResultsImported, by).ConfigureAwait(false);
            if (check is null)
            {
                IsTurn(drive, eventName);
            }
            else
            {
                check();
            }
        }
        finally
        {
            _publishGate.Release();
        }

        await UntilAsync(drive, $"reach its wait for {eventName}", () => Workflow(drive) is not { } w || w.Status != WorkflowStatus.Runnable || Reached(w, eventName)).ConfigureAwait(false);
    }

    /// <summary>Whether the workflow has reached its wait for the event (WorkflowCore names the event on the waiting pointer).</summary>
    private static bool Reached(WorkflowInstance workflow, string eventName) =>
        workflow.ExecutionPointers.Any(p => string.Equals(p.EventName, eventName, StringComparison.Ordinal));

    private static int Position(string eventName) => DriveEvents.Sequence.ToList().IndexOf(eventName);

    /// <summary>
    /// Publishes the events the drive's registry record implies and the store lacks, those before
    /// <paramref name="before"/> in the drive's order (all, if null). A verb that writes to the registry before it
    /// publishes leaves, when its process stops in between, the registry's record as the only trace of its event:
    /// <list type="bullet">
    /// <item>a lecture recorded, and the drive still waiting for its first: <see cref="DriveEvents.LectureHeld"/>;</item>
    /// <item>every tube the dispatch shipped past Shipped (received, typed or rejected: an import implies the
    /// receipt), and the drive expecting the receipt: <see cref="DriveEvents.SamplesReceived"/> naming no tube;</item>
    /// <item>every tube typed or rejected after the drive last checked its results and found them missing, with no
    /// import's event since that check: <see cref="DriveEvents.TypingResultsImported"/>.</item>
    /// </list>
    /// Publishing one twice (two processes resuming at once) is harmless: each step reads the registry.
    /// </summary>
    private async Task CatchUpAsync(DriveId drive, string? before, Actor by)
    {
        if (Workflow(drive) is not { Status: WorkflowStatus.Runnable } workflow)
        {
            return;
        }

        var upTo = before is null ? int.MaxValue : Position(before);
        var next = NextEvent(drive, out _, out _);
        var content = DriveEvent.From(by);
        if (next == DriveEvents.LectureHeld && upTo > Position(DriveEvents.LectureHeld) && _registry.Drives.FindLectures(drive).Count > 0)
        {
            await _host.PublishEvent(DriveEvents.LectureHeld, drive.Value, content).ConfigureAwait(false);
            return;
        }

        // Not "the workflow waits for it": a process may stop after a step's work and before the wait is saved, and the
        // start-up pass runs once. An event published before its wait is taken when the wait is reached.
        if (next == DriveEvents.SamplesReceived && upTo > Position(DriveEvents.SamplesReceived))
        {
            var shipped = _registry.Samples.FindByDrive(drive).Where(s => s.ShipmentId is not null).ToList();
            if (shipped.Count > 0 && shipped.All(s => s.State != SampleState.Shipped))
            {
                content.Barcodes = [];
                await _host.PublishEvent(DriveEvents.SamplesReceived, drive.Value, content).ConfigureAwait(false);
            }

            return;
        }

        if (before is null
            && next == DriveEvents.TypingResultsImported
            && workflow.Data is CampusDriveData { ResultsIn: false } data
            && data.CheckedAt != default
            && _registry.Samples.FindByDrive(drive).All(s => s.State is SampleState.Typed or SampleState.Rejected or SampleState.Collected)
            && !_store.FindEventsByKey(drive.Value!).Any(e => e.EventName == DriveEvents.TypingResultsImported && e.EventTime >= data.CheckedAt))
        {
            await _host.PublishEvent(DriveEvents.TypingResultsImported, drive.Value, content).ConfigureAwait(false);
        }
    }

    private Task UntilAsync(DriveId drive, string what, Func<bool> done, TimeSpan? timeout = null)
    {
        var limit = timeout ?? _options.StepTimeout;
        return Poll.UntilAsync(done, limit, () => $"The workflow of drive {drive} did not {what} within {limit}; a failing step is retried, see GetExecutionLog and GetErrors for drive {drive}.");
    }

    // An event's step acts later, as the event's actor: check now that the actor may take the step's action, so a
    // refusal reaches the caller (and the access log) at once instead of failing the step over and over.
    private Actor Allowed(Actor by, RegistryAction action, DriveId drive)
    {
        ArgumentNullException.ThrowIfNull(by);
        DonorRegistry.Guard.Actor(by.Name);
        _registry.Writes.Access.Check(by, action, AggregateKind.Drive, drive.Value);
        return by;
    }

    private static DriveEvent With(DriveEvent content, Action<DriveEvent> set)
    {
        set(content);
        return content;
    }
}
