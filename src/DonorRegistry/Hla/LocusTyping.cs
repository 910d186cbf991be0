namespace DonorRegistry.Hla;

/// <summary>
/// The typing of one locus: two positions, a homozygous typing (one allele given, so both positions
/// carry it), or untyped. Written as a genotype: <c>A*02:01+A*24:02</c>.
/// </summary>
public sealed class LocusTyping
{
    private LocusTyping(HlaLocus locus, TypedPosition? first, TypedPosition? second, bool homozygous, IReadOnlyList<string>? notes = null)
    {
        Locus = locus;
        First = first;
        Second = second;
        IsHomozygous = homozygous;
        Notes = notes ?? [];
    }

    /// <summary>The locus.</summary>
    public HlaLocus Locus { get; }

    /// <summary>The first position; null when untyped.</summary>
    public TypedPosition? First { get; }

    /// <summary>The second position; null when untyped. Equal to <see cref="First"/> when homozygous.</summary>
    public TypedPosition? Second { get; }

    /// <summary>Whether one allele was given for both positions.</summary>
    public bool IsHomozygous { get; }

    /// <summary>
    /// What reading the typing against the release changed, one sentence each: a renamed name followed, a suffix
    /// added, a pre-2010 name converted, an unknown name dropped from a code. Empty when nothing was changed.
    /// </summary>
    public IReadOnlyList<string> Notes { get; }

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
        return Parse(text, locus, ParseContext.Of(macs));
    }

    internal static LocusTyping Parse(string text, HlaLocus? locus, ParseContext context)
    {
        var position = 0;
        var typing = Read(text, ref position, locus, context);
        if (position != text.Length)
        {
            throw new HlaParseException(text, position, "the end of the genotype");
        }

        return typing;
    }

    /// <summary>The same locus with other positions (a name followed to the release's current one) and notes saying why.</summary>
    internal LocusTyping With(TypedPosition first, TypedPosition second, IReadOnlyList<string> notes) =>
        new(Locus, first, second, IsHomozygous, notes);

    internal static LocusTyping Read(string text, ref int position, HlaLocus? locus, ParseContext context)
    {
        if (position >= text.Length)
        {
            throw new HlaParseException(text, position, "an allele name such as A*02:01");
        }

        var notesBefore = context.Notes.Count;
        var first = TypedPosition.Read(text, ref position, locus, context);
        var actual = first.Locus;
        if (position >= text.Length || text[position] != '+')
        {
            return new LocusTyping(actual, first, first, homozygous: true, context.Notes.Skip(notesBefore).ToList());
        }

        position++;
        var second = TypedPosition.Read(text, ref position, actual, context);
        if (position < text.Length && text[position] == '+')
        {
            throw new HlaParseException(text, position, $"at most two alleles at locus {actual} (a person has two copies of each locus)");
        }

        return new LocusTyping(actual, first, second, homozygous: false, context.Notes.Skip(notesBefore).ToList());
    }

    /// <inheritdoc />
    public override string ToString() => IsUntyped ? $"{Locus}: untyped" : IsHomozygous ? First!.ToString() : $"{First}+{Second}";
}
