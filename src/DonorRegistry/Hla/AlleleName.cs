using System.Globalization;
using System.Text;

namespace DonorRegistry.Hla;

/// <summary>
/// A WHO HLA allele name such as <c>HLA-A*02:01:01:01</c>: a locus, one to four numeric fields, and an
/// optional expression suffix (N null, L low, S secreted, Q questionable, C cytoplasm, A aberrant).
/// One field (<c>A*02</c>, or <c>A*02:XX</c>) is a low-resolution typing: the allele family.
/// </summary>
public readonly record struct AlleleName
{
    private const string Suffixes = "NLSQCA";
    private readonly ushort _f1;
    private readonly ushort _f2;
    private readonly ushort _f3;
    private readonly ushort _f4;

    internal AlleleName(HlaLocus locus, int fieldCount, ushort f1, ushort f2, ushort f3, ushort f4, char suffix)
    {
        Locus = locus;
        FieldCount = fieldCount;
        _f1 = f1;
        _f2 = f2;
        _f3 = f3;
        _f4 = f4;
        Suffix = suffix;
    }

    /// <summary>The locus.</summary>
    public HlaLocus Locus { get; }

    /// <summary>How many fields were given (1 to 4).</summary>
    public int FieldCount { get; }

    /// <summary>The expression suffix, or '\0' when there is none.</summary>
    public char Suffix { get; }

    /// <summary>Whether this is a null allele (suffix N): not expressed on the cell surface.</summary>
    public bool IsNull => Suffix == 'N';

    /// <summary>Whether only the allele family (first field) is known.</summary>
    public bool IsLowResolution => FieldCount == 1;

    /// <summary>The first field: the allele family, usually the serological antigen.</summary>
    public int Family => _f1;

    /// <summary>A field by its 1-based number, or -1 when it was not given.</summary>
    /// <param name="number">1 to 4.</param>
    /// <returns>The field's value.</returns>
    public int Field(int number) => number > FieldCount ? -1 : number switch
    {
        1 => _f1,
        2 => _f2,
        3 => _f3,
        4 => _f4,
        _ => throw new ArgumentOutOfRangeException(nameof(number), number, "Fields are numbered 1 to 4."),
    };

    /// <summary>Parses a WHO allele name, with or without the <c>HLA-</c> prefix.</summary>
    /// <param name="text">The name.</param>
    /// <returns>The allele name.</returns>
    /// <exception cref="HlaParseException">The text is not an allele name; the message names the position and what was expected.</exception>
    public static AlleleName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = 0;
        var name = Read(text, ref position, defaultLocus: null);
        if (position != text.Length)
        {
            throw new HlaParseException(text, position, "the end of the name");
        }

        return name;
    }

    /// <summary>Parses a WHO allele name without throwing.</summary>
    /// <param name="text">The name.</param>
    /// <param name="name">The allele name, when parsed.</param>
    /// <returns>Whether the text was an allele name.</returns>
    public static bool TryParse(string? text, out AlleleName name)
    {
        name = default;
        if (text is null)
        {
            return false;
        }

        try
        {
            name = Parse(text);
            return true;
        }
        catch (HlaParseException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads one allele name at <paramref name="position"/>. When <paramref name="defaultLocus"/> is given, the
    /// locus may be left out (as in the second item of <c>A*02:01/02:06</c>).
    /// </summary>
    internal static AlleleName Read(string text, ref int position, HlaLocus? defaultLocus, ParseContext? context = null)
    {
        var start = position;
        if (string.Compare(text, position, "HLA-", 0, 4, StringComparison.OrdinalIgnoreCase) == 0)
        {
            position += 4;
        }

        HlaLocus locus;
        var star = text.IndexOf('*', position);
        var stop = text.IndexOfAny(['/', '+', '^', '|'], position);
        if (star >= 0 && (stop < 0 || star < stop))
        {
            var locusText = text[position..star];
            if (!TryLocus(locusText, out locus))
            {
                throw new HlaParseException(text, position, locusText.Length == 0
                    ? "a locus before '*' (A, B, C, DRB1, DQB1 or DPB1)"
                    : $"a locus the registry types (A, B, C, DRB1, DQB1 or DPB1), not '{locusText}'");
            }

            position = star + 1;
        }
        else if (defaultLocus is { } inherited && position == start)
        {
            locus = inherited;
        }
        else
        {
            throw new HlaParseException(text, position, "a locus and '*', as in A*02:01");
        }

        if (TryReadPre2010(text, ref position, locus, context, out var converted))
        {
            return converted;
        }

        Span<ushort> fields = stackalloc ushort[4];
        var count = 0;
        while (true)
        {
            if (count == 4)
            {
                throw new HlaParseException(text, position, "at most four fields");
            }

            if (count == 1 && string.Compare(text, position, "XX", 0, 2, StringComparison.Ordinal) == 0)
            {
                position += 2; // A*02:XX is the family A*02
                break;
            }

            fields[count++] = ReadField(text, ref position);
            if (position < text.Length && text[position] == ':')
            {
                position++;
                continue;
            }

            break;
        }

        var suffix = ReadSuffix(text, ref position, count);
        return new AlleleName(locus, count, fields[0], fields[1], fields[2], fields[3], suffix);
    }

    /// <summary>Reads the expression suffix, if any; any other letters after the fields get a message about the suffix.</summary>
    private static char ReadSuffix(string text, ref int position, int fieldCount)
    {
        var start = position;
        while (position < text.Length && char.IsAsciiLetter(text[position]))
        {
            position++;
        }

        var letters = text[start..position];
        if (letters.Length == 0)
        {
            return '\0';
        }

        var problem = letters.Length > 1
            ? $"one expression suffix (N, L, S, Q, C or A) after the fields, not '{letters}'"
            : !Suffixes.Contains(letters[0], StringComparison.Ordinal)
                ? Suffixes.Contains(char.ToUpperInvariant(letters[0]), StringComparison.Ordinal)
                    ? $"an expression suffix in capitals ('{char.ToUpperInvariant(letters[0])}'), not '{letters}'"
                    : $"an expression suffix N (null), L (low), S (secreted), Q (questionable), C (cytoplasm) or A (aberrant), not '{letters}'"
                : fieldCount < 2
                    ? $"an expression suffix only after two or more fields ('{letters}' cannot follow an allele family)"
                    : null;
        return problem is null ? letters[0] : throw new HlaParseException(text, start, problem);
    }

    /// <summary>
    /// A pre-2010 name has no colons: <c>A*0201</c> is A*02:01, <c>A*02010101</c> is A*02:01:01:01, <c>A*02101</c> is
    /// A*02:101. Refused with the current spelling, or converted when the context asks for it (taking the release's
    /// own rename from <c>hla_nom.txt</c> when it lists the old name).
    /// </summary>
    private static bool TryReadPre2010(string text, ref int position, HlaLocus locus, ParseContext? context, out AlleleName name)
    {
        name = default;
        var start = position;
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        var digits = text[start..end];
        var legacy = (end >= text.Length || text[end] != ':')
            && (digits.Length >= 5 || (digits.Length == 4 && (locus != HlaLocus.DPB1 || digits[0] == '0')));
        if (!legacy)
        {
            return false;
        }

        var suffixEnd = end < text.Length && Suffixes.Contains(text[end], StringComparison.Ordinal) ? end + 1 : end;
        var old = text[start..suffixEnd];
        string modern;
        try
        {
            modern = context?.Reference?.LegacyRename(locus, old) ?? Modernised(locus, digits) + old[digits.Length..];
        }
        catch (HlaNameException deleted) when (context is not { ConvertPre2010: true })
        {
            throw new HlaParseException(text, start, $"a name in the current nomenclature: '{locus}*{old}' is a pre-2010 name, and {deleted.Problem}");
        }

        if (context is not { ConvertPre2010: true })
        {
            throw new HlaParseException(text, start, $"a name in the current nomenclature: '{Guard.Prefix($"{locus}*{old}")}' is the pre-2010 spelling of {Guard.Prefix($"{locus}*{modern}")}; write {Guard.Prefix($"{locus}*{modern}")}, or ask for pre-2010 names to be converted (HlaNameRules.ConvertPre2010Names)");
        }

        name = Parse($"{locus}*{modern}");
        context.Notes.Add($"{locus}*{old} is a pre-2010 name, read as {name}");
        position = suffixEnd;
        return true;
    }

    /// <summary>Splits old digits into fields: two digits each, the second field three when the count is odd (DPB1: the first).</summary>
    private static string Modernised(HlaLocus locus, string digits)
    {
        var widths = new List<int> { locus == HlaLocus.DPB1 && digits.Length % 2 == 1 ? 3 : 2 };
        widths.Add(digits.Length % 2 == 1 && widths[0] == 2 ? 3 : 2);
        while (widths.Sum() < digits.Length)
        {
            widths.Add(Math.Min(2, digits.Length - widths.Sum()));
        }

        var fields = new List<string>();
        var at = 0;
        foreach (var width in widths)
        {
            fields.Add(digits.Substring(at, Math.Min(width, digits.Length - at)));
            at += width;
        }

        return string.Join(':', fields.Where(f => f.Length > 0));
    }

    internal static bool TryLocus(string text, out HlaLocus locus)
    {
        locus = default;
        return text.Length > 0 && char.IsAsciiLetterUpper(text[0]) && text.All(char.IsAsciiLetterOrDigit)
            && Enum.TryParse(text, ignoreCase: false, out locus) && Enum.IsDefined(locus);
    }

    private static ushort ReadField(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        var length = position - start;
        if (length is < 2 or > 4)
        {
            throw new HlaParseException(text, start, length == 0 ? "a field of two to four digits" : $"two to four digits in a field, not {length}");
        }

        return ushort.Parse(text.AsSpan(start, length), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The name without its locus, as the IMGT files write it: <c>02:01:01:01</c>.</summary>
    /// <param name="fields">How many fields to write (at most <see cref="FieldCount"/>).</param>
    /// <param name="withSuffix">Whether to append the expression suffix.</param>
    /// <returns>The fields joined by ':'.</returns>
    public string FieldsText(int fields = 4, bool withSuffix = true)
    {
        var builder = new StringBuilder(12);
        for (var i = 1; i <= Math.Min(fields, FieldCount); i++)
        {
            if (i > 1)
            {
                builder.Append(':');
            }

            builder.Append(Field(i).ToString("D2", CultureInfo.InvariantCulture));
        }

        if (withSuffix && Suffix != '\0' && fields >= FieldCount)
        {
            builder.Append(Suffix);
        }

        return builder.ToString();
    }

    /// <summary>The name truncated to <paramref name="fields"/> fields (no suffix unless nothing was cut).</summary>
    /// <param name="fields">1 to 4.</param>
    /// <returns>The shorter name.</returns>
    public AlleleName Truncate(int fields) => fields >= FieldCount
        ? this
        : new AlleleName(Locus, fields, _f1, fields >= 2 ? _f2 : (ushort)0, fields >= 3 ? _f3 : (ushort)0, 0, '\0');

    /// <summary>The same fields without the expression suffix (the key of the release's shorter names).</summary>
    internal AlleleName WithoutSuffix() => Suffix == '\0' ? this : new AlleleName(Locus, FieldCount, _f1, _f2, _f3, _f4, '\0');

    /// <inheritdoc />
    public override string ToString() => $"{Locus}*{FieldsText()}";
}
