namespace DonorRegistry.Hla;

/// <summary>
/// What a typing says about one of the two positions at a locus: one allele, or an ambiguous list of
/// alleles it may be (<c>A*02:01/02:06</c>, or a multiple-allele code expanded).
/// </summary>
public sealed class TypedPosition
{
    internal TypedPosition(IReadOnlyList<AlleleName> alleles, bool fromCode = false)
    {
        Alleles = alleles;
        Locus = alleles[0].Locus;
        IsFromCode = fromCode;
        IsNull = alleles.All(a => a.IsNull);
        IsCodeOrLowResolution = fromCode || alleles.Any(a => a.IsLowResolution);
    }

    /// <summary>A position typed by serology: one antigen of the release, standing for the alleles that carry it.</summary>
    private TypedPosition(HlaLocus locus, string antigen, IReadOnlyList<AlleleName> alleles)
    {
        Alleles = alleles;
        Locus = locus;
        AntigenNumber = antigen;
        Serology = SerologyPrefix(locus) + antigen;
    }

    /// <summary>The locus of the position.</summary>
    internal HlaLocus Locus { get; }

    /// <summary>
    /// The serological antigen the position was typed as (<c>A2</c>, <c>B44</c>, <c>Cw7</c>, <c>DR4</c>, <c>DQ2</c>), or null
    /// for a molecular typing. A serology position grades at most at the serology levels (Associated, Antigen, Broad).
    /// </summary>
    public string? Serology { get; }

    /// <summary>Whether the position was typed by serology (<see cref="Serology"/>) rather than as allele names.</summary>
    public bool IsSerology => Serology is not null;

    /// <summary>The antigen's number as <c>rel_dna_ser.txt</c> and <c>rel_ser_ser.txt</c> write it (<c>2</c> for A2), or null.</summary>
    internal string? AntigenNumber { get; }

    /// <summary>
    /// The alleles this position may be (at least one). For a serology position, the release's expressed alleles that
    /// carry the antigen, one of its splits or an antigen associated with it.
    /// </summary>
    public IReadOnlyList<AlleleName> Alleles { get; }

    /// <summary>Whether more than one allele is possible (a list, or a low-resolution family).</summary>
    public bool IsAmbiguous => IsSerology || Alleles.Count > 1 || Alleles[0].IsLowResolution;

    /// <summary>
    /// The names resolved against one release's catalog (each knows its catalog), kept by the first grader that asks
    /// (positions are immutable). A single name's array is the name's own, shared by every position typed with it.
    /// </summary>
    internal AlleleCatalog.Typed[]? Resolved { get; set; }

    /// <summary>Whether the position was written as a code that stands for several alleles (an NMDP multiple-allele code or <c>XX</c>).</summary>
    public bool IsFromCode { get; }

    /// <summary>Whether the position is one allele name of two or more fields, written out rather than as a code or list.</summary>
    public bool IsSingleAllele => !IsSerology && Alleles.Count == 1 && !Alleles[0].IsLowResolution && !IsFromCode;

    /// <summary>Whether every possible allele is a null allele (not expressed).</summary>
    public bool IsNull { get; }

    /// <summary>Whether the position is a code or holds a low-resolution name, so that it grades at most GGroup.</summary>
    internal bool IsCodeOrLowResolution { get; }

    /// <inheritdoc />
    public override string ToString() => Serology ??
        Alleles[0] + string.Concat(Alleles.Skip(1).Select(a => "/" + a.FieldsText()));

    /// <summary>How a locus's serological antigens are written (WHO): A, B, Cw, DR, DQ; null for DPB1, which has none.</summary>
    internal static string? SerologyPrefix(HlaLocus locus) => locus switch
    {
        HlaLocus.A => "A",
        HlaLocus.B => "B",
        HlaLocus.C => "Cw",
        HlaLocus.DRB1 => "DR",
        HlaLocus.DQB1 => "DQ",
        _ => null,
    };

    /// <summary>
    /// Reads a serological antigen standing alone at a position: <c>[HLA-]A|B|Cw|DR|DQ</c> and the antigen's number without
    /// leading zeros (<c>A2</c>, <c>B44</c>, <c>Cw7</c>, <c>DR4</c>, <c>DQ2</c>, <c>A203</c>). False, moving nothing, when the text
    /// there is not of that form (an allele name is read instead). The antigen is looked up in the release of the context.
    /// </summary>
    private static bool TryReadSerology(string text, ref int position, HlaLocus? locus, ParseContext context, out TypedPosition? serology)
    {
        serology = null;
        var p = position;
        if (string.Compare(text, p, "HLA-", 0, 4, StringComparison.OrdinalIgnoreCase) == 0)
        {
            p += 4;
        }

        var end = p;
        while (end < text.Length && text[end] is not ('/' or '+' or '^' or '|') && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        var token = text[p..end];
        var digits = 0;
        while (digits < token.Length && char.IsAsciiDigit(token[^(digits + 1)]))
        {
            digits++;
        }

        HlaLocus? actual = token[..^digits] switch
        {
            "A" => HlaLocus.A,
            "B" => HlaLocus.B,
            "Cw" => HlaLocus.C,
            "DR" => HlaLocus.DRB1,
            "DQ" => HlaLocus.DQB1,
            _ => null,
        };
        if (digits == 0 || actual is not { } found)
        {
            return false;
        }

        var number = token[^digits..];
        var at = p + token.Length - digits;
        if (digits > 4 || number[0] == '0')
        {
            // 'A0201' may be a pre-2010 allele name without its '*' as well as a mistyped antigen: name both ways.
            throw new HlaParseException(text, at, $"a serological antigen's number of one to four digits without leading zeros (such as {token[..^digits]}{number.TrimStart('0')}), or a locus and '*' before an allele name (such as {found}*02:01)");
        }

        if (locus is { } expected && found != expected)
        {
            throw new HlaParseException(text, p, $"an allele or antigen of locus {expected}, not the {found} antigen {token}");
        }

        if (end < text.Length && text[end] == '/')
        {
            throw new HlaParseException(text, end, $"'+', '^' or the end after the serological antigen {token}: an antigen stands alone at its position (no '/' list)");
        }

        if (context.Reference is not { HasSerology: true } reference)
        {
            throw new HlaParseException(text, p, $"an allele name: {token} is a serological antigen, read only against a release with rel_dna_ser.txt loaded (HlaReference.ParseTyping, ParseLocus or FromLoci)");
        }

        var alleles = reference.Catalog.Carrying(found, number)
            ?? throw new HlaNameException(token, reference.Release ?? "the loaded release", $"at position {p + 1}, {token} is not an antigen of rel_dna_ser.txt or rel_ser_ser.txt carried by an expressed {found} allele; a serology typing names such an antigen, as A2, B44, Cw7, DR4 or DQ2");
        serology = new TypedPosition(found, number, alleles);
        position = end;
        return true;
    }

    /// <summary>Reads a position: names separated by '/', the locus optional after the first.</summary>
    internal static TypedPosition Read(string text, ref int position, HlaLocus? locus, ParseContext context)
    {
        var alleles = new List<AlleleName>();
        var first = true;
        var fromCode = false;
        if (TryReadSerology(text, ref position, locus, context, out var antigen))
        {
            return antigen!;
        }

        while (true)
        {
            if (TryReadMac(text, ref position, first ? locus : alleles[0].Locus, context.Macs, out var expanded))
            {
                alleles.AddRange(expanded);
                fromCode = true;
            }
            else
            {
                var itemStart = position;
                var name = AlleleName.Read(text, ref position, first ? null : alleles[0].Locus, context);
                if (locus is { } expected && name.Locus != expected)
                {
                    throw new HlaParseException(text, itemStart, $"an allele of locus {expected}, not {name.Locus}");
                }

                if (!first && name.Locus != alleles[0].Locus)
                {
                    throw new HlaParseException(text, itemStart, $"alleles of one locus in a list ({alleles[0].Locus})");
                }

                alleles.Add(name);
            }

            first = false;
            if (position < text.Length && text[position] == '/')
            {
                position++;
                continue;
            }

            return new TypedPosition(alleles.Distinct().ToList(), fromCode);
        }
    }

    /// <summary>Reads <c>A*02:AB</c> (or <c>02:AB</c> in a list) when the second field is a multiple-allele code.</summary>
    private static bool TryReadMac(string text, ref int position, HlaLocus? locus, MacTable? macs, out IReadOnlyList<AlleleName> alleles)
    {
        alleles = [];
        var start = position;
        var p = position;
        if (string.Compare(text, p, "HLA-", 0, 4, StringComparison.OrdinalIgnoreCase) == 0)
        {
            p += 4;
        }

        var star = text.IndexOf('*', p);
        var end = text.IndexOfAny(['/', '+', '^', '|'], p);
        end = end < 0 ? text.Length : end;
        HlaLocus actual;
        if (star >= 0 && star < end)
        {
            if (!AlleleName.TryLocus(text[p..star], out actual))
            {
                return false;
            }

            p = star + 1;
        }
        else if (locus is { } known)
        {
            actual = known;
        }
        else
        {
            return false;
        }

        var token = text[p..end];
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon is < 2 or > 3 || !token[..colon].All(char.IsAsciiDigit))
        {
            return false;
        }

        var code = token[(colon + 1)..];
        if (code.Length is < 2 or > 5 || code == "XX" || !code.All(char.IsAsciiLetterUpper))
        {
            return false;
        }

        if (macs is null)
        {
            throw new HlaParseException(text, p + colon + 1, $"a numeric field; '{code}' is a multiple-allele code and no MAC table is loaded (see HlaReference.WithMacTable)");
        }

        alleles = macs.Expand(actual, int.Parse(token[..colon], System.Globalization.CultureInfo.InvariantCulture), code, text, start);
        position = end;
        return true;
    }
}
