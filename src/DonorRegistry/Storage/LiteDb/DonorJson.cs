using System.Buffers;
using System.Globalization;
using DonorRegistry.Donors;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// A donor as the JSON text <see cref="DocumentCodec.EncodeDonorReference"/> makes (the <see cref="DonorDocuments.Write"/>
/// document, plus nid, pd and nidp, through LiteDB's JSON serialiser with instants to the millisecond), written straight
/// into a pooled buffer without building the document: the PostgreSQL engine encodes every donor it enrols and every
/// transition it stores. The fields, their order and their representations follow <see cref="DonorDocuments.Write"/>
/// and LiteDB 5.0.21's JSON writer (<c>_id</c> first; Int32 as a bare number; Int64 as <c>{"$numberLong":"…"}</c>;
/// DateTime as <c>{"$date":"…"}</c> in the round-trip format, UTC; Guid as <c>{"$guid":"…"}</c>; bytes as
/// <c>{"$binary":"…"}</c> in base 64; keys unescaped; strings with LiteDB's escapes). DonorJsonTests checks it against
/// the reference over generated donors in every state, byte for byte; a change to <see cref="DonorDocuments.Write"/>
/// must be made here too, and that test says so.
/// </summary>
internal static class DonorJson
{
    /// <summary>
    /// The donor as JSON, or null when its typing names a locus other than <see cref="TypingResult.KnownLoci"/>
    /// (LiteDB's documents match keys ignoring case and write <c>_id</c> first, which this writer does not copy):
    /// the caller then takes the reference path.
    /// </summary>
    public static string? Encode(Donor donor, EligibilityPolicy policy, Guid nationalIdHash, byte[]? sealedPersonalData, byte[]? identityProof)
    {
        if (donor.Typing is { } typed && !KnownLoci(typed.Loci))
        {
            return null;
        }

        var w = new Writer(ArrayPool<char>.Shared.Rent(1024 + Base64Length(sealedPersonalData) + Base64Length(identityProof)));
        try
        {
            var profile = donor.Profile;
            w.Raw("{\"_id\":");
            w.Long(donor.Id.Value);
            w.Raw(",\"v\":");
            w.Int(donor.Version);
            w.Raw(",\"state\":");
            w.String(donor.State.ToString());
            w.Raw(",\"sex\":");
            w.String(profile.Sex.ToString());
            w.Raw(",\"birth\":");
            w.Int(profile.BirthDate.DayNumber);
            w.Raw(",\"abo\":");
            w.String(profile.Abo.ToString());
            w.Raw(",\"rh\":");
            w.String(profile.Rh.ToString());
            w.Raw(",\"cmv\":");
            w.String(profile.Cmv.ToString());
            if (profile.Drive is { } drive)
            {
                w.Raw(",\"drive\":");
                w.String(drive.Value);
            }

            w.Raw(",\"enrolledAt\":");
            w.Date(donor.EnrolledAt);
            w.Raw(",\"since\":");
            w.Date(donor.StateSince);
            w.OptString(",\"note\":", donor.StatusNote);
            w.OptString(",\"sample\":", donor.SampleReference);
            w.OptDay(",\"until\":", donor.DeferredUntil);
            w.OptString(",\"reserved\":", donor.ReservedFor?.Value);
            w.OptDay(",\"recovery\":", donor.RecoveryUntil);
            w.OptString(",\"removal\":", donor.Removal?.Code);
            w.OptDay(",\"removedOn\":", donor.RemovedOn);
            w.OptDay(",\"listedOn\":", donor.FirstListedOn);
            w.Raw(donor.PersonalDataErased ? ",\"erased\":true" : ",\"erased\":false");
            w.OptDay(",\"due\":", DonorDocuments.CalendarDue(donor, policy));
            if (donor.Typing is { } typing)
            {
                w.Raw(",\"typing\":{\"lab\":");
                w.String(typing.Lab);
                w.Raw(",\"on\":");
                w.Int(typing.TypedOn.DayNumber);
                w.Raw(",\"loci\":{");
                var first = true;
                foreach (var (locus, genotype) in typing.Loci)
                {
                    w.Raw(first ? "\"" : ",\"");
                    w.Raw(locus);
                    w.Raw("\":");
                    w.String(genotype);
                    first = false;
                }

                w.Raw("}}");
            }

            if (donor.LastDonation is { } donation)
            {
                w.Raw(",\"donation\":{\"case\":");
                w.String(donation.Case.Value);
                w.Raw(",\"product\":");
                w.String(donation.Product.ToString());
                w.Raw(",\"on\":");
                w.Int(donation.CollectedOn.DayNumber);
                w.Raw("}");
            }

            w.Raw(",\"nid\":{\"$guid\":\"");
            w.Guid(nationalIdHash);
            w.Raw("\"},\"pd\":");
            w.Binary(sealedPersonalData);
            w.Raw(",\"nidp\":");
            w.Binary(identityProof);
            w.Raw("}");
            return w.ToString();
        }
        finally
        {
            w.Return();
        }
    }

    private static int Base64Length(byte[]? bytes) => bytes is null ? 0 : ((bytes.Length + 2) / 3) * 4;

    private static bool KnownLoci(IReadOnlyDictionary<string, string> loci)
    {
        foreach (var locus in loci.Keys)
        {
            if (!IsKnown(locus))
            {
                return false;
            }
        }

        return true;

        static bool IsKnown(string locus) => locus is "A" or "B" or "C" or "DRB1" or "DQB1" or "DPB1";
    }

    /// <summary>
    /// Whether LiteDB's JSON writer writes a character as itself: letters, digits, spaces, punctuation and symbols do;
    /// control, format, surrogate, private-use, unassigned, combining-mark and line/paragraph-separator characters are
    /// written as <c>\uXXXX</c> (quote, backslash, \b, \f, \n, \r and \t have their short escapes first).
    /// </summary>
    private static bool WrittenAsIs(char c) => CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber
            or UnicodeCategory.OtherNumber or UnicodeCategory.SpaceSeparator or UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
            or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
        _ => false,
    };

    /// <summary>The ASCII characters written as themselves (not quote or backslash), from the same rule.</summary>
    private static readonly bool[] AsciiAsIs = Enumerable.Range(0, 128).Select(c => c is not '"' and not '\\' && WrittenAsIs((char)c)).ToArray();

    /// <summary>Characters into a pooled buffer that grows by renting a larger one.</summary>
    private struct Writer(char[] buffer)
    {
        private char[] _buffer = buffer;
        private int _length;

        public void Raw(string text)
        {
            Ensure(text.Length);
            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
        }

        public void Int(int value)
        {
            Ensure(11);
            value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
            _length += written;
        }

        public void Long(long value)
        {
            Raw("{\"$numberLong\":\"");
            Ensure(20);
            value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
            _length += written;
            Raw("\"}");
        }

        /// <summary>An instant as LiteDB keeps it: UTC, truncated to the millisecond (DocumentCodec's Milliseconds, LiteDB's own truncation).</summary>
        public void Date(DateTimeOffset value)
        {
            var ticks = value.UtcTicks;
            var at = new DateTime(ticks - (ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
            Raw("{\"$date\":\"");
            Ensure(34);
            at.TryFormat(_buffer.AsSpan(_length), out var written, "o", CultureInfo.InvariantCulture);
            _length += written;
            Raw("\"}");
        }

        public void Guid(Guid value)
        {
            Ensure(36);
            value.TryFormat(_buffer.AsSpan(_length), out var written);
            _length += written;
        }

        public void Binary(byte[]? bytes)
        {
            if (bytes is null)
            {
                Raw("null");
                return;
            }

            Raw("{\"$binary\":\"");
            Ensure(Base64Length(bytes));
            Convert.TryToBase64Chars(bytes, _buffer.AsSpan(_length), out var written);
            _length += written;
            Raw("\"}");
        }

        public void OptString(string key, string? value)
        {
            if (value is not null)
            {
                Raw(key);
                String(value);
            }
        }

        public void OptDay(string key, DateOnly? value)
        {
            if (value is { } day)
            {
                Raw(key);
                Int(day.DayNumber);
            }
        }

        /// <summary>A string as LiteDB's JSON writer writes it (see <see cref="WrittenAsIs"/>).</summary>
        public void String(string value)
        {
            Ensure(value.Length + 2);
            _buffer[_length++] = '"';
            foreach (var c in value)
            {
                if (c < 128 ? AsciiAsIs[c] : WrittenAsIs(c))
                {
                    Ensure(1);
                    _buffer[_length++] = c;
                    continue;
                }

                switch (c)
                {
                    case '"': Raw("\\\""); break;
                    case '\\': Raw("\\\\"); break;
                    case '\b': Raw("\\b"); break;
                    case '\f': Raw("\\f"); break;
                    case '\n': Raw("\\n"); break;
                    case '\r': Raw("\\r"); break;
                    case '\t': Raw("\\t"); break;
                    default:
                        Raw("\\u");
                        Ensure(4);
                        ((int)c).TryFormat(_buffer.AsSpan(_length), out var written, "x4", CultureInfo.InvariantCulture);
                        _length += written;
                        break;
                }
            }

            Ensure(1);
            _buffer[_length++] = '"';
        }

        public readonly override string ToString() => new(_buffer, 0, _length);

        public readonly void Return() => ArrayPool<char>.Shared.Return(_buffer);

        private void Ensure(int more)
        {
            if (_length + more > _buffer.Length)
            {
                var larger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<char>.Shared.Return(_buffer);
                _buffer = larger;
            }
        }
    }
}
