using Microsoft.Win32.SafeHandles;

namespace DonorRegistry.Storage;

/// <summary>
/// A file read and written at explicit offsets with no buffer, whose <see cref="Flush"/> forces the file to the
/// disk (fsync, <c>FlushFileBuffers</c> on Windows). LiteDB 5 flushes its streams with <see cref="Stream.Flush()"/>,
/// which on a <see cref="FileStream"/> stops at the operating system's cache.
/// </summary>
/// <remarks>
/// Not thread-safe for reads and writes: LiteDB serialises those per stream (its <c>ConcurrentStream</c> locks the
/// stream it wraps). <see cref="Flush"/> touches only the handle and may run beside them.
/// </remarks>
internal sealed class SyncedFileStream(SafeFileHandle handle) : OffsetStream
{
    public override long Length => RandomAccess.GetLength(handle);

    protected override bool IsOpen => !handle.IsClosed;

    public override void Flush() => RandomAccess.FlushToDisk(handle);

    public override void SetLength(long value) => RandomAccess.SetLength(handle, value);

    protected override int ReadAt(long offset, Span<byte> buffer) => RandomAccess.Read(handle, buffer, offset);

    protected override void WriteAt(long offset, ReadOnlySpan<byte> buffer) => RandomAccess.Write(handle, buffer, offset);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
