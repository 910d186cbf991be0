namespace DonorRegistry.Samples;

/// <summary>
/// Thrown when a typing-results file cannot be read as a whole (empty, not UTF-8, a header without the needed
/// columns). Nothing in it was imported. Like <see cref="RegistryValidationException"/> (ADR 23) it carries what is
/// wrong without a language: <see cref="Code"/>, the part of the file it is about (<see cref="Field"/>) and
/// <see cref="Arguments"/>; an exception made with the public constructor is <see cref="ValidationCode.Unspecified"/>.
/// </summary>
public sealed class TypingImportException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="fileName">The file (or "the stream").</param>
    /// <param name="problem">What is wrong, with the offending value.</param>
    /// <param name="allowed">What the importer accepts.</param>
    public TypingImportException(string fileName, string problem, string allowed)
        : base($"Typing results in {fileName} were not imported: {problem}. {allowed}.")
    {
        FileName = fileName;
        Problem = problem;
    }

    /// <summary>Creates the exception with its code.</summary>
    /// <param name="fileName">The file (or "the stream").</param>
    /// <param name="problem">What is wrong, with the offending value.</param>
    /// <param name="allowed">What the importer accepts.</param>
    /// <param name="code">The rule broken.</param>
    /// <param name="field">The part of the file: <c>File</c>, <c>Rows</c>, <c>Header</c>, <c>Line</c> or <c>Encoding</c>.</param>
    /// <param name="value">The offending value (the header as read, a column's name), or null.</param>
    /// <param name="arguments">The values the code's message needs.</param>
    internal TypingImportException(string fileName, string problem, string allowed, ValidationCode code, string field, string? value = null, IReadOnlyDictionary<string, string>? arguments = null)
        : this(fileName, problem, allowed)
    {
        Code = code;
        Field = field;
        Value = value;
        Arguments = arguments ?? RegistryValidationException.NoArguments;
    }

    /// <summary>The file (or "the stream").</summary>
    public string FileName { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>The rule broken; <see cref="ValidationCode.Unspecified"/> for a refusal not coded (a path that cannot be opened).</summary>
    public ValidationCode Code { get; }

    /// <summary>
    /// The part of the file the problem is about: <c>File</c> (empty, too large), <c>Rows</c> (none, too many),
    /// <c>Header</c> (a column missing or given twice), <c>Line</c> (a record that cannot be read) or <c>Encoding</c>
    /// (not UTF-8); empty without a code.
    /// </summary>
    public string Field { get; } = string.Empty;

    /// <summary>The offending value (the header as read, a column's name), or null.</summary>
    public string? Value { get; }

    /// <summary>
    /// The values the code's message needs, named by <see cref="ValidationArgument"/>: <c>max</c> and <c>length</c>
    /// (bytes, or rows), <c>line</c> (where reading stopped), <c>expected</c> (the missing column, or <c>UTF-8</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Arguments { get; } = RegistryValidationException.NoArguments;
}
