namespace DonorRegistry;

/// <summary>
/// Thrown when the registry could not force its commits to the disk (a failed fsync: a full or failing
/// disk, a storage that refuses the flush). The change that raised it is committed in the file, but it
/// may not survive a power loss. The open registry then refuses further changes with this exception, because
/// after a failed flush the operating system may already have dropped the unwritten pages.
/// </summary>
public sealed class RegistryStorageException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The registry file.</param>
    /// <param name="innerException">The failure of the flush.</param>
    public RegistryStorageException(string path, Exception innerException)
        : base($"'{path}': the registry could not force its commits to the disk ({innerException?.Message.TrimEnd('.')}). The last changes may be lost on a power failure; this registry refuses further changes. Fix the disk, then dispose the registry and open it again.", innerException)
    {
        Path = path;
    }

    /// <summary>The registry file.</summary>
    public string Path { get; }
}
