using DonorRegistry.Donors;

namespace DonorRegistry.Tests.Donors;

/// <summary>The donor lifecycle of docs/lifecycle.md written out as a table, independent of the machine, so tests can hold the machine to it.</summary>
internal static class LifecycleSpec
{
    public static readonly IReadOnlyDictionary<(DonorState From, DonorTrigger Trigger), DonorState> Edges = Build();

    public static DonorState? Target(DonorState from, DonorTrigger trigger) =>
        Edges.TryGetValue((from, trigger), out var to) ? to : null;

    private static Dictionary<(DonorState, DonorTrigger), DonorState> Build()
    {
        var edges = new Dictionary<(DonorState, DonorTrigger), DonorState>
        {
            [(DonorState.Prospect, DonorTrigger.Enrol)] = DonorState.Enrolled,
            [(DonorState.Enrolled, DonorTrigger.CollectSample)] = DonorState.SampleCollected,
            [(DonorState.Enrolled, DonorTrigger.ScreenOut)] = DonorState.Ineligible,
            [(DonorState.Ineligible, DonorTrigger.Rescreen)] = DonorState.Enrolled,
            [(DonorState.SampleCollected, DonorTrigger.RecordTyping)] = DonorState.Typed,
            [(DonorState.SampleCollected, DonorTrigger.RejectSample)] = DonorState.Enrolled,
            [(DonorState.Typed, DonorTrigger.List)] = DonorState.Available,
            [(DonorState.Available, DonorTrigger.Defer)] = DonorState.TemporarilyUnavailable,
            [(DonorState.Available, DonorTrigger.Reserve)] = DonorState.Reserved,
            [(DonorState.Available, DonorTrigger.Remove)] = DonorState.Removed,
            [(DonorState.TemporarilyUnavailable, DonorTrigger.Defer)] = DonorState.TemporarilyUnavailable,
            [(DonorState.TemporarilyUnavailable, DonorTrigger.EndDeferral)] = DonorState.Available,
            [(DonorState.TemporarilyUnavailable, DonorTrigger.Remove)] = DonorState.Removed,
            [(DonorState.Reserved, DonorTrigger.Release)] = DonorState.Available,
            [(DonorState.Reserved, DonorTrigger.RecordDonation)] = DonorState.Donated,
            [(DonorState.Reserved, DonorTrigger.Remove)] = DonorState.Removed,
            [(DonorState.Donated, DonorTrigger.EndRecovery)] = DonorState.Available,
            [(DonorState.Donated, DonorTrigger.Defer)] = DonorState.TemporarilyUnavailable,
            [(DonorState.Donated, DonorTrigger.Remove)] = DonorState.Removed,
            [(DonorState.Removed, DonorTrigger.Reactivate)] = DonorState.Available,
        };
        foreach (var state in Enum.GetValues<DonorState>().Where(s => s != DonorState.Withdrawn))
        {
            edges[(state, DonorTrigger.Withdraw)] = DonorState.Withdrawn;
        }

        return edges;
    }
}
