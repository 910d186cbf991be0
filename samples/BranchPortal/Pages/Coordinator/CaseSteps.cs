using DonorRegistry.Cases;

namespace BranchPortal.Pages.Coordinator;

/// <summary>
/// The steps a match case can take from each stage, as <c>CaseLifecycle</c> permits them (the library does not
/// publish the permitted triggers of a case; a step it refuses still says so in its own words), and the stages in
/// board order.
/// </summary>
public static class CaseSteps
{
    /// <summary>The stages still in progress, in the order a case goes through them.</summary>
    public static IReadOnlyList<CaseState> Board { get; } =
    [
        CaseState.PotentialMatch, CaseState.DonorContacted, CaseState.Consented, CaseState.CtSampleRequested, CaseState.CtTyped,
        CaseState.Selected, CaseState.WorkupRequested, CaseState.InformationSession, CaseState.MedicalExam, CaseState.Cleared,
        CaseState.Mobilizing, CaseState.Apheresis, CaseState.MarrowHarvest, CaseState.Collected, CaseState.ProductDelivered,
    ];

    /// <summary>The steps forward from a stage (cancellation aside).</summary>
    /// <param name="state">The stage.</param>
    /// <returns>The triggers.</returns>
    public static IReadOnlyList<CaseTrigger> Next(CaseState state) => state switch
    {
        CaseState.PotentialMatch => [CaseTrigger.ContactDonor],
        CaseState.DonorContacted => [CaseTrigger.RecordConsent, CaseTrigger.RecordDecline],
        CaseState.Consented => [CaseTrigger.RequestCtSample],
        CaseState.CtSampleRequested => [CaseTrigger.RecordCtTyping],
        CaseState.CtTyped => [CaseTrigger.Select],
        CaseState.Selected => [CaseTrigger.RequestWorkup],
        CaseState.WorkupRequested => [CaseTrigger.HoldInformationSession],
        CaseState.InformationSession => [CaseTrigger.RecordMedicalExam],
        CaseState.MedicalExam => [CaseTrigger.Clear],
        CaseState.Cleared => [CaseTrigger.StartMobilization, CaseTrigger.StartMarrowHarvest],
        CaseState.Mobilizing => [CaseTrigger.StartApheresis],
        CaseState.Apheresis or CaseState.MarrowHarvest => [CaseTrigger.RecordCollection],
        CaseState.Collected => [CaseTrigger.DeliverProduct],
        CaseState.ProductDelivered => [CaseTrigger.Close],
        _ => [],
    };

    /// <summary>True for a step its form needs more than the case for (a reason, a typing, a day).</summary>
    /// <param name="step">The trigger.</param>
    /// <returns>Whether.</returns>
    public static bool NeedsInput(CaseTrigger step) => step is CaseTrigger.RecordDecline or CaseTrigger.RecordCtTyping or CaseTrigger.RecordCollection or CaseTrigger.Cancel;

    /// <summary>True while the case can still be cancelled.</summary>
    /// <param name="state">The stage.</param>
    /// <returns>Whether.</returns>
    public static bool CanCancel(CaseState state) => state is not (CaseState.Closed or CaseState.Cancelled or CaseState.Declined);
}
