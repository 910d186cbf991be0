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
    private readonly Stream? _rawData;
    private readonly long _checkpointBytes;

    private DatabaseFiles((LiteDatabase Database, long CheckpointBytes) started, CommitFlusher commits, IRegistryDisk? disk = null, string? logPath = null, Stream? data = null, Stream? log = null, Stream? rawData = null)
    {
        var (database, checkpointBytes) = started;
        _rawData = rawData;
        _checkpointBytes = checkpointBytes;
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
        Stream? rawData = null;
        try
        {
            // The data file is locked exclusively (flock on Unix): a second open through a hard link, which has a
            // path (and so a .lock file) of its own, is refused here.
            rawData = OpenFile(path, FileShare.None, disk);
            log = new FlushTrackingStream(OpenFile(logPath, FileShare.Read, disk));
            data = new FlushTrackingStream(rawData, beforeWrite: log.Flush);
            var settings = new EngineSettings { DataStream = data, LogStream = log, Password = password, Collation = collation };
            var started = Start(settings, mapper, log);
            var commits = new CommitFlusher(durability == Durability.Durable ? log : null, path);
            return new DatabaseFiles(started, commits, disk, logPath, data, log, rawData);
        }
        catch
        {
            (data ?? rawData)?.Dispose();
            if (log is not null)
            {
                DisposeLog(log, disk, logPath);
            }

            throw;
        }
    }

    /// <summary>
    /// Copies the data file, checkpointed first so it holds every commit, into a new file. The caller holds the
    /// write gate, so no writer changes the file meanwhile; readers go on (the copy reads by offset).
    /// </summary>
    public void CopyDataTo(string target)
    {
        if (_rawData is null)
        {
            throw new InvalidOperationException("An in-memory registry has no file to copy (an internal error).");
        }

        Database.Checkpoint();
        _log!.Flush();
        _data!.Flush();
        using var copy = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[1 << 20];
        var length = _rawData.Length;
        for (long at = 0; at < length;)
        {
            var want = (int)Math.Min(buffer.Length, length - at);
            var read = _rawData is OffsetStream positional ? positional.ReadAtOffset(at, buffer.AsSpan(0, want)) : ReadLocked(at, buffer.AsSpan(0, want));
            if (read <= 0)
            {
                break;
            }

            copy.Write(buffer, 0, read);
            at += read;
        }

        copy.Flush(flushToDisk: true);
    }

    /// <summary>Forces everything written so far (the log with its commits, the data file) to the disk, whatever the durability.</summary>
    public void ForceToDisk()
    {
        _log?.Flush();
        _data?.Flush();
    }

    /// <summary>
    /// Forces the log to the disk when it holds at least half a checkpoint's pages, so that the flush before the
    /// checkpoint (write-ahead order, above) finds less to force; for a thread other than the writer's, while the
    /// writer goes on. Nothing to do when every commit is forced (<see cref="Durability.Durable"/>: the flag the stream
    /// keeps is clear) or far from a checkpoint.
    /// </summary>
    public void ForceLogAhead()
    {
        if (_log is not null && _checkpointBytes > 0 && _log.Length >= _checkpointBytes / 2)
        {
            _log.Flush();
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

    private static Stream OpenFile(string path, FileShare share, IRegistryDisk disk)
    {
        try
        {
            return disk.Open(path, share);
        }
        catch (UnauthorizedAccessException e)
        {
            throw RegistryPaths.Denied(path, "registry database", e);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new RegistryInUseException(path, e);
        }
    }

    private int ReadLocked(long at, Span<byte> buffer)
    {
        lock (_rawData!)
        {
            var position = _rawData.Position;
            _rawData.Position = at;
            var read = _rawData.Read(buffer);
            _rawData.Position = position;
            return read;
        }
    }

    /// <summary>The database, and the log's length (bytes) past which LiteDB checkpoints at a commit.</summary>
    private static (LiteDatabase Database, long CheckpointBytes) Start(EngineSettings settings, BsonMapper mapper, Stream? log = null)
    {
        var engine = new LiteEngine(settings);
        try
        {
            // LiteDB tries a checkpoint at a commit once its log holds more than CHECKPOINT pages of 8 KiB (LiteDB 5's
            // page size); the gate waits for readers only then (GatedEngine.DrainReaders).
            var bytes = engine.Pragma("CHECKPOINT").AsInt32 * 8192L;
            Func<bool>? due = log is null ? null : () => bytes > 0 && log.Length > bytes;
            var database = new LiteDatabase(new GatedEngine(engine, due), mapper) { UtcDate = true };
            _ = database.GetCollectionNames().ToList(); // forces the header and the password check now
            return (database, bytes);
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
