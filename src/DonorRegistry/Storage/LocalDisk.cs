namespace DonorRegistry.Storage;

/// <summary>The local file system, with streams whose flush is an fsync (<see cref="SyncedFileStream"/>).</summary>
internal sealed class LocalDisk : IRegistryDisk
{
    private LocalDisk()
    {
    }

    public static LocalDisk Instance { get; } = new();

    public Stream Open(string path, FileShare share) =>
        new SyncedFileStream(File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, share, FileOptions.RandomAccess));

    public bool Exists(string path) => File.Exists(path);

    public void Delete(string path) => File.Delete(path);
}
