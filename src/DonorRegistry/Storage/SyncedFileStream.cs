using Microsoft.Win32.SafeHandles;

namespace DonorRegistry.Storage;

/// <summary>
/// A file read and written at explicit offsets with no buffer, whose <see cref="Flush"/> forces the file to the
/// disk (fsync, <c>FlushFileBuffers</c> on Windows). LiteDB 5 flushes its streams with <see cref="Stream.Flush()"/>,
/// which on a <see cref="FileStream"/> stops at the operating system's cache.
/// </summary>
/// <remarks>
/// Not thread-safe for reads and writes: LiteDB serialises those per stream (its <c>ConcurrentStream</c> locks this
/// instance). <see cref="Flush"/> touches only the handle and may run beside them.
/// </remarks>
internal sealed class SyncedFileStream(SafeFileHandle handle) : Stream
{
    private long _position;

    public override bool CanRead => !handle.IsClosed;

    public override bool CanSeek => !handle.IsClosed;

    public override bool CanWrite => !handle.IsClosed;

    public override long Length => RandomAccess.GetLength(handle);

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A position is never negative.");
    }

    public override void Flush() => RandomAccess.FlushToDisk(handle);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = RandomAccess.Read(handle, buffer, _position);
        _position += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        RandomAccess.Write(handle, buffer, _position);
        _position += buffer.Length;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Seek from Begin, Current or End."),
    };

    public override void SetLength(long value) => RandomAccess.SetLength(handle, value);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
