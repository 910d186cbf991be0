using System.Buffers.Binary;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Which national IDs a LiteDB donor collection may hold, so the duplicate-person check (ADR 12) reads the store only
/// when a donor may hold the number. Two tables of bits: the coarse identities the file held when it opened (2^23
/// bits, 1 MiB, read from the "nid" index's keys alone, without a document, before the first answer:
/// <see cref="EnsureLoaded"/>), and the fingerprints of the numbers written since (2^24 bits, 2 MiB, set by every
/// write of an identity before it commits: <see cref="Add"/>). A coarse identity is shared by many numbers (ADR 12
/// keeps it so), so a table of them alone answers "maybe" for most of a large enrolment's volunteers once a few tens
/// of thousands are in; the fingerprint tells this process's own writes apart (docs/benchmarks.md, run 11).
/// <para>
/// A set bit means "maybe held": identities and fingerprints may share a bit, and no bit is ever cleared (a withdrawn
/// donor's, or a write that rolled back), which costs only a read that finds nothing. A number held by a donor always
/// finds a bit set: the donor was in the file at the open (its identity's bit) or written since (its fingerprint's
/// bit). Only one process writes a LiteDB file, so the tables see every write. They are memory of the process, not
/// stored: the fingerprints are bits of the keyed hash that no file holds, and the process holds the registry key anyway.
/// </para>
/// </summary>
internal sealed class IdentityBits
{
    private const int StoredBits = 23;
    private const int WrittenBits = 24;

    private readonly long[] _stored = new long[(1 << StoredBits) / 64];
    private readonly Lock _gate = new();
    private long[]? _written;
    private volatile bool _loaded;

    /// <summary>Marks a number as held; called for every identity written, before the write commits.</summary>
    public void Add(NationalIdentity identity)
    {
        var written = LazyInitializer.EnsureInitialized(ref _written, () => new long[(1 << WrittenBits) / 64]);
        Set(written, Bit(identity.Fingerprint, WrittenBits));
    }

    /// <summary>Reads the identities already stored once, before the first answer; <paramref name="stored"/> yields them.</summary>
    public void EnsureLoaded(Func<IEnumerable<Guid>> stored)
    {
        if (_loaded)
        {
            return;
        }

        lock (_gate)
        {
            if (_loaded)
            {
                return;
            }

            foreach (var identity in stored())
            {
                Set(_stored, BitOf(identity));
            }

            _loaded = true;
        }
    }

    /// <summary>False when no donor holds the number; true when one may (<see cref="EnsureLoaded"/> first).</summary>
    public bool MayHold(NationalIdentity identity) =>
        IsSet(_stored, BitOf(identity.Stored)) || (Volatile.Read(ref _written) is { } written && IsSet(written, Bit(identity.Fingerprint, WrittenBits)));

    private static void Set(long[] words, int bit) => Interlocked.Or(ref words[bit >> 6], 1L << (bit & 63));

    private static bool IsSet(long[] words, int bit) => (Volatile.Read(ref words[bit >> 6]) & (1L << (bit & 63))) != 0;

    // The identity's 16 bytes mixed into 23 bits: a resident ID's identity differs from another's in a few bytes only
    // (its birth day, sex and 4 bits of the keyed hash), so both halves are multiplied through before the top bits are taken.
    private static int BitOf(Guid identity)
    {
        Span<byte> bytes = stackalloc byte[16];
        identity.TryWriteBytes(bytes);
        var low = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var high = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        return Bit((low * 0x9E3779B97F4A7C15UL) ^ (high * 0xC2B2AE3D27D4EB4FUL), StoredBits);
    }

    // A keyed hash's bits are uniform already; they are mixed anyway, so that small values (a withdrawn donor's) spread too.
    private static int Bit(ulong value, int bits)
    {
        value ^= value >> 29;
        value *= 0xBF58476D1CE4E5B9UL;
        value ^= value >> 32;
        return (int)(value >> (64 - bits));
    }
}
