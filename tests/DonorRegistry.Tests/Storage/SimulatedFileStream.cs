namespace DonorRegistry.Tests.Storage;

/// <summary>One open file of a <see cref="SimulatedDisk"/>, with its own position; <see cref="Flush"/> is a flush to the disk.</summary>
internal sealed class SimulatedFileStream(SimulatedDisk disk, SimulatedDisk.SimulatedFile file) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => disk.Length(file);

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override void Flush() => disk.Flush(file);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = disk.Read(file, _position, buffer);
        _position += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        disk.Write(file, _position, buffer);
        _position += buffer.Length;
    }

    public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void SetLength(long value) => disk.SetLength(file, value);
}
