namespace DonorRegistry.Samples;

/// <summary>
/// Thrown when a typing-results file cannot be read as a whole (empty, not UTF-8, a header without the needed
/// columns). Nothing in it was imported.
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

    /// <summary>The file (or "the stream").</summary>
    public string FileName { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
