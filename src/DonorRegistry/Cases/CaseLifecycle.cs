using DonorRegistry.Donors;
using Stateless;
using Stateless.Graph;

namespace DonorRegistry.Cases;

/// <summary>
/// The match case from search to collection, as one Stateless machine:
/// <code>
/// PotentialMatch → DonorContacted → (Declined | Consented) → CtSampleRequested → CtTyped → Selected → WorkupRequested
///   → InformationSession → MedicalExam → Cleared → (Mobilizing → Apheresis | MarrowHarvest) → Collected → ProductDelivered → Closed
/// any step before Collected → Cancelled (with a reason)
/// </code>
/// </summary>
public sealed class CaseLifecycle
{
    private readonly StateMachine<CaseState, CaseTrigger> _machine;
    private readonly MatchCase _case;
    private readonly StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<string> _cancel;
    private readonly StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<string> _decline;
    private readonly StateMachine<CaseState, CaseTrigger>.TriggerWithParameters<DateOnly> _collect;

    internal CaseLifecycle(MatchCase matchCase)
    {
        _case = matchCase;
        _machine = new StateMachine<CaseState, CaseTrigger>(() => _case.State, s => _case.State = s);
        _cancel = _machine.SetTriggerParameters<string>(CaseTrigger.Cancel);
        _decline = _machine.SetTriggerParameters<string>(CaseTrigger.RecordDecline);
        _collect = _machine.SetTriggerParameters<DateOnly>(CaseTrigger.RecordCollection);

        Step(CaseState.PotentialMatch, CaseTrigger.ContactDonor, CaseState.DonorContacted);
        _machine.Configure(CaseState.DonorContacted)
            .Permit(CaseTrigger.RecordDecline, CaseState.Declined)
            .Permit(CaseTrigger.RecordConsent, CaseState.Consented);
        _machine.Configure(CaseState.Declined)
            .OnEntryFrom(_decline, reason => _case.EndReason = reason, "keep the reason");
        Step(CaseState.Consented, CaseTrigger.RequestCtSample, CaseState.CtSampleRequested);
        Step(CaseState.CtSampleRequested, CaseTrigger.RecordCtTyping, CaseState.CtTyped);
        Step(CaseState.CtTyped, CaseTrigger.Select, CaseState.Selected);
        Step(CaseState.Selected, CaseTrigger.RequestWorkup, CaseState.WorkupRequested);
        Step(CaseState.WorkupRequested, CaseTrigger.HoldInformationSession, CaseState.InformationSession);
        Step(CaseState.InformationSession, CaseTrigger.RecordMedicalExam, CaseState.MedicalExam);
        Step(CaseState.MedicalExam, CaseTrigger.Clear, CaseState.Cleared);
        _machine.Configure(CaseState.Cleared)
            .Permit(CaseTrigger.StartMobilization, CaseState.Mobilizing)
            .Permit(CaseTrigger.StartMarrowHarvest, CaseState.MarrowHarvest);
        Step(CaseState.Mobilizing, CaseTrigger.StartApheresis, CaseState.Apheresis);
        _machine.Configure(CaseState.Apheresis)
            .OnEntry(() => _case.Product = DonationProduct.Pbsc, "the product is PBSC")
            .Permit(CaseTrigger.RecordCollection, CaseState.Collected);
        _machine.Configure(CaseState.MarrowHarvest)
            .OnEntry(() => _case.Product = DonationProduct.BoneMarrow, "the product is bone marrow")
            .Permit(CaseTrigger.RecordCollection, CaseState.Collected);
        _machine.Configure(CaseState.Collected)
            .OnEntryFrom(_collect, day => _case.CollectedOn = day, "keep the collection day")
            .Permit(CaseTrigger.DeliverProduct, CaseState.ProductDelivered);
        Step(CaseState.ProductDelivered, CaseTrigger.Close, CaseState.Closed);
        _machine.Configure(CaseState.Cancelled)
            .OnEntryFrom(_cancel, reason => _case.EndReason = reason, "keep the reason");

        // Cancellation is allowed at every step until the product is collected.
        foreach (var state in Enum.GetValues<CaseState>().Where(s => s is < CaseState.Collected && s != CaseState.Declined))
        {
            _machine.Configure(state).Permit(CaseTrigger.Cancel, CaseState.Cancelled);
        }
    }

    /// <summary>The case lifecycle as a Mermaid state diagram, drawn from the machine.</summary>
    /// <returns>Mermaid text.</returns>
    public static string ToMermaid() =>
        MermaidGraph.Format(new CaseLifecycle(new MatchCase(new CaseReference("C"), new DonorId(1), "P", default))._machine.GetInfo());

    internal IReadOnlyList<CaseTrigger> Permitted() => Enum.GetValues<CaseTrigger>().Where(t => _machine.CanFire(t)).ToList();

    internal void Fire(CaseTrigger trigger)
    {
        Ensure(trigger);
        _machine.Fire(trigger);
    }

    internal void Cancel(string reason)
    {
        Ensure(CaseTrigger.Cancel);
        _machine.Fire(_cancel, reason);
    }

    internal void Decline(string reason)
    {
        Ensure(CaseTrigger.RecordDecline);
        _machine.Fire(_decline, reason);
    }

    internal void Collect(DateOnly day)
    {
        Ensure(CaseTrigger.RecordCollection);
        _machine.Fire(_collect, day);
    }

    internal void Ensure(CaseTrigger trigger)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidCaseTransitionException(_case.Id, _case.State, trigger, Permitted());
        }
    }

    private void Step(CaseState from, CaseTrigger trigger, CaseState to) => _machine.Configure(from).Permit(trigger, to);
}
