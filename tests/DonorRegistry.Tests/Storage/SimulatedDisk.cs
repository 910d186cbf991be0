using DonorRegistry.Storage;

namespace DonorRegistry.Tests.Storage;

/// <summary>
/// A disk for power-loss tests, after SQLite's crash-test file system: each file has what the operating system
/// holds (every write) and what the disk holds (the writes up to the file's last flush). A power cut at a chosen
/// operation (a write, a length change, a flush or a delete) loses what the disk does not hold: every write since
/// the file's last flush, or with <c>keepInOrder</c> a random prefix of the unflushed writes in the order they
/// were made (the disk wrote some back, in order, then lost power). Writes are never torn. After the cut the process
/// runs on against the operating system's cache, as it would for the instant before it dies, but nothing more
/// reaches the disk: a verb that returns after the cut is not acknowledged. <see cref="SaveSurvivors"/> writes what
/// the disk holds.
/// </summary>
internal sealed class SimulatedDisk : IRegistryDisk
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimulatedFile> _files = new(StringComparer.Ordinal);
    private readonly List<PendingChange> _pending = [];
    private long _cutAt = long.MaxValue;
    private Random _random = new(0);
    private bool _keepInOrder;
    private long _sequence;

    /// <summary>Changes made so far (writes, length changes, flushes, deletes): the points where power can be cut.</summary>
    public long Operations { get; private set; }

    public bool PoweredOff { get; private set; }

    /// <summary>How long a flush takes (the writers of a group commit pile up meanwhile). Default: no time.</summary>
    public TimeSpan FlushTime { get; init; }

    /// <summary>Makes every flush fail with an <see cref="IOException"/>, as a failing disk does.</summary>
    public bool FailFlushes { get; set; }

    /// <summary>Makes every write fail with an <see cref="IOException"/>, as a full disk does.</summary>
    public bool FailWrites { get; set; }

    /// <summary>Cuts the power instead of operation number <paramref name="operation"/> (1 is the first).</summary>
    public void CutPowerAt(long operation, Random random, bool keepInOrder)
    {
        _cutAt = operation;
        _random = random;
        _keepInOrder = keepInOrder;
    }

    /// <summary>Cuts the power now, if it is still on.</summary>
    public void CutPower()
    {
        lock (_gate)
        {
            if (!PoweredOff)
            {
                Cut();
            }
        }
    }

    /// <summary>How many times the file was flushed to the disk.</summary>
    public int FlushesOf(string path)
    {
        lock (_gate)
        {
            return _files.TryGetValue(path, out var file) ? file.Flushes : 0;
        }
    }

    /// <summary>The file's length as the operating system holds it (every write), or 0 when there is no such file.</summary>
    public long LengthOf(string path)
    {
        lock (_gate)
        {
            return _files.TryGetValue(path, out var file) ? file.Current.Length : 0;
        }
    }

    /// <summary>Writes each file as the disk holds it into <paramref name="folder"/>, under its own name.</summary>
    public void SaveSurvivors(string folder)
    {
        lock (_gate)
        {
            foreach (var file in _files.Values)
            {
                File.WriteAllBytes(Path.Combine(folder, Path.GetFileName(file.Path)), file.Durable.ToArray());
            }
        }
    }

    public Stream Open(string path, FileShare share)
    {
        lock (_gate)
        {
            if (!_files.TryGetValue(path, out var file))
            {
                file = new SimulatedFile(path);
                _files.Add(path, file);
            }

            return new SimulatedFileStream(this, file);
        }
    }

    public bool Exists(string path)
    {
        lock (_gate)
        {
            return _files.ContainsKey(path);
        }
    }

    /// <summary>Deletes at once, on the disk too (the registry deletes only an empty log, at close).</summary>
    public void Delete(string path)
    {
        lock (_gate)
        {
            Tick();
            if (!PoweredOff && _files.Remove(path, out var file))
            {
                _pending.RemoveAll(p => p.File == file);
            }
        }
    }

    internal long Length(SimulatedFile file)
    {
        lock (_gate)
        {
            return file.Current.Length;
        }
    }

    internal int Read(SimulatedFile file, long position, Span<byte> buffer)
    {
        lock (_gate)
        {
            if (position >= file.Current.Length)
            {
                return 0;
            }

            file.Current.Position = position;
            return file.Current.Read(buffer);
        }
    }

    internal void Write(SimulatedFile file, long position, ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            if (FailWrites)
            {
                throw new IOException("No space left on device (simulated)");
            }

            Tick();
            Change(new PendingChange(file, _sequence++, position, buffer.ToArray(), -1));
        }
    }

    internal void SetLength(SimulatedFile file, long length)
    {
        lock (_gate)
        {
            Tick();
            Change(new PendingChange(file, _sequence++, 0, null, length));
        }
    }

    private void Change(PendingChange change)
    {
        change.ApplyTo(change.File.Current);
        if (!PoweredOff)
        {
            _pending.Add(change);
        }
    }

    /// <summary>Puts on the disk every change made to the file before the flush began; a cut during the flush loses them.</summary>
    internal void Flush(SimulatedFile file)
    {
        long upTo;
        lock (_gate)
        {
            Tick();
            if (PoweredOff)
            {
                return;
            }

            if (FailFlushes)
            {
                throw new IOException("Input/output error (simulated)");
            }

            upTo = _sequence;
        }

        if (FlushTime > TimeSpan.Zero)
        {
            Thread.Sleep(FlushTime);
        }

        lock (_gate)
        {
            if (PoweredOff)
            {
                return; // the cut came before the flush finished
            }

            foreach (var change in _pending.Where(p => p.File == file && p.Sequence < upTo))
            {
                change.ApplyTo(file.Durable);
            }

            _pending.RemoveAll(p => p.File == file && p.Sequence < upTo);
            file.Flushes++;
        }
    }

    /// <summary>Counts a change; the one numbered <see cref="CutPowerAt"/> finds the power gone.</summary>
    private void Tick()
    {
        if (!PoweredOff && ++Operations >= _cutAt)
        {
            Cut();
        }
    }

    private void Cut()
    {
        var kept = _keepInOrder ? _random.Next(_pending.Count + 1) : 0;
        foreach (var change in _pending.Take(kept))
        {
            change.ApplyTo(change.File.Durable);
        }

        _pending.Clear();
        PoweredOff = true;
    }

    internal sealed class SimulatedFile(string path)
    {
        public string Path { get; } = path;

        public MemoryStream Current { get; } = new();

        public MemoryStream Durable { get; } = new();

        public int Flushes { get; set; }
    }

    /// <summary>A write (<see cref="Data"/>) or a length change (<see cref="NewLength"/> ≥ 0) not yet on the disk.</summary>
    private sealed record PendingChange(SimulatedFile File, long Sequence, long Position, byte[]? Data, long NewLength)
    {
        public void ApplyTo(MemoryStream image)
        {
            if (Data is null)
            {
                image.SetLength(NewLength);
                return;
            }

            image.Position = Position; // past the end, MemoryStream fills the gap with zeros
            image.Write(Data);
        }
    }
}
