using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DonorRegistry.Audit;

/// <summary>
/// The seal that links each audit record to the one before it of the same record (a chain per aggregate, ADR 10):
/// a 16-byte HMAC-SHA256, under a key derived from the registry key, of the previous record's seal and every field
/// of this record. Editing, removing or reordering a stored audit record breaks the chain at that record, and no one
/// without the registry key can write a seal that mends it.
/// </summary>
internal sealed class AuditChain
{
    /// <summary>The length of a seal in bytes.</summary>
    public const int SealLength = 16;

    private const int MaxStackBytes = 1024;

    // The last chain's keyed HMAC on this thread, so its key is set up once rather than once per seal (a bulk
    // enrolment seals thousands); never shared between threads.
    [ThreadStatic]
    private static (byte[] Key, IncrementalHash Hmac)? t_hmac;

    private readonly byte[] _key;

    public AuditChain(RegistryKey registryKey) => _key = registryKey.Derive("audit-chain");

    /// <summary>The seal of <paramref name="record"/> after the record sealed <paramref name="previous"/> (empty for version 1).</summary>
    public byte[] Seal(ReadOnlySpan<byte> previous, AuditRecord record)
    {
        var length = EncodedLength(previous, record);
        byte[]? rented = null;
        var buffer = length <= MaxStackBytes ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            Encode(buffer, previous, record);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            var hmac = Hmac();
            hmac.AppendData(buffer);
            hmac.GetHashAndReset(mac);
            return mac[..SealLength].ToArray();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>This thread's HMAC under this chain's key: the one kept from the last seal when it was for this chain.</summary>
    private IncrementalHash Hmac()
    {
        if (t_hmac is { } kept && ReferenceEquals(kept.Key, _key))
        {
            return kept.Hmac;
        }

        t_hmac?.Hmac.Dispose();
        var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        t_hmac = (_key, hmac);
        return hmac;
    }

    /// <summary>Whether <paramref name="seal"/> is the seal of <paramref name="record"/> after <paramref name="previous"/> (in constant time).</summary>
    public bool Holds(ReadOnlySpan<byte> previous, AuditRecord record, ReadOnlySpan<byte> seal) =>
        seal.Length == SealLength && CryptographicOperations.FixedTimeEquals(Seal(previous, record), seal);

    // The encoding: the previous seal, then each field length-prefixed, so no two records encode alike. The instant
    // counts whole milliseconds, the precision every engine keeps.
    private static int EncodedLength(ReadOnlySpan<byte> previous, AuditRecord r) =>
        1 + previous.Length + 1 + 4 + 8
        + Field(r.Id) + Field(r.From) + Field(r.To) + Field(r.Action) + Field(r.Actor) + 1 + (r.Reason is null ? 0 : Field(r.Reason));

    private static int Field(string text) => 4 + Encoding.UTF8.GetByteCount(text);

    private static void Encode(Span<byte> buffer, ReadOnlySpan<byte> previous, AuditRecord r)
    {
        var at = 0;
        buffer[at++] = (byte)previous.Length;
        previous.CopyTo(buffer[at..]);
        at += previous.Length;
        buffer[at++] = (byte)r.Kind;
        BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], r.Version);
        at += 4;
        BinaryPrimitives.WriteInt64LittleEndian(buffer[at..], r.At.ToUnixTimeMilliseconds());
        at += 8;
        at = Write(buffer, at, r.Id);
        at = Write(buffer, at, r.From);
        at = Write(buffer, at, r.To);
        at = Write(buffer, at, r.Action);
        at = Write(buffer, at, r.Actor);
        buffer[at++] = r.Reason is null ? (byte)0 : (byte)1;
        if (r.Reason is not null)
        {
            Write(buffer, at, r.Reason);
        }
    }

    private static int Write(Span<byte> buffer, int at, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, buffer[(at + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], written);
        return at + 4 + written;
    }
}

/// <summary>An audit record with the seal the engine stored beside it (null for records written before seals).</summary>
internal readonly record struct SealedAuditRecord(AuditRecord Record, byte[]? Seal);
