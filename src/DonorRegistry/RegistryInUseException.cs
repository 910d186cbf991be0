namespace DonorRegistry;

/// <summary>
/// Thrown when a registry file is already open in this or another process. LiteDB corrupts a file
/// opened twice in direct mode, so a registry is opened once and the one instance is shared.
/// </summary>
public sealed class RegistryInUseException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The registry file.</param>
    /// <param name="innerException">The lock failure.</param>
    public RegistryInUseException(string path, Exception? innerException = null)
        : base($"'{path}' is already open by this or another process. Open a registry once and share that instance (with DI it is a singleton).", innerException)
    {
        Path = path;
    }

    /// <summary>The registry file.</summary>
    public string Path { get; }
}
