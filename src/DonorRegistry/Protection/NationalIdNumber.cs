using DonorRegistry.Donors;

namespace DonorRegistry.Protection;

/// <summary>Checks, normalises and masks national ID numbers.</summary>
internal static class NationalIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Upper-cases and trims; the form that is hashed and stored.</summary>
    public static string Normalise(string value) => value.Trim().ToUpperInvariant();

    /// <summary>Keeps the first 6 and last 4 characters, masks the rest, so messages can name the value without revealing it.</summary>
    public static string Mask(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value ?? string.Empty;
        }

        var v = value.Trim();
        return v.Length <= 10 ? new string('*', v.Length) : v[..6] + new string('*', v.Length - 10) + v[^4..];
    }

    /// <summary>Checks a national ID against the profile the form or request gives; throws <see cref="RegistryValidationException"/>.</summary>
    public static void Validate(string? value, DonorProfile profile, NationalIdFormat format)
    {
        if (Check(value, profile.BirthDate, profile.Sex, format) is { } problem)
        {
            throw problem.ToException();
        }
    }

    private static readonly IReadOnlyDictionary<string, string> ResidentIdForm = Guard.Args((ValidationArgument.Expected, "[0-9]{17}[0-9X]"));

    /// <summary>Checks a national ID: null when good, else the problem (the value masked).</summary>
    public static FormProblem? Check(string? value, DateOnly? birthDate, Sex? sex, NationalIdFormat format)
    {
        // Codes for a host to translate (ADR 23); the form expected is written language-free, as a pattern.
        const string Field = "NationalId";
        if (string.IsNullOrWhiteSpace(value))
        {
            return new FormProblem(Field, value, "is empty", "give the volunteer's national ID number") { Code = ValidationCode.Required };
        }

        var id = Normalise(value);
        if (format == NationalIdFormat.Opaque)
        {
            return id.Length > 64 ? new FormProblem(Field, Mask(id[..Math.Min(id.Length, 64)]), $"has {id.Length} characters", "give at most 64") { Code = ValidationCode.TooLong, Arguments = Guard.Args((ValidationArgument.Length, id.Length), (ValidationArgument.Max, 64)) } : null;
        }

        const string Allowed = "a Chinese resident ID has 18 characters: 17 digits and a check character 0-9 or X";
        if (id.Length != 18)
        {
            return new FormProblem(Field, Mask(id.Length > 40 ? id[..40] : id), $"has {id.Length} characters", Allowed) { Code = ValidationCode.BadFormat, Arguments = ResidentIdForm };
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(id[i]))
            {
                return new FormProblem(Field, Mask(id), $"has '{id[i]}' at position {i + 1}", Allowed) { Code = ValidationCode.BadFormat, Arguments = ResidentIdForm };
            }
        }

        if (id[17] != CheckCharacter(id.AsSpan(0, 17)))
        {
            return new FormProblem(Field, Mask(id), "fails its check digit (ISO 7064 MOD 11-2)", "check the number for a typing error") { Code = ValidationCode.BadFormat, Arguments = Guard.Args((ValidationArgument.Expected, "ISO 7064 MOD 11-2")) };
        }

        if (!DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", out var born))
        {
            return new FormProblem(Field, Mask(id), "does not hold a real birth date in characters 7 to 14", "check the number for a typing error") { Code = ValidationCode.BadFormat, Arguments = Guard.Args((ValidationArgument.Expected, "[0-9]{6}YYYYMMDD[0-9]{3}[0-9X]")) };
        }

        if (birthDate is { } expected && born != expected)
        {
            return new FormProblem(Field, Mask(id), $"does not hold the birth date {expected:yyyy-MM-dd}", "the ID's characters 7 to 14 must be the volunteer's birth date") { Code = ValidationCode.BadFormat, Arguments = Guard.Args((ValidationArgument.Expected, $"[0-9]{{6}}{expected:yyyyMMdd}[0-9]{{3}}[0-9X]")) };
        }

        var encoded = (id[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;
        if (sex is { } given && encoded != given)
        {
            return new FormProblem(Field, Mask(id), $"is a {encoded.ToString().ToLowerInvariant()} person's ID but the profile says {given.ToString().ToLowerInvariant()}", "the 17th character is odd for men and even for women") { Code = ValidationCode.BadFormat, Arguments = Guard.Args((ValidationArgument.Expected, given == Sex.Male ? "[0-9]{16}[13579][0-9X]" : "[0-9]{16}[02468][0-9X]")) };
        }

        return null;
    }

    /// <summary>
    /// How many bits of the keyed hash the stored identity keeps beside a resident ID's birth date and sex (ADR 12):
    /// 4 bits, 16 values, so each stored identity is shared by one in 16 of the valid ID numbers with that birth
    /// date and sex. With the registry key, a backup and the key store, an attacker who knows a withdrawn donor's
    /// birth date and sex is left with (region codes × 500 order numbers) / 16 equally likely numbers: at least
    /// 1,000 for any prior of 64 region codes or more (the test checks the smallest bucket).
    /// </summary>
    public const int ResidentIdHashBits = 4;

    /// <summary>For an opaque ID (no known structure) the stored identity keeps 20 bits of the keyed hash.</summary>
    public const int OpaqueIdHashBits = 20;

    /// <summary>
    /// The identity stored and indexed for the duplicate-person check: too coarse to give the number away
    /// (<see cref="ResidentIdHashBits"/>), and narrow enough that a lookup finds a handful of candidates, each then
    /// confirmed with its own data key (<see cref="Proof"/>). A resident ID keeps its birth day and sex (the
    /// document holds them anyway) and 4 bits of the keyed hash; an opaque ID 20 bits.
    /// </summary>
    public static Guid Identity(string normalised, Guid keyedHash, NationalIdFormat format)
    {
        Span<byte> bytes = stackalloc byte[16];
        Span<byte> hash = stackalloc byte[16];
        keyedHash.TryWriteBytes(hash);
        if (format == NationalIdFormat.ChineseResidentId && normalised.Length == 18
            && DateOnly.TryParseExact(normalised.AsSpan(6, 8), "yyyyMMdd", out var born) && char.IsAsciiDigit(normalised[16]))
        {
            bytes[0] = 1;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes[1..], born.DayNumber);
            bytes[5] = (byte)((normalised[16] - '0') % 2);
            bytes[6] = (byte)(hash[0] & ((1 << ResidentIdHashBits) - 1));
        }
        else
        {
            bytes[0] = 2;
            bytes[1] = hash[0];
            bytes[2] = hash[1];
            bytes[3] = (byte)(hash[2] & 0xF0); // 8 + 8 + 4 = 20 bits
        }

        return new Guid(bytes);
    }

    /// <summary>
    /// The identity given to the engine (<see cref="Storage.NationalIdentity"/>): the stored identity
    /// (<see cref="Identity"/>, drawn from the keyed hash's first bytes) and, never stored, a fingerprint of the keyed
    /// hash's last 8 bytes.
    /// </summary>
    public static Storage.NationalIdentity IdentityOf(string normalised, Guid keyedHash, NationalIdFormat format)
    {
        Span<byte> hash = stackalloc byte[16];
        keyedHash.TryWriteBytes(hash);
        return new(Identity(normalised, keyedHash, format), System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]));
    }

    /// <summary>
    /// What confirms that a candidate holds this ID: HMAC-SHA256 under the candidate's own data key (first 128 bits).
    /// It is only as good as the data key, so a withdrawn donor's proof (erased with the data, its key destroyed)
    /// confirms nothing, in the file and in every backup of it.
    /// </summary>
    public static byte[] Proof(ReadOnlySpan<byte> dataKey, string normalised)
    {
        Span<byte> mac = stackalloc byte[32];
        Mac(dataKey, "national-id:" + normalised, mac);
        return mac[..16].ToArray();
    }

    /// <summary>HMAC-SHA256 of <paramref name="text"/>'s UTF-8 under <paramref name="key"/> into <paramref name="mac"/> (32 bytes); an ID number's text is encoded on the stack.</summary>
    internal static void Mac(ReadOnlySpan<byte> key, string text, Span<byte> mac)
    {
        System.Security.Cryptography.HMACSHA256.HashData(key, Utf8(text, stackalloc byte[256]), mac);
    }

    /// <summary>
    /// The same HMAC-SHA256 as <see cref="Mac(ReadOnlySpan{byte}, string, Span{byte})"/>, on a keyed
    /// <paramref name="hmac"/> kept for many texts under one key (its key set up once); left reset for the next.
    /// </summary>
    internal static void Mac(System.Security.Cryptography.IncrementalHash hmac, string text, Span<byte> mac)
    {
        hmac.AppendData(Utf8(text, stackalloc byte[256]));
        hmac.GetHashAndReset(mac);
    }

    /// <summary>An ID number's text as UTF-8, in <paramref name="buffer"/> when it fits (the caller's stack), else in a new array.</summary>
    private static ReadOnlySpan<byte> Utf8(string text, Span<byte> buffer) =>
        System.Text.Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length
            ? buffer[..System.Text.Encoding.UTF8.GetBytes(text, buffer)]
            : System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>The ISO 7064 MOD 11-2 check character of the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }
}
