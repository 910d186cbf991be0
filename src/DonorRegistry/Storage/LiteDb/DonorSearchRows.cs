using System.Buffers.Binary;
using System.Text;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The compact search rows the donor store keeps beside the donors (collection "donor_search", ADR 13 and ADR 16): one
/// small document per listed, typed donor, holding what the search index is built from that does not change while the
/// donor stays listed (the profile's sex, CMV, ABO and birth day, and the typing), written in the same transaction as
/// the donor. Building the index reads these instead of every whole donor document: LiteDB's cost is per document and
/// per field, and a donor document has more than twenty fields and a sealed blob.
/// </summary>
/// <remarks>
/// <para>
/// A row holds neither the donor's state nor its version (ADR 16), so the transitions a listed donor goes through
/// (deferral and its end, reservation, release, donation, recovery) write no row: the row is written when the donor is
/// listed (or reactivated) and removed when they leave the listed states for good (removal, withdrawal). The typing
/// and the profile do not change in the listed states (the lifecycle records a typing only before listing, and
/// withdrawal, which clears the profile, leaves them), so a row says the same as long as it exists; Verify checks it
/// does. The index takes the few listed donors who are not available (reserved, deferred, recovering after donation)
/// from the donors' state index.
/// </para>
/// <para>
/// Row layout (little-endian): the layout number (byte, 1), sex, CMV, ABO (one byte each, the enums' numbers), birth
/// day number (int32), the number of loci (byte), then per locus its name (byte length + UTF-8) and genotype (uint16
/// length + UTF-8), and last a 64-bit FNV-1a checksum over the donor id and everything before it. The checksum plays
/// the content seal's part (ADR 11) at a fraction of its cost: a changed byte is damage, never a wrong row.
/// </para>
/// </remarks>
internal static class DonorSearchRows
{
    public const string Collection = "donor_search";

    /// <summary>The states the search index holds.</summary>
    public static readonly DonorState[] SearchStates = [DonorState.Available, DonorState.Reserved];

    /// <summary>The listed states, in which a typed donor keeps a row: the search states and those a listed donor returns to search from.</summary>
    public static readonly DonorState[] RowStates = [DonorState.Available, DonorState.Reserved, DonorState.TemporarilyUnavailable, DonorState.Donated];

    /// <summary>The listed states other than Available: the donors the index build reads from the state index to learn their state.</summary>
    public static readonly DonorState[] NotAvailable = RowStates.Where(s => s != DonorState.Available).ToArray();

    private const byte Layout = 1;
    private const int ChecksumBytes = 8;
    private const int Header = 9; // layout, sex, CMV, ABO, birth day, locus count

    /// <summary>Whether the donor has a search row: typed and in one of the <see cref="RowStates"/>.</summary>
    public static bool Has(Donor donor) => IsRowState(donor.State) && donor.Typing is not null;

    /// <summary>Whether a donor in <paramref name="state"/> keeps a row (when typed).</summary>
    public static bool IsRowState(DonorState state) => Array.IndexOf(RowStates, state) >= 0;

    /// <summary>The row's document for a donor that <see cref="Has"/> one.</summary>
    public static BsonDocument ToDocument(Donor donor) => new() { ["_id"] = donor.Id.Value, ["r"] = Encode(donor) };

    public static byte[] Encode(Donor donor)
    {
        var loci = donor.Typing!.Loci.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var size = Header;
        foreach (var (locus, genotype) in loci)
        {
            size += 1 + Encoding.UTF8.GetByteCount(locus) + 2 + Encoding.UTF8.GetByteCount(genotype);
        }

        var row = new byte[size + ChecksumBytes];
        var span = row.AsSpan();
        span[0] = Layout;
        span[1] = (byte)donor.Profile.Sex;
        span[2] = (byte)donor.Profile.Cmv;
        span[3] = (byte)donor.Profile.Abo;
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], donor.Profile.BirthDate.DayNumber);
        span[8] = checked((byte)loci.Count);
        var at = Header;
        foreach (var (locus, genotype) in loci)
        {
            var n = Encoding.UTF8.GetBytes(locus, span[(at + 1)..]);
            span[at] = checked((byte)n);
            at += 1 + n;
            n = Encoding.UTF8.GetBytes(genotype, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)n));
            at += 2 + n;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(span[at..], Checksum(donor.Id.Value, span[..at]));
        return row;
    }

    /// <summary>
    /// Decodes a stored row of a donor in <paramref name="state"/> at <paramref name="version"/> (neither is in the row:
    /// the caller knows them, or gives Available and 0, "not known", for the index build); a row whose checksum, layout
    /// or values do not hold throws <see cref="DocumentDamage"/>. <paramref name="strings"/> shares equal locus names
    /// and genotypes across rows (a registry repeats them).
    /// </summary>
    public static SearchRow Decode(BsonDocument document, DonorState state = DonorState.Available, int version = 0, Dictionary<string, string>? strings = null)
    {
        var idText = Seal.IdOf(document);
        if (!document.TryGetValue("_id", out var idValue) || !idValue.IsInt64 || !document.TryGetValue("r", out var rowValue) || !rowValue.IsBinary)
        {
            throw new DocumentDamage(Collection, idText, "a search row: a 64-bit donor id and a binary row");
        }

        var id = idValue.AsInt64;
        var row = rowValue.AsBinary.AsSpan();
        if (row.Length < Header + ChecksumBytes
            || BinaryPrimitives.ReadUInt64LittleEndian(row[^ChecksumBytes..]) != Checksum(id, row[..^ChecksumBytes]))
        {
            throw new DocumentDamage(Collection, idText, "a search row that matches its checksum (a byte of the row changed after it was written)");
        }

        try
        {
            var body = row[..^ChecksumBytes];
            var sex = (Sex)body[1];
            var cmv = (CmvStatus)body[2];
            var abo = (AboGroup)body[3];
            if (body[0] != Layout || !Enum.IsDefined(sex) || !Enum.IsDefined(cmv) || !Enum.IsDefined(abo))
            {
                throw new FormatException("a layout or an enum value out of range");
            }

            var count = body[8];
            var loci = new Dictionary<string, string>(count, StringComparer.Ordinal);
            var at = Header;
            for (var i = 0; i < count; i++)
            {
                var n = body[at];
                var locus = Text(body.Slice(at + 1, n), strings);
                at += 1 + n;
                int m = BinaryPrimitives.ReadUInt16LittleEndian(body[at..]);
                loci[locus] = Text(body.Slice(at + 2, m), strings);
                at += 2 + m;
            }

            if (at != body.Length)
            {
                throw new FormatException("bytes after the last locus");
            }

            return new SearchRow(id, version, state, DateOnly.FromDayNumber(BinaryPrimitives.ReadInt32LittleEndian(body[4..])), sex, cmv, abo, loci);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            throw new DocumentDamage(Collection, idText, "a search row in the library's layout", e);
        }
    }

    /// <summary>Whether a stored row says exactly what the donor's row would.</summary>
    public static bool Matches(BsonDocument document, Donor donor) =>
        document.TryGetValue("r", out var row) && row.IsBinary && row.AsBinary.AsSpan().SequenceEqual(Encode(donor));

    private static string Text(ReadOnlySpan<byte> bytes, Dictionary<string, string>? strings)
    {
        if (strings is null)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        Span<char> chars = bytes.Length <= 512 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        chars = chars[..Encoding.UTF8.GetChars(bytes, chars)];
        var lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var shared))
        {
            return shared;
        }

        var text = new string(chars);
        strings[text] = text;
        return text;
    }

    private static ulong Checksum(long id, ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        for (var i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(id >> (8 * i))) * 1099511628211UL;
        }

        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
