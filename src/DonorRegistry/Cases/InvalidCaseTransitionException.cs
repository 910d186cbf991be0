using DonorRegistry.Donors;

namespace DonorRegistry.Cases;

/// <summary>Thrown when a case step is not allowed in the case's current state. Nothing is stored.</summary>
public sealed class InvalidCaseTransitionException : InvalidTransitionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="case">The case.</param>
    /// <param name="state">Its state.</param>
    /// <param name="trigger">The refused step.</param>
    /// <param name="permitted">The steps allowed now.</param>
    public InvalidCaseTransitionException(CaseReference @case, CaseState state, CaseTrigger trigger, IReadOnlyList<CaseTrigger> permitted)
        : base(AggregateKind.Case, @case.ToString(), state.ToString(), trigger.ToString(), permitted.Select(p => p.ToString()).ToList(), [], "the case is closed")
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
