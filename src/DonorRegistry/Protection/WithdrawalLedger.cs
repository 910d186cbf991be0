using System.Buffers.Binary;
using System.Security.Cryptography;
using DonorRegistry.Storage;

namespace DonorRegistry.Protection;

/// <summary>One withdrawal as the ledger keeps it: the donor's number and when. No personal data.</summary>
internal readonly record struct Withdrawal(long DonorId, DateTimeOffset At);

/// <summary>
/// The withdrawal ledger, a file beside the key store (<c>KeyStorePath + ".withdrawals"</c>): every donor who withdrew,
/// in the order of their withdrawals, appended and forced to disk before the withdrawal commits. It holds donor
/// numbers and instants only. Opening a registry re-applies every entry the database or key store lacks, so a
/// database restored from an old backup never brings a withdrawn donor back (ADR 12).
/// </summary>
/// <remarks>Layout: a 32-byte header (magic <c>DRWDRL01</c>, the registry id, a checksum), then 32-byte entries (donor id, UTC ticks, 8 zeros, a checksum over the entry and its index).</remarks>
internal sealed class WithdrawalLedger : IDisposable
{
    public const int HeaderLength = 32;
    public const int EntryLength = 32;
    private static readonly byte[] Magic = "DRWDRL01"u8.ToArray();

    private readonly Stream _stream;
    private readonly List<Withdrawal> _entries;
    private readonly HashSet<long> _donors;

    private WithdrawalLedger(Stream stream, string path, List<Withdrawal> entries)
    {
        _stream = stream;
        Path = path;
        _entries = entries;
        _donors = entries.Select(e => e.DonorId).ToHashSet();
    }

    public string Path { get; }

    public int Count => _entries.Count;

    public Withdrawal this[int index] => _entries[index];

    public IReadOnlyList<Withdrawal> Entries => _entries;

    public static string PathFor(string keyStorePath) => keyStorePath + ".withdrawals";

    public static WithdrawalLedger InMemory(Guid registryId)
    {
        var stream = new MemoryStream();
        stream.Write(Header(registryId));
        return new WithdrawalLedger(stream, ":memory:", []);
    }

    public static WithdrawalLedger Create(string path, Guid registryId, IRegistryDisk disk)
    {
        var stream = disk.Open(path, FileShare.Read); // shared, as in Open
        try
        {
            stream.SetLength(0);
            stream.Write(Header(registryId));
            stream.Flush();
            return new WithdrawalLedger(stream, path, []);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens the ledger and checks it, writing nothing. A torn last entry (a crash while appending, before its withdrawal committed) is ignored and written over by the next append.</summary>
    public static WithdrawalLedger Open(string path, Guid registryId, IRegistryDisk disk)
    {
        const string Restore = "restore the ledger from the same backup as its key store; never delete it: it is what keeps withdrawn donors withdrawn in restored backups";
        if (!disk.Exists(path))
        {
            throw new KeyStoreMismatchException(path, "the withdrawal ledger beside the key store is missing", Restore);
        }

        Stream stream;
        try
        {
            stream = disk.Open(path, FileShare.Read); // shared: a restore may read the live ledger; the key store's lock keeps writers to one
        }
        catch (IOException e)
        {
            throw new RegistryInUseException(path, e);
        }

        try
        {
            var length = stream.Length;
            if (length < HeaderLength)
            {
                throw new KeyStoreMismatchException(path, $"the withdrawal ledger has {length} bytes, shorter than its header: it was truncated", Restore);
            }

            var header = new byte[HeaderLength];
            stream.Position = 0;
            stream.ReadExactly(header);
            if (!header.AsSpan().SequenceEqual(Header(new Guid(header.AsSpan(8, 16)))))
            {
                throw new KeyStoreMismatchException(path, "the file does not start with a whole DonorRegistry withdrawal-ledger header", Restore);
            }

            var found = new Guid(header.AsSpan(8, 16));
            if (found != registryId)
            {
                throw new KeyStoreMismatchException(path, $"the withdrawal ledger belongs to registry {found:N}, but the database is registry {registryId:N}", Restore);
            }

            var entries = new List<Withdrawal>();
            var entry = new byte[EntryLength];
            for (var i = 0L; HeaderLength + ((i + 1) * EntryLength) <= length; i++)
            {
                stream.ReadExactly(entry);
                if (!entry.AsSpan(24, 8).SequenceEqual(Checksum(entry, i)) || entry.AsSpan(16, 8).ContainsAnyExcept((byte)0))
                {
                    throw new KeyStoreMismatchException(path, $"withdrawal-ledger entry {i + 1} is damaged (its checksum does not match)", Restore);
                }

                var ticks = BinaryPrimitives.ReadInt64LittleEndian(entry.AsSpan(8, 8));
                if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
                {
                    throw new KeyStoreMismatchException(path, $"withdrawal-ledger entry {i + 1} is damaged (its instant is out of range)", Restore);
                }

                entries.Add(new Withdrawal(BinaryPrimitives.ReadInt64LittleEndian(entry), new DateTimeOffset(ticks, TimeSpan.Zero)));
            }

            return new WithdrawalLedger(stream, path, entries);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public bool Contains(long donorId) => _donors.Contains(donorId);

    /// <summary>Appends a withdrawal and forces it to disk; a donor already listed is not added again.</summary>
    public void Append(long donorId, DateTimeOffset at)
    {
        if (_donors.Contains(donorId))
        {
            return;
        }

        var entry = new byte[EntryLength];
        BinaryPrimitives.WriteInt64LittleEndian(entry, donorId);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(8), at.UtcTicks);
        Checksum(entry, _entries.Count).CopyTo(entry, 24);
        _stream.Position = HeaderLength + ((long)_entries.Count * EntryLength);
        _stream.Write(entry);
        _stream.Flush();
        _entries.Add(new Withdrawal(donorId, new DateTimeOffset(at.UtcTicks, TimeSpan.Zero)));
        _donors.Add(donorId);
    }

    /// <summary>Writes the header and the whole entries to a new file (a backup).</summary>
    public void CopyTo(string target)
    {
        using var copy = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[HeaderLength + (_entries.Count * EntryLength)];
        _stream.Position = 0;
        _stream.ReadExactly(buffer);
        copy.Write(buffer);
        copy.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();

    private static byte[] Header(Guid registryId)
    {
        var header = new byte[HeaderLength];
        Magic.CopyTo(header, 0);
        registryId.TryWriteBytes(header.AsSpan(8, 16));
        SHA256.HashData(header.AsSpan(0, 24))[..8].CopyTo(header, 24);
        return header;
    }

    private static byte[] Checksum(byte[] entry, long index)
    {
        Span<byte> input = stackalloc byte[32];
        entry.AsSpan(0, 24).CopyTo(input);
        BinaryPrimitives.WriteInt64LittleEndian(input[24..], index);
        return SHA256.HashData(input)[..8];
    }
}
