namespace DonorRegistry.Storage;

/// <summary>
/// Where the registry's files live: the local disk (<see cref="LocalDisk"/>), or in the power-loss tests a
/// simulated disk that loses every write not yet flushed.
/// </summary>
internal interface IRegistryDisk
{
    /// <summary>
    /// Opens (or creates) a file for reading and writing, with no buffering of its own: a write is handed to the
    /// operating system at once, and <see cref="Stream.Flush()"/> returns only when everything written is on the disk.
    /// </summary>
    Stream Open(string path, FileShare share);

    bool Exists(string path);

    void Delete(string path);
}
