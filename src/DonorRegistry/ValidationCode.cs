namespace DonorRegistry;

/// <summary>
/// What kind of rule a value broke, for a host to say it in its own language: <see cref="RegistryValidationException.Code"/>,
/// <see cref="FormProblem.Code"/> and <see cref="Samples.TypingImportError.Code"/>, with the values a message needs in their
/// <c>Arguments</c> (the names are the constants of <see cref="ValidationArgument"/>). The English message stays the
/// library's; the codes are few and generic, and a code's number never changes (ADR 23).
/// </summary>
public enum ValidationCode
{
    /// <summary>No code: a rule the library has not coded yet; show the English message.</summary>
    Unspecified = 0,

    /// <summary>A required value is missing, empty or blank.</summary>
    Required = 1,

    /// <summary>Text longer than allowed; arguments <c>max</c> and <c>length</c>.</summary>
    TooLong = 2,

    /// <summary>Text with a control character, lone surrogate or noncharacter; argument <c>position</c>.</summary>
    ControlCharacters = 3,

    /// <summary>A number or day outside its range; arguments <c>min</c> and <c>max</c>.</summary>
    OutOfRange = 4,

    /// <summary>A day after today; argument <c>today</c>.</summary>
    DateInFuture = 5,

    /// <summary>A value not in the form expected; argument <c>expected</c> (a format or an example).</summary>
    BadFormat = 6,

    /// <summary>A value that is none of the allowed ones; argument <c>allowed</c> (comma-separated).</summary>
    NotOneOf = 7,

    /// <summary>A value given twice where each must be given once; argument <c>first</c> (where it was first given), when known.</summary>
    Duplicate = 8,

    /// <summary>A volunteer's age outside the join range; arguments <c>age</c>, <c>min</c> and <c>max</c>.</summary>
    AgeOutOfRange = 9,

    /// <summary>A period that ends before it starts.</summary>
    EndBeforeStart = 10,

    /// <summary>A record that is not in the registry (a barcode no sample has); argument <c>id</c>.</summary>
    NotFound = 11,

    /// <summary>A record whose state refuses the change (a sample already typed, rejected or never shipped); argument <c>state</c>.</summary>
    WrongState = 12,

    /// <summary>A change that would leave the registry without an enabled administrator.</summary>
    LastAdministrator = 13,
}

/// <summary>The names of the values in a <see cref="ValidationCode"/>'s <c>Arguments</c>.</summary>
public static class ValidationArgument
{
    /// <summary>The smallest value allowed (a number, or a day as yyyy-MM-dd).</summary>
    public const string Min = "min";

    /// <summary>The largest value allowed (a number, or a day as yyyy-MM-dd).</summary>
    public const string Max = "max";

    /// <summary>The length the value has.</summary>
    public const string Length = "length";

    /// <summary>The 1-based position of the first bad character.</summary>
    public const string Position = "position";

    /// <summary>Today, as yyyy-MM-dd.</summary>
    public const string Today = "today";

    /// <summary>The format expected, or an example of it.</summary>
    public const string Expected = "expected";

    /// <summary>The allowed values, comma-separated.</summary>
    public const string Allowed = "allowed";

    /// <summary>Where the value was first given (a line number).</summary>
    public const string First = "first";

    /// <summary>An age in whole years.</summary>
    public const string Age = "age";

    /// <summary>The record's identifier.</summary>
    public const string Id = "id";

    /// <summary>The record's state.</summary>
    public const string State = "state";

    /// <summary>A line of a file (1-based).</summary>
    public const string Line = "line";
}
