namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// An exclusive lock on a registry file, held for as long as the registry is open. LiteDB in direct mode corrupts a
/// file that two instances open at once, in one process or two; this lock turns that into a clear
/// <see cref="RegistryInUseException"/>. It is taken on the real file's path (links resolved by
/// <see cref="RegistryPaths"/>); a hard link, which has a path of its own, is caught by the exclusive lock on the
/// database file itself (<see cref="DatabaseFiles"/>).
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock; <paramref name="databasePath"/> is the resolved path of the database file.</summary>
    public static FileLock Acquire(string databasePath)
    {
        var lockPath = databasePath + ".lock";
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
            return new FileLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (UnauthorizedAccessException e)
        {
            throw RegistryPaths.Denied(databasePath, "registry database (its lock file " + Path.GetFileName(lockPath) + " cannot be created or opened)", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new RegistryPathException(databasePath, $"is in the folder '{Path.GetDirectoryName(databasePath)}', which does not exist", "create the folder first, or give a path in an existing folder", e);
        }
        catch (IOException e)
        {
            throw new RegistryInUseException(databasePath, e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
