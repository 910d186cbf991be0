namespace DonorRegistry.Samples;

/// <summary>A row of a typing-results file that was not imported; the good rows were imported regardless.</summary>
/// <param name="Line">The 1-based line in the file where the row starts.</param>
/// <param name="Barcode">The row's barcode as written, or empty.</param>
/// <param name="Reason">What is wrong with the row and what would be accepted.</param>
public sealed record TypingImportError(int Line, string Barcode, string Reason)
{
    /// <summary>The kind of problem, for a host to translate <see cref="Reason"/>; <see cref="ValidationCode.Unspecified"/> where the library has no code for it yet.</summary>
    public ValidationCode Code { get; init; }

    /// <summary>The field or column the problem is about (<c>Barcode</c>, <c>TypedOn</c>, <c>Typing.B</c>, ...), or empty.</summary>
    public string Field { get; init; } = string.Empty;

    /// <summary>The values a translated message needs, by the names of <see cref="ValidationArgument"/>; empty when there are none.</summary>
    public IReadOnlyDictionary<string, string> Arguments { get; init; } = RegistryValidationException.NoArguments;

    /// <inheritdoc />
    public override string ToString() => $"line {Line} ({(Barcode.Length == 0 ? "no barcode" : Barcode)}): {Reason}";
}
