using System.Buffers.Binary;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The coarse national-ID identities (ADR 12) a LiteDB donor collection may hold, as one bit per identity in a fixed
/// table of 2^23 bits (1 MiB), so the duplicate-person check reads the store only for identities whose bit is set. In a
/// branch's registry most new volunteers' identities are held by nobody, and their lookups (an index seek each, and
/// the candidates' documents) were four tenths of preparing an enrolment (measured, docs/benchmarks.md, run 8).
/// <para>
/// A set bit means "maybe held": two identities may share a bit, and no bit is ever cleared (a withdrawn donor's, or a
/// write that rolled back), which costs only a read that finds nothing. A clear bit must mean "held by no donor": every
/// write of an identity sets its bit before it commits (<see cref="Add"/>), and the bits of the identities already in
/// the file are read from the "nid" index's keys alone, without a document, before the first answer
/// (<see cref="EnsureLoaded"/>). Only one process writes a LiteDB file, so the table sees every write.
/// </para>
/// </summary>
internal sealed class IdentityBits
{
    private const int Bits = 23;

    private readonly long[] _words = new long[(1 << Bits) / 64];
    private readonly Lock _gate = new();
    private volatile bool _loaded;

    /// <summary>Marks an identity as held; called for every identity written, before the write commits.</summary>
    public void Add(Guid identity)
    {
        var bit = BitOf(identity);
        Interlocked.Or(ref _words[bit >> 6], 1L << (bit & 63));
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
                Add(identity);
            }

            _loaded = true;
        }
    }

    /// <summary>False when no donor holds the identity; true when one may (<see cref="EnsureLoaded"/> first).</summary>
    public bool MayHold(Guid identity)
    {
        var bit = BitOf(identity);
        return (Volatile.Read(ref _words[bit >> 6]) & (1L << (bit & 63))) != 0;
    }

    // The identity's 16 bytes mixed into 23 bits: a resident ID's identity differs from another's in a few bytes only
    // (its birth day, sex and 4 bits of the keyed hash), so both halves are multiplied through before the top bits are taken.
    private static int BitOf(Guid identity)
    {
        Span<byte> bytes = stackalloc byte[16];
        identity.TryWriteBytes(bytes);
        var low = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var high = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        var mixed = (low * 0x9E3779B97F4A7C15UL) ^ (high * 0xC2B2AE3D27D4EB4FUL);
        mixed ^= mixed >> 29;
        mixed *= 0xBF58476D1CE4E5B9UL;
        return (int)(mixed >> (64 - Bits));
    }
}
