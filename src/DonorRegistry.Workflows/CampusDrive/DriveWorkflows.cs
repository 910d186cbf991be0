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
                throw new DriveWorkflowException(plan.Id, $"Drive {plan.Id} already runs as workflow {existing.Id}; raise its events instead of starting it again.");
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
        await PublishAsync(drive, DriveEvents.EnrolmentOpened, DriveEvent.From(Allowed(by, RegistryAction.OpenDriveEnrolment, drive))).ConfigureAwait(false);
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
            throw new DriveWorkflowException(drive, $"Drive {drive} is {current.State}; samples are collected while its enrolment is open.");
        }

        if (_registry.Donors.Get(donor).Profile.Drive != drive)
        {
            throw new DriveWorkflowException(drive, $"Donor {donor} did not enrol through drive {drive}; collect the sample at the donor's own drive.");
        }

        return _registry.Samples.Collect(donor, barcode, kind, by);
    }

    /// <summary>Closes enrolment (the samples are collected); returns once the registry shows it.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="by">Who closes it.</param>
    /// <returns>The drive, awaiting results.</returns>
    public async Task<Drive> CloseEnrolmentAsync(DriveId drive, Actor by)
    {
        await PublishAsync(drive, DriveEvents.EnrolmentClosed, DriveEvent.From(Allowed(by, RegistryAction.CloseDriveEnrolment, drive))).ConfigureAwait(false);
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
        if (barcodes is not null)
        {
            foreach (var barcode in barcodes)
            {
                var sample = _registry.Samples.Get(barcode);
                if (sample.Drive != drive)
                {
                    throw new DriveWorkflowException(drive, $"Sample {barcode} was collected at {(sample.Drive is { } other ? $"drive {other}" : "no drive")}, not at drive {drive}; ship it with its own drive.");
                }

                if (sample.State != SampleState.Collected)
                {
                    throw new DriveWorkflowException(drive, $"Sample {barcode} is {sample.State}{(sample.ShipmentId is { } s ? $" (shipment {s})" : string.Empty)}; only collected samples are shipped.");
                }
            }
        }

        var before = _registry.Samples.FindByDrive(drive).Where(s => s.State == SampleState.Collected).Select(s => s.Barcode).ToHashSet(StringComparer.Ordinal);
        await PublishAsync(drive, DriveEvents.ShipmentDispatched, With(DriveEvent.From(Allowed(by, RegistryAction.ShipSamples, drive)), e => { e.Barcodes = barcodes?.ToList(); e.Lab = lab; })).ConfigureAwait(false);
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
        foreach (var barcode in barcodes ?? [])
        {
            if (_registry.Samples.Get(barcode).Drive != drive)
            {
                throw new DriveWorkflowException(drive, $"Sample {barcode} is not one of drive {drive}'s.");
            }
        }

        var expected = barcodes ?? _registry.Samples.FindByDrive(drive).Where(s => s.State == SampleState.Shipped).Select(s => s.Barcode).ToList();
        await PublishAsync(drive, DriveEvents.SamplesReceived, With(DriveEvent.From(Allowed(by, RegistryAction.ReceiveSamples, drive)), e => e.Barcodes = barcodes?.ToList())).ConfigureAwait(false);
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
        var next = NextEvent(drive, out _);
        if (next is not (DriveEvents.SamplesReceived or DriveEvents.TypingResultsImported))
        {
            throw new DriveWorkflowException(drive, $"Drive {drive} expects {next ?? "no event (it is closed)"} next; typing results are imported after the shipment is dispatched.");
        }

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

    private void EnsureStarted() => _engine.EnsureStarted();

    private WorkflowInstance? Workflow(DriveId drive) =>
        _store.FindByReference(drive.Value).LastOrDefault(w => w.WorkflowDefinitionId == CampusDriveWorkflow.WorkflowId);

    private string? NextEvent(DriveId drive, out WorkflowInstance workflow) => NextEvent(drive, out workflow, out _);

    /// <summary>The event the drive expects next, from the events already published for it (the store keeps them all).</summary>
    private string? NextEvent(DriveId drive, out WorkflowInstance workflow, out HashSet<string> published)
    {
        _registry.Drives.Get(drive);
        workflow = Workflow(drive) ?? throw new DriveWorkflowException(drive, $"Drive {drive} has no workflow; start it with StartDriveAsync.");
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
            var next = NextEvent(drive, out _, out var events);
            if (next == DriveEvents.LectureHeld && eventName != DriveEvents.LectureHeld && _registry.Drives.FindLectures(drive).Count > 0)
            {
                // A lecture is written before its event is published; a process that stopped in between left the
                // lecture in the registry and the workflow still waiting. The registry's record decides: publish
                // the event it implies, once, before the one asked for.
                await _host.PublishEvent(DriveEvents.LectureHeld, drive.Value, new DriveEvent { By = content.By }).ConfigureAwait(false);
                next = NextEvent(drive, out _, out events);
            }

            var published = events.Contains(eventName);
            if (eventName == DriveEvents.LectureHeld && published)
            {
                return; // later lectures are recorded in the registry; the drive moved on at the first
            }

            if (published && onlyOnce)
            {
                throw new DriveWorkflowException(drive, $"Drive {drive} already had {eventName}; it happens once per drive. The drive expects {next ?? "no event (it is closed)"} next.");
            }

            if (eventName != next && eventName != DriveEvents.LectureHeld)
            {
                throw new DriveWorkflowException(drive, $"Drive {drive} expects {next ?? "no event (it is closed)"} next, not {eventName}; the order is {string.Join(" → ", DriveEvents.Sequence)}.");
            }

            await _host.PublishEvent(eventName, drive.Value, content).ConfigureAwait(false);
        }
        finally
        {
            _publishGate.Release();
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
