namespace DonorRegistry;

/// <summary>
/// Thrown when a registry's key store or its withdrawal ledger does not belong with its database: missing, empty,
/// truncated, damaged, from another registry, or older than the database. Nothing is read or written; the message
/// names the file and says how to restore it.
/// </summary>
public sealed class KeyStoreMismatchException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The key-store or ledger file that is wrong.</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="remedy">How to restore it.</param>
    public KeyStoreMismatchException(string path, string reason, string remedy)
        : base($"'{path}': {reason}. The registry was not opened and nothing was written; {remedy}.")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The key-store or ledger file that is wrong.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
