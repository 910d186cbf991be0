namespace DonorRegistry.Hla;

/// <summary>Thrown when a folder of IPD-IMGT/HLA files cannot be loaded: a file is missing, or a line is corrupt or from another release.</summary>
public sealed class HlaReferenceException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file (a path, or the file's name when read from text).</param>
    /// <param name="line">The 1-based line number, or 0 when the whole file is at fault.</param>
    /// <param name="text">The offending line, or an empty string.</param>
    /// <param name="problem">What is wrong and what is allowed.</param>
    public HlaReferenceException(string file, int line, string text, string problem)
        : base(line == 0 ? $"IMGT/HLA file {file}: {problem}." : $"IMGT/HLA file {file}, line {line} '{text}': {problem}.")
    {
        File = file;
        Line = line;
        Text = text;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string File { get; }

    /// <summary>The 1-based line number, or 0 when the whole file is at fault.</summary>
    public int Line { get; }

    /// <summary>The offending line, or an empty string.</summary>
    public string Text { get; }

    /// <summary>What is wrong and what is allowed.</summary>
    public string Problem { get; }
}
