using LiteDB;
using LiteDB.Engine;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The registry's LiteDB database, opened over streams of ours for its data file and its log
/// (<c>name-log.ext</c>, LiteDB's own name for it, so files written before stay readable). LiteDB 5 never forces
/// its log to the disk at commit; with these streams a flush reaches the disk, the log is forced before a
/// checkpoint writes the data file, and <see cref="Commits"/> forces it after each commit (ADR 8).
/// </summary>
internal sealed class DatabaseFiles : IDisposable
{
    private readonly IRegistryDisk? _disk;
    private readonly string? _logPath;
    private readonly Stream? _data;
    private readonly Stream? _log;

    private DatabaseFiles(LiteDatabase database, CommitFlusher commits, IRegistryDisk? disk = null, string? logPath = null, Stream? data = null, Stream? log = null)
    {
        Database = database;
        Commits = commits;
        _disk = disk;
        _logPath = logPath;
        _data = data;
        _log = log;
    }

    public LiteDatabase Database { get; }

    public CommitFlusher Commits { get; }

    /// <summary>The log file LiteDB keeps beside <paramref name="path"/> (<c>FileHelper.GetLogFile</c> in LiteDB 5).</summary>
    public static string LogPathOf(string path) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? "", System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    /// <summary>
    /// Opens the database, reading its header now (so a wrong password or a foreign file fails here). Give a
    /// collation only for a new file: LiteDB refuses an existing file with another one.
    /// </summary>
    public static DatabaseFiles Open(string path, bool inMemory, string? password, Collation? collation, BsonMapper mapper, Durability durability, IRegistryDisk disk)
    {
        if (inMemory)
        {
            var settings = new EngineSettings { Filename = RegistryOptions.InMemoryPath, Password = password, Collation = collation };
            return new DatabaseFiles(Start(settings, mapper), new CommitFlusher(null, path));
        }

        var logPath = LogPathOf(path);
        FlushTrackingStream? log = null;
        FlushTrackingStream? data = null;
        try
        {
            log = new FlushTrackingStream(disk.Open(logPath, FileShare.Read));
            data = new FlushTrackingStream(disk.Open(path, FileShare.Read), beforeWrite: log.Flush);
            var settings = new EngineSettings { DataStream = data, LogStream = log, Password = password, Collation = collation };
            var database = Start(settings, mapper);
            var commits = new CommitFlusher(durability == Durability.Durable ? log : null, path);
            return new DatabaseFiles(database, commits, disk, logPath, data, log);
        }
        catch
        {
            data?.Dispose();
            if (log is not null)
            {
                DisposeLog(log, disk, logPath);
            }

            throw;
        }
    }

    /// <summary>Closes LiteDB (which checkpoints the log into the data file), then the files; an empty log is deleted, as LiteDB does.</summary>
    public void Dispose()
    {
        Database.Dispose();
        _data?.Dispose();
        if (_log is not null)
        {
            DisposeLog(_log, _disk!, _logPath!);
        }
    }

    private static LiteDatabase Start(EngineSettings settings, BsonMapper mapper)
    {
        var engine = new LiteEngine(settings);
        try
        {
            var database = new LiteDatabase(engine, mapper) { UtcDate = true };
            _ = database.GetCollectionNames().ToList(); // forces the header and the password check now
            return database;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    private static void DisposeLog(Stream log, IRegistryDisk disk, string logPath)
    {
        var empty = log.CanSeek && log.Length == 0; // LiteDB disposes a stream whose password check failed
        log.Dispose();
        if (empty)
        {
            try
            {
                disk.Delete(logPath);
            }
            catch (IOException)
            {
                // An empty log left behind is harmless: LiteDB reads it as no log.
            }
        }
    }
}
