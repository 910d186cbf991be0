namespace DonorRegistry.Donors;

/// <summary>
/// Thrown when a donor verb fires a trigger that the donor's current state does not allow, or whose guard is not
/// met. Nothing is stored.
/// </summary>
public sealed class InvalidDonorTransitionException : InvalidTransitionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="donorId">The donor.</param>
    /// <param name="state">The donor's state when the trigger was fired.</param>
    /// <param name="trigger">The trigger that was refused.</param>
    /// <param name="permitted">The triggers that the state allows now.</param>
    /// <param name="unmetGuards">Why the trigger was refused when the state knows it but a guard is not met.</param>
    public InvalidDonorTransitionException(DonorId donorId, DonorState state, DonorTrigger trigger, IReadOnlyList<DonorTrigger> permitted, IReadOnlyList<string> unmetGuards)
        : base(AggregateKind.Donor, donorId.ToString(), state.ToString(), trigger.ToString(), permitted.Select(p => p.ToString()).ToList(), unmetGuards, "the state is terminal")
    {
        DonorId = donorId;
        State = state;
        Trigger = trigger;
        Permitted = permitted;
    }

    /// <summary>Creates the exception with the unmet guards' codes.</summary>
    internal InvalidDonorTransitionException(DonorId donorId, DonorState state, DonorTrigger trigger, IReadOnlyList<DonorTrigger> permitted, IReadOnlyList<UnmetGuard> guards)
        : this(donorId, state, trigger, permitted, guards.Select(g => g.Text).ToList())
    {
        Guards = guards;
    }

    /// <summary>The donor.</summary>
    public DonorId DonorId { get; }

    /// <summary>The donor's state when the trigger was fired.</summary>
    public DonorState State { get; }

    /// <summary>The trigger that was refused.</summary>
    public DonorTrigger Trigger { get; }

    /// <summary>The triggers that the state allows now.</summary>
    public IReadOnlyList<DonorTrigger> Permitted { get; }
}
