using DonorRegistry.Donors;

namespace DonorRegistry.Cases;

/// <summary>Thrown when a case step is not allowed in the case's current state. Nothing is stored.</summary>
public sealed class InvalidCaseTransitionException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="case">The case.</param>
    /// <param name="state">Its state.</param>
    /// <param name="trigger">The refused step.</param>
    /// <param name="permitted">The steps allowed now.</param>
    public InvalidCaseTransitionException(CaseReference @case, CaseState state, CaseTrigger trigger, IReadOnlyList<CaseTrigger> permitted)
        : base($"Case {@case} is {state}, where {trigger} is not a valid step. Allowed now: {(permitted.Count == 0 ? "nothing (the case is closed)" : string.Join(", ", permitted))}.")
    {
        Case = @case;
        State = state;
        Trigger = trigger;
        Permitted = permitted;
    }

    /// <summary>The case.</summary>
    public CaseReference Case { get; }

    /// <summary>The case's state.</summary>
    public CaseState State { get; }

    /// <summary>The refused step.</summary>
    public CaseTrigger Trigger { get; }

    /// <summary>The steps allowed now.</summary>
    public IReadOnlyList<CaseTrigger> Permitted { get; }
}
