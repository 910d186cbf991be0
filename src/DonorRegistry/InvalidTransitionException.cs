using DonorRegistry.Donors;

namespace DonorRegistry;

/// <summary>
/// Thrown when a donor operation fires a trigger that the donor's current state does not allow,
/// or whose guard is not met. Nothing is stored.
/// </summary>
public sealed class InvalidTransitionException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="donorId">The donor.</param>
    /// <param name="state">The donor's state when the trigger was fired.</param>
    /// <param name="trigger">The trigger that was refused.</param>
    /// <param name="permitted">The triggers that the state allows now.</param>
    /// <param name="unmetGuards">Why the trigger was refused when the state knows it but a guard is not met.</param>
    public InvalidTransitionException(
        DonorId donorId,
        DonorState state,
        DonorTrigger trigger,
        IReadOnlyList<DonorTrigger> permitted,
        IReadOnlyList<string> unmetGuards)
        : base(BuildMessage(donorId, state, trigger, permitted, unmetGuards))
    {
        DonorId = donorId;
        State = state;
        Trigger = trigger;
        Permitted = permitted;
        UnmetGuards = unmetGuards;
    }

    /// <summary>The donor.</summary>
    public DonorId DonorId { get; }

    /// <summary>The donor's state when the trigger was fired.</summary>
    public DonorState State { get; }

    /// <summary>The trigger that was refused.</summary>
    public DonorTrigger Trigger { get; }

    /// <summary>The triggers that the state allows now.</summary>
    public IReadOnlyList<DonorTrigger> Permitted { get; }

    /// <summary>The guards that were not met, in words; empty when the state does not know the trigger at all.</summary>
    public IReadOnlyList<string> UnmetGuards { get; }

    private static string BuildMessage(
        DonorId donorId, DonorState state, DonorTrigger trigger,
        IReadOnlyList<DonorTrigger> permitted, IReadOnlyList<string> unmetGuards)
    {
        var allowed = permitted.Count == 0 ? "nothing (the state is terminal)" : string.Join(", ", permitted);
        return unmetGuards.Count > 0
            ? $"Donor {donorId} is {state} and cannot {trigger} now: {string.Join("; ", unmetGuards)}. Allowed now: {allowed}."
            : $"Donor {donorId} is {state}, where {trigger} is not a valid step. Allowed now: {allowed}.";
    }
}
