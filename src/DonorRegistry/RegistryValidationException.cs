namespace DonorRegistry;

/// <summary>
/// Thrown when a value given to a verb breaks a rule: a blank name, a malformed national ID, a day in the future,
/// a page size out of range, ... The message names the field, quotes (a short, masked prefix of) the value and
/// says what is allowed. Nothing is stored. The one validation exception of the library; a few rules with data of
/// their own (<see cref="DonorAgeOutOfRangeException"/>) derive from it.
/// </summary>
public class RegistryValidationException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">The name of the offending field or parameter.</param>
    /// <param name="value">The offending value as text (masked where it is personal data); the message and <see cref="Value"/> keep its first 40 characters, control characters escaped.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="allowed">What would be accepted instead.</param>
    public RegistryValidationException(string field, string? value, string problem, string allowed)
        : this(field, value, problem, allowed, $"{field} '{Guard.Prefix(value)}' {problem}; {allowed}.")
    {
    }

    /// <summary>Creates the exception with a message of its own.</summary>
    /// <param name="field">The name of the offending field or parameter.</param>
    /// <param name="value">The offending value as text (masked where it is personal data).</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="allowed">What would be accepted instead.</param>
    /// <param name="message">The full message.</param>
    protected internal RegistryValidationException(string field, string? value, string problem, string allowed, string message)
        : base(message)
    {
        Field = field;
        Value = Guard.Prefix(value);
        Problem = problem;
        Allowed = allowed;
    }

    /// <summary>Creates the exception with its code and the values a translated message needs.</summary>
    internal RegistryValidationException(string field, string? value, string problem, string allowed, ValidationCode code, IReadOnlyDictionary<string, string>? arguments = null)
        : this(field, value, problem, allowed)
    {
        Code = code;
        Arguments = arguments ?? NoArguments;
    }

    /// <summary>Creates the exception with a message of its own, its code and the values a translated message needs.</summary>
    internal RegistryValidationException(string field, string? value, string problem, string allowed, string message, ValidationCode code, IReadOnlyDictionary<string, string>? arguments)
        : this(field, value, problem, allowed, message)
    {
        Code = code;
        Arguments = arguments ?? NoArguments;
    }

    internal static readonly IReadOnlyDictionary<string, string> NoArguments = new Dictionary<string, string>();

    /// <summary>The name of the offending field or parameter.</summary>
    public string Field { get; }

    /// <summary>The offending value as text (masked where it is personal data), at most its first 40 characters.</summary>
    public string? Value { get; }

    /// <summary>What is wrong with the value.</summary>
    public string Problem { get; }

    /// <summary>What would be accepted instead.</summary>
    public string Allowed { get; }

    /// <summary>The kind of rule broken, for a host to translate the message; <see cref="ValidationCode.Unspecified"/> where the library has no code for it yet.</summary>
    public ValidationCode Code { get; }

    /// <summary>The values a translated message needs, by the names of <see cref="ValidationArgument"/> (e.g. <c>max</c> for <see cref="ValidationCode.TooLong"/>); empty when there are none.</summary>
    public IReadOnlyDictionary<string, string> Arguments { get; } = NoArguments;
}
