namespace DonorRegistry.Care;

/// <summary>
/// Thrown when a care step breaks a rule: a follow-up before the collection, a visit for a donor who never
/// donated, a second donation inside the rest period or for another patient, recognition without consent.
/// Nothing is stored.
/// </summary>
public sealed class CareRuleException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="rule">The rule, in a word or two (such as "rest period").</param>
    /// <param name="message">What was refused, with the values, and what is allowed.</param>
    public CareRuleException(string rule, string message)
        : base(message)
    {
        Rule = rule;
    }

    /// <summary>The rule that refused the step.</summary>
    public string Rule { get; }
}
