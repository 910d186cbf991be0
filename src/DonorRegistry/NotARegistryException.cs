namespace DonorRegistry;

/// <summary>Thrown when a file given as a registry (or as its key store) is something else.</summary>
public sealed class NotARegistryException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file.</param>
    /// <param name="reason">What was found instead.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public NotARegistryException(string path, string reason, Exception? innerException = null)
        : base($"'{path}' is not a DonorRegistry file: {reason}. Give the path of a registry (restore it from its backup if it was lost), or create a new one with Registry.Create.", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>What was found instead.</summary>
    public string Reason { get; }
}
