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
        IsFromCode = fromCode;
        IsNull = alleles.All(a => a.IsNull);
        IsCodeOrLowResolution = fromCode || alleles.Any(a => a.IsLowResolution);
    }

    /// <summary>The alleles this position may be (at least one).</summary>
    public IReadOnlyList<AlleleName> Alleles { get; }

    /// <summary>Whether more than one allele is possible (a list, or a low-resolution family).</summary>
    public bool IsAmbiguous => Alleles.Count > 1 || Alleles[0].IsLowResolution;

    /// <summary>
    /// The names resolved against one release's catalog (each knows its catalog), kept by the first grader that asks
    /// (positions are immutable). A single name's array is the name's own, shared by every position typed with it.
    /// </summary>
    internal AlleleCatalog.Typed[]? Resolved { get; set; }

    /// <summary>Whether the position was written as a code that stands for several alleles (an NMDP multiple-allele code or <c>XX</c>).</summary>
    public bool IsFromCode { get; }

    /// <summary>Whether the position is one allele name of two or more fields, written out rather than as a code or list.</summary>
    public bool IsSingleAllele => Alleles.Count == 1 && !Alleles[0].IsLowResolution && !IsFromCode;

    /// <summary>Whether every possible allele is a null allele (not expressed).</summary>
    public bool IsNull { get; }

    /// <summary>Whether the position is a code or holds a low-resolution name, so that it grades at most GGroup.</summary>
    internal bool IsCodeOrLowResolution { get; }

    /// <inheritdoc />
    public override string ToString() =>
        Alleles[0] + string.Concat(Alleles.Skip(1).Select(a => "/" + a.FieldsText()));

    /// <summary>Reads a position: names separated by '/', the locus optional after the first.</summary>
    internal static TypedPosition Read(string text, ref int position, HlaLocus? locus, ParseContext context)
    {
        var alleles = new List<AlleleName>();
        var first = true;
        var fromCode = false;
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
