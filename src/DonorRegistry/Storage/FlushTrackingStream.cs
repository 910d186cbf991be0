namespace DonorRegistry.Storage;

/// <summary>
/// Wraps one of the registry's files and knows whether it holds writes not yet forced to the disk, so a flush with
/// nothing to do costs nothing and two threads never flush for the same writes. <paramref name="beforeWrite"/> runs
/// before each write: the database file uses it to force the log to the disk before a checkpoint copies the log into
/// it (write-ahead order; LiteDB 5 does not keep it by itself).
/// </summary>
internal sealed class FlushTrackingStream(Stream inner, Action? beforeWrite = null) : Stream
{
    private readonly Lock _flushGate = new();
    private volatile bool _unflushed;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    /// <summary>Forces every write made so far to the disk, unless another flush already did; waits for a flush under way.</summary>
    public override void Flush()
    {
        lock (_flushGate)
        {
            if (!_unflushed)
            {
                return;
            }

            // Cleared before the flush: a write that lands meanwhile marks the file again, and the next flush takes it.
            _unflushed = false;
            try
            {
                inner.Flush();
            }
            catch
            {
                _unflushed = true;
                throw;
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        beforeWrite?.Invoke();
        inner.Write(buffer);
        _unflushed = true; // after the write: a flush that saw the mark also sees the write
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value)
    {
        beforeWrite?.Invoke();
        inner.SetLength(value);
        _unflushed = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
