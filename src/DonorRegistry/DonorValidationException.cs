namespace DonorRegistry;

/// <summary>
/// Thrown when a value given to an operation breaks a registry rule (a malformed national ID, a birth
/// date in the future, a deferral that ends in the past, ...). Nothing is stored.
/// </summary>
public sealed class DonorValidationException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The name of the offending field or parameter.</param>
    /// <param name="value">The offending value as text (masked where it is personal data).</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="allowed">What would be accepted instead.</param>
    public DonorValidationException(string field, string? value, string problem, string allowed)
        : base($"{field} '{value}' {problem}; {allowed}.")
    {
        Field = field;
        Value = value;
        Problem = problem;
        Allowed = allowed;
    }

    /// <summary>The name of the offending field or parameter.</summary>
    public string Field { get; }

    /// <summary>The offending value as text (masked where it is personal data).</summary>
    public string? Value { get; }

    /// <summary>What is wrong with the value.</summary>
    public string Problem { get; }

    /// <summary>What would be accepted instead.</summary>
    public string Allowed { get; }
}
