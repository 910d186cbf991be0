namespace DonorRegistry;

/// <summary>
/// The base of every refused lifecycle step: the record's state does not allow the step, or a guard is not met.
/// Nothing is stored. Catch this to handle them all; the sealed subtypes carry the typed state and trigger.
/// </summary>
public abstract class InvalidTransitionException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind of record.</param>
    /// <param name="id">Its id as text.</param>
    /// <param name="state">Its state when the step was tried.</param>
    /// <param name="trigger">The refused step.</param>
    /// <param name="permitted">The steps the state allows now.</param>
    /// <param name="unmetGuards">Why, when the state knows the step but a guard is not met.</param>
    /// <param name="terminal">How to say that nothing is allowed (for example "the case is closed").</param>
    protected InvalidTransitionException(
        AggregateKind kind, string id, string state, string trigger, IReadOnlyList<string> permitted, IReadOnlyList<string> unmetGuards, string terminal)
        : base(BuildMessage(kind, id, state, trigger, permitted, unmetGuards, terminal))
    {
        Kind = kind;
        Id = id;
        StateName = state;
        TriggerName = trigger;
        PermittedNames = permitted;
        UnmetGuards = unmetGuards;
        Guards = unmetGuards.Select(UnmetGuard.Uncoded).ToList();
    }

    /// <summary>The kind of record.</summary>
    public AggregateKind Kind { get; }

    /// <summary>The record's id as text.</summary>
    public string Id { get; }

    /// <summary>The record's state when the step was tried, by name.</summary>
    public string StateName { get; }

    /// <summary>The refused step, by name.</summary>
    public string TriggerName { get; }

    /// <summary>The steps allowed now, by name.</summary>
    public IReadOnlyList<string> PermittedNames { get; }

    /// <summary>The guards that were not met, in words; empty when the state does not know the step at all.</summary>
    public IReadOnlyList<string> UnmetGuards { get; }

    /// <summary>
    /// The guards that were not met, each with its <see cref="GuardCode"/> and arguments for a host to translate, in
    /// the order of <see cref="UnmetGuards"/>; a guard the library has not coded is <see cref="GuardCode.Unspecified"/>.
    /// </summary>
    public IReadOnlyList<UnmetGuard> Guards { get; private protected init; }

    private static string BuildMessage(
        AggregateKind kind, string id, string state, string trigger, IReadOnlyList<string> permitted, IReadOnlyList<string> unmetGuards, string terminal)
    {
        var allowed = permitted.Count == 0 ? $"nothing ({terminal})" : string.Join(", ", permitted);
        return unmetGuards.Count > 0
            ? $"{kind} {id} is {state} and cannot {trigger} now: {string.Join("; ", unmetGuards)}. Allowed now: {allowed}."
            : $"{kind} {id} is {state}, where {trigger} is not a valid step. Allowed now: {allowed}.";
    }
}
