using Stateless;
using Stateless.Graph;

namespace DonorRegistry.Samples;

/// <summary>
/// A sample's life as one Stateless machine:
/// <code>
/// Collected ─Ship→ Shipped ─Receive→ Received ─RecordTyping→ Typed
/// Collected | Shipped | Received ─Reject(reason)→ Rejected   (the donor waits for a new sample)
/// </code>
/// </summary>
public sealed class SampleLifecycle
{
    private readonly StateMachine<SampleState, SampleTrigger> _machine;
    private readonly Sample _sample;
    private readonly StateMachine<SampleState, SampleTrigger>.TriggerWithParameters<string, string> _ship;
    private readonly StateMachine<SampleState, SampleTrigger>.TriggerWithParameters<string> _reject;

    internal SampleLifecycle(Sample sample)
    {
        _sample = sample;
        _machine = new StateMachine<SampleState, SampleTrigger>(() => _sample.State, s => _sample.State = s);
        _ship = _machine.SetTriggerParameters<string, string>(SampleTrigger.Ship);
        _reject = _machine.SetTriggerParameters<string>(SampleTrigger.Reject);

        _machine.Configure(SampleState.Collected)
            .Permit(SampleTrigger.Ship, SampleState.Shipped)
            .Permit(SampleTrigger.Reject, SampleState.Rejected);
        _machine.Configure(SampleState.Shipped)
            .OnEntryFrom(_ship, (shipment, lab) => (_sample.ShipmentId, _sample.Lab) = (shipment, lab), "keep the shipment and lab")
            .Permit(SampleTrigger.Receive, SampleState.Received)
            .Permit(SampleTrigger.Reject, SampleState.Rejected);
        _machine.Configure(SampleState.Received)
            .Permit(SampleTrigger.RecordTyping, SampleState.Typed)
            .Permit(SampleTrigger.Reject, SampleState.Rejected);
        _machine.Configure(SampleState.Rejected)
            .OnEntryFrom(_reject, reason => _sample.RejectionReason = reason, "keep the reason");
    }

    /// <summary>The sample lifecycle as a Mermaid state diagram, drawn from the machine.</summary>
    /// <returns>Mermaid text.</returns>
    public static string ToMermaid() =>
        MermaidGraph.Format(new SampleLifecycle(new Sample("T", new Donors.DonorId(1), SampleKind.BloodEdta, null, default))._machine.GetInfo());

    internal void Ship(string shipment, string lab)
    {
        Ensure(SampleTrigger.Ship);
        _machine.Fire(_ship, shipment, lab);
    }

    internal void Receive()
    {
        Ensure(SampleTrigger.Receive);
        _machine.Fire(SampleTrigger.Receive);
    }

    internal void RecordTyping()
    {
        Ensure(SampleTrigger.RecordTyping);
        _machine.Fire(SampleTrigger.RecordTyping);
    }

    internal void Reject(string reason)
    {
        Ensure(SampleTrigger.Reject);
        _machine.Fire(_reject, reason);
    }

    private void Ensure(SampleTrigger trigger)
    {
        if (!_machine.CanFire(trigger))
        {
            var permitted = Enum.GetValues<SampleTrigger>().Where(t => _machine.CanFire(t)).ToList();
            throw new InvalidSampleTransitionException(_sample.Barcode, _sample.State, trigger, permitted);
        }
    }
}
