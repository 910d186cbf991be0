namespace DonorRegistry.Hla;

/// <summary>
/// A person's typing at every locus the registry knows; loci that were not typed are present and
/// untyped, never missing.
/// </summary>
public sealed class HlaTyping
{
    private readonly LocusTyping[] _loci;

    private HlaTyping(LocusTyping[] loci) => _loci = loci;

    /// <summary>A typing from already parsed loci, one per locus in enum order (the search index keeps them parsed).</summary>
    internal static HlaTyping FromParsed(LocusTyping[] loci) => new(loci);

    /// <summary>The loci in order A, B, C, DRB1, DQB1, DPB1.</summary>
    public IReadOnlyList<LocusTyping> Loci => _loci;

    /// <summary>The typing of one locus.</summary>
    /// <param name="locus">The locus.</param>
    /// <returns>Its typing (possibly untyped).</returns>
    public LocusTyping this[HlaLocus locus] => _loci[(int)locus - 1];

    /// <summary>The notes of every locus (names followed to the release's current ones, pre-2010 names converted); empty when nothing was changed.</summary>
    public IReadOnlyList<string> Notes => _loci.SelectMany(l => l.Notes).ToList();

    /// <summary>Whether no locus is typed at all.</summary>
    public bool IsEmpty => _loci.All(l => l.IsUntyped);

    /// <summary>
    /// Parses per-locus genotype strings as labs report them (as in <see cref="Donors.TypingResult.Loci"/>):
    /// locus name → <c>A*02:01+A*24:02</c>.
    /// </summary>
    /// <param name="loci">Locus name (A, B, C, DRB1, DQB1, DPB1) → genotype.</param>
    /// <param name="macs">Multiple-allele codes, if loaded.</param>
    /// <returns>The typing.</returns>
    /// <exception cref="HlaParseException">A locus is unknown or a genotype is malformed.</exception>
    public static HlaTyping FromLoci(IReadOnlyDictionary<string, string> loci, MacTable? macs = null)
    {
        ArgumentNullException.ThrowIfNull(loci);
        return FromLoci(loci, (genotype, locus) => LocusTyping.Parse(genotype, locus, macs));
    }

    /// <summary>Reads locus name → genotype with a parser of one locus (with or without the release's name check).</summary>
    internal static HlaTyping FromLoci(IReadOnlyDictionary<string, string> loci, Func<string, HlaLocus, LocusTyping> parse)
    {
        var result = Enum.GetValues<HlaLocus>().Select(LocusTyping.Untyped).ToArray();
        foreach (var (name, genotype) in loci)
        {
            if (!AlleleName.TryLocus(name, out var locus))
            {
                throw new HlaParseException(name, 0, "a locus the registry types (A, B, C, DRB1, DQB1 or DPB1)");
            }

            result[(int)locus - 1] = parse(genotype ?? string.Empty, locus);
        }

        return new HlaTyping(result);
    }

    /// <summary>
    /// Parses a whole typing written as genotypes joined by '^' or by whitespace (spaces, tabs or line breaks, as
    /// labs often write them): <c>A*02:01+A*24:02^B*46:01+B*40:01^DRB1*09:01</c> or <c>A*02:01+A*24:02 B*46:01+B*40:01</c>.
    /// </summary>
    /// <param name="text">The typing.</param>
    /// <param name="macs">Multiple-allele codes, if loaded.</param>
    /// <returns>The typing.</returns>
    /// <exception cref="HlaParseException">The text is empty or malformed, or names a locus twice.</exception>
    public static HlaTyping Parse(string text, MacTable? macs = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text, ParseContext.Of(macs));
    }

    internal static HlaTyping Parse(string text, ParseContext context)
    {
        var result = Enum.GetValues<HlaLocus>().Select(LocusTyping.Untyped).ToArray();
        var position = SkipSpace(text, 0);
        while (true)
        {
            var start = position;
            var locus = LocusTyping.Read(text, ref position, null, context);
            if (!result[(int)locus.Locus - 1].IsUntyped)
            {
                throw new HlaParseException(text, start, $"each locus once; {locus.Locus} appears twice");
            }

            result[(int)locus.Locus - 1] = locus;
            var end = position;
            position = SkipSpace(text, position);
            if (position == text.Length)
            {
                return new HlaTyping(result);
            }

            if (text[position] == '^')
            {
                position = SkipSpace(text, position + 1);
            }
            else if (position == end)
            {
                throw new HlaParseException(text, position, "'^' or whitespace between loci (A*02:01+A*24:02^B*46:01 or A*02:01+A*24:02 B*46:01), '+' between the two alleles of a locus, or '/' between alternatives");
            }
        }
    }

    private static int SkipSpace(string text, int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join('^', _loci.Where(l => !l.IsUntyped));
}
