using DonorRegistry.Storage;

namespace DonorRegistry.Tests.Storage;

/// <summary>One open file of a <see cref="SimulatedDisk"/>, with its own position; <see cref="Flush"/> is a flush to the disk.</summary>
internal sealed class SimulatedFileStream(SimulatedDisk disk, SimulatedDisk.SimulatedFile file) : OffsetStream
{
    public override long Length => disk.Length(file);

    public override void Flush() => disk.Flush(file);

    public override void SetLength(long value) => disk.SetLength(file, value);

    protected override int ReadAt(long offset, Span<byte> buffer) => disk.Read(file, offset, buffer);

    protected override void WriteAt(long offset, ReadOnlySpan<byte> buffer) => disk.Write(file, offset, buffer);
}
