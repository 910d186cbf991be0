namespace DonorRegistry.Storage;

/// <summary>
/// A stream over storage that is read and written at explicit offsets (a file handle, a simulated disk): it keeps
/// the position itself and leaves the reading and writing at an offset to the subclass.
/// </summary>
internal abstract class OffsetStream : Stream
{
    private long _position;

    public override bool CanRead => IsOpen;

    public override bool CanSeek => IsOpen;

    public override bool CanWrite => IsOpen;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A position is never negative.");
    }

    protected virtual bool IsOpen => true;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = ReadAt(_position, buffer);
        _position += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        WriteAt(_position, buffer);
        _position += buffer.Length;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => Length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Seek from Begin, Current or End."),
    };

    /// <summary>Reads at an offset without moving <see cref="Position"/> (a backup copies the file while readers use it).</summary>
    public int ReadAtOffset(long offset, Span<byte> buffer) => ReadAt(offset, buffer);

    protected abstract int ReadAt(long offset, Span<byte> buffer);

    protected abstract void WriteAt(long offset, ReadOnlySpan<byte> buffer);
}
