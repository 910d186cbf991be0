namespace DonorRegistry.Hla;

/// <summary>
/// The typing of one locus: two positions, a homozygous typing (one allele given, so both positions
/// carry it), or untyped. Written as a genotype: <c>A*02:01+A*24:02</c>.
/// </summary>
public sealed class LocusTyping
{
    private LocusTyping(HlaLocus locus, TypedPosition? first, TypedPosition? second, bool homozygous)
    {
        Locus = locus;
        First = first;
        Second = second;
        IsHomozygous = homozygous;
    }

    /// <summary>The locus.</summary>
    public HlaLocus Locus { get; }

    /// <summary>The first position; null when untyped.</summary>
    public TypedPosition? First { get; }

    /// <summary>The second position; null when untyped. Equal to <see cref="First"/> when homozygous.</summary>
    public TypedPosition? Second { get; }

    /// <summary>Whether one allele was given for both positions.</summary>
    public bool IsHomozygous { get; }

    /// <summary>Whether the locus was not typed.</summary>
    public bool IsUntyped => First is null;

    /// <summary>An untyped locus: grading treats both positions as unknown.</summary>
    /// <param name="locus">The locus.</param>
    /// <returns>The typing.</returns>
    public static LocusTyping Untyped(HlaLocus locus) => new(locus, null, null, homozygous: false);

    /// <summary>Parses a genotype: one or two positions separated by '+'.</summary>
    /// <param name="text">Such as <c>A*02:01+A*24:02</c>, <c>A*02:01/02:06+A*11:01</c>, or <c>A*02:01</c> (homozygous).</param>
    /// <param name="locus">The locus the genotype must be of, if known.</param>
    /// <param name="macs">Multiple-allele codes, if loaded.</param>
    /// <returns>The typing.</returns>
    /// <exception cref="HlaParseException">The text is not a genotype, has three alleles, or mixes loci.</exception>
    public static LocusTyping Parse(string text, HlaLocus? locus = null, MacTable? macs = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var position = 0;
        var typing = Read(text, ref position, locus, macs);
        if (position != text.Length)
        {
            throw new HlaParseException(text, position, "the end of the genotype");
        }

        return typing;
    }

    internal static LocusTyping Read(string text, ref int position, HlaLocus? locus, MacTable? macs)
    {
        if (position >= text.Length)
        {
            throw new HlaParseException(text, position, "an allele name such as A*02:01");
        }

        var first = TypedPosition.Read(text, ref position, locus, macs);
        var actual = first.Alleles[0].Locus;
        if (position >= text.Length || text[position] != '+')
        {
            return new LocusTyping(actual, first, first, homozygous: true);
        }

        position++;
        var second = TypedPosition.Read(text, ref position, actual, macs);
        if (position < text.Length && text[position] == '+')
        {
            throw new HlaParseException(text, position, $"at most two alleles at locus {actual} (a person has two copies of each locus)");
        }

        return new LocusTyping(actual, first, second, homozygous: false);
    }

    /// <inheritdoc />
    public override string ToString() => IsUntyped ? $"{Locus}: untyped" : IsHomozygous ? First!.ToString() : $"{First}+{Second}";
}
