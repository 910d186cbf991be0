using WorkflowCore.Interface;

namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>
/// The campus drive as a WorkflowCore workflow:
/// <code>
/// plan ─LectureHeld→ ─EnrolmentOpened→ open enrolment ─EnrolmentClosed→ close enrolment
///   (reminder if not shipped within ShipWithin)
/// ─ShipmentDispatched→ ship ─SampleReceived→ receive   (overdue flag if results are not in within ResultsWithin)
/// ─TypingResultsImported (until every sample is typed or rejected)→ list typed donors → close with the funnel
/// </code>
/// The event key is the drive's code. Steps call the registry's operations and hold no state it does not have.
/// </summary>
internal sealed class CampusDriveWorkflow : IWorkflow<CampusDriveData>
{
    /// <summary>The workflow's id in WorkflowCore.</summary>
    public const string WorkflowId = "campus-drive";

    /// <inheritdoc />
    public string Id => WorkflowId;

    /// <inheritdoc />
    public int Version => Version1;

    /// <summary>The version this library defines.</summary>
    public const int Version1 = 1;

    /// <inheritdoc />
    public void Build(IWorkflowBuilder<CampusDriveData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .StartWith<ConfirmPlan>().Name("Plan")
            .WaitFor(DriveEvents.LectureHeld, d => d.Drive).Name("Await lecture")
            .WaitFor(DriveEvents.EnrolmentOpened, d => d.Drive).Name("Await enrolment window")
                .Output(d => d.LastEvent, step => step.EventData as DriveEvent)
            .Then<OpenEnrolment>().Name("Open enrolment")
            .WaitFor(DriveEvents.EnrolmentClosed, d => d.Drive).Name("Await samples collected")
                .Output(d => d.LastEvent, step => step.EventData as DriveEvent)
            .Then<CloseEnrolment>().Name("Close enrolment")
            // A schedule runs beside the main path (Do returns the step before it); its step checks the registry.
            .Schedule(d => d.ShipWithin).Do(reminder => reminder.StartWith<RemindToShip>().Name("Remind to ship"))
            .WaitFor(DriveEvents.ShipmentDispatched, d => d.Drive).Name("Await shipment")
                .Output(d => d.LastEvent, step => step.EventData as DriveEvent)
            .Then<DispatchShipment>().Name("Dispatch shipment")
            .Schedule(d => d.ResultsWithin).Do(deadline => deadline.StartWith<FlagOverdue>().Name("Flag overdue shipment"))
            .WaitFor(DriveEvents.SamplesReceived, d => d.Drive).Name("Await receipt")
                .Output(d => d.LastEvent, step => step.EventData as DriveEvent)
            .Then<ReceiveSamples>().Name("Receive samples")
            .Then<CheckResults>().Name("Check results")
            .While(d => !d.ResultsIn).Do(loop => loop
                // Only imports after the last check count: the events of earlier imports stay in the store.
                .WaitFor(DriveEvents.TypingResultsImported, d => d.Drive, d => d.CheckedAt).Name("Await typing results")
                .Then<CheckResults>().Name("Check results")).Name("Until results are in")
            .Then<ListDonors>().Name("List typed donors")
            .Then<CloseDrive>().Name("Close drive")
            .EndWorkflow(); // the drive is closed: schedules that have not fired yet are moot
    }
}
