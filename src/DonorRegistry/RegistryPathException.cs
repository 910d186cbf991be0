namespace DonorRegistry;

/// <summary>
/// Thrown when a registry path cannot be used as a file: its folder does not exist, it is a folder, or the process
/// may not read and write it. Nothing is created or written.
/// </summary>
public sealed class RegistryPathException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The path given (or the file it links to).</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="remedy">What to do.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public RegistryPathException(string path, string reason, string remedy, Exception? innerException = null)
        : base($"'{path}' {reason}; {remedy}.", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The path given (or the file it links to).</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
