namespace DonorRegistry.Samples;

/// <summary>A row of a typing-results file that was not imported; the good rows were imported regardless.</summary>
/// <param name="Line">The 1-based line in the file where the row starts.</param>
/// <param name="Barcode">The row's barcode as written, or empty.</param>
/// <param name="Reason">What is wrong with the row and what would be accepted.</param>
public sealed record TypingImportError(int Line, string Barcode, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"line {Line} ({(Barcode.Length == 0 ? "no barcode" : Barcode)}): {Reason}";
}
