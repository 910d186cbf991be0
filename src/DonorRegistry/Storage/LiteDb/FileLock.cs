namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// An exclusive lock on a registry file, held for as long as the registry is open. LiteDB in direct
/// mode corrupts a file that two instances open at once, in one process or two; this lock turns that
/// into a clear <see cref="RegistryInUseException"/>.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public static FileLock Acquire(string databasePath)
    {
        var lockPath = databasePath + ".lock";
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
            return new FileLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException e)
        {
            throw new RegistryInUseException(databasePath, e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
