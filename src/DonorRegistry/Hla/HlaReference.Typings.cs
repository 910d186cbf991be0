namespace DonorRegistry.Hla;

/// <summary>Reading typings against the release: every name checked in <c>hla_nom.txt</c>, by <see cref="NameRules"/>.</summary>
public sealed partial class HlaReference
{
    /// <summary>
    /// Parses a whole typing (loci joined by '^' or whitespace) with this reference's code table, and checks every
    /// name against the release (when <c>hla_nom.txt</c> is loaded). Renamed names are followed with a note on the
    /// typing (<see cref="HlaTyping.Notes"/>) unless the rules are strict.
    /// </summary>
    /// <param name="text">The typing, such as <c>A*02:01+A*24:02^B*46:01+B*40:01</c>.</param>
    /// <returns>The typing, with the release's current names.</returns>
    /// <exception cref="HlaParseException">The text is malformed: the message names the position and what was expected (a pre-2010 name gets its current spelling).</exception>
    /// <exception cref="HlaNameException">A name is not in the release, was deleted without successor, or is refused by strict rules.</exception>
    public HlaTyping ParseTyping(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var typing = HlaTyping.Parse(text, Context());
        return HlaTyping.FromParsed(typing.Loci.Select(Check).ToArray());
    }

    /// <summary>Parses one locus's genotype and checks its names against the release, as <see cref="ParseTyping"/> does.</summary>
    /// <param name="genotype">Such as <c>A*02:01+A*24:02</c>.</param>
    /// <param name="locus">The locus the genotype must be of, if known.</param>
    /// <returns>The locus typing, with the release's current names.</returns>
    /// <exception cref="HlaParseException">The genotype is malformed.</exception>
    /// <exception cref="HlaNameException">A name is refused by the release.</exception>
    public LocusTyping ParseLocus(string genotype, HlaLocus? locus = null)
    {
        ArgumentNullException.ThrowIfNull(genotype);
        return Check(LocusTyping.Parse(genotype, locus, Context()));
    }

    /// <summary>Parses per-locus genotypes as labs report them (locus name → genotype) and checks their names against the release.</summary>
    /// <param name="loci">Locus name (A, B, C, DRB1, DQB1, DPB1) → genotype.</param>
    /// <returns>The typing.</returns>
    /// <exception cref="HlaParseException">A locus is unknown or a genotype malformed.</exception>
    /// <exception cref="HlaNameException">A name is refused by the release.</exception>
    public HlaTyping FromLoci(IReadOnlyDictionary<string, string> loci)
    {
        ArgumentNullException.ThrowIfNull(loci);
        return HlaTyping.FromLoci(loci, (genotype, locus) => ParseLocus(genotype, locus));
    }

    /// <summary>Checks the names of a parsed typing against the release; the same typing when every name is current.</summary>
    /// <param name="typing">The typing.</param>
    /// <returns>The typing with the release's current names and a note for each change.</returns>
    /// <exception cref="HlaNameException">A name is refused by the release.</exception>
    public LocusTyping Check(LocusTyping typing)
    {
        ArgumentNullException.ThrowIfNull(typing);
        if (_names is null || typing.IsUntyped)
        {
            return typing;
        }

        var notes = typing.Notes.ToList();
        var first = Check(typing.First!, notes);
        var second = typing.IsHomozygous ? first : Check(typing.Second!, notes);
        return ReferenceEquals(first, typing.First) && ReferenceEquals(second, typing.Second) ? typing : typing.With(first, second, notes);
    }

    /// <summary>The current name an old-style name (<c>0105N</c>) was renamed to in <c>hla_nom.txt</c>, if listed.</summary>
    /// <exception cref="HlaNameException">The file lists the old name as deleted without successor.</exception>
    internal string? LegacyRename(HlaLocus locus, string old) => _names?.LegacyRename(locus, old, Release ?? "the loaded release");

    private ParseContext Context() => new(Macs, this, NameRules.ConvertPre2010Names);

    /// <summary>
    /// A position with every name checked. A name from a multiple-allele code that the release does not know is dropped
    /// with a note (NMDP codes list names of many releases); the code is refused only when none is left.
    /// </summary>
    private TypedPosition Check(TypedPosition position, List<string> notes)
    {
        if (position.IsSerology)
        {
            return position; // its antigen was looked up in this release when it was read
        }

        var release = Release ?? "the loaded release";
        var checkedNames = new List<AlleleName>(position.Alleles.Count);
        var changed = false;
        HlaNameException? refused = null;
        foreach (var name in position.Alleles)
        {
            try
            {
                var (current, note) = _names!.Check(name, NameRules, release);
                checkedNames.Add(current);
                changed |= current != name;
                if (note is not null)
                {
                    notes.Add(note);
                }
            }
            catch (HlaNameException e) when (position.IsFromCode)
            {
                notes.Add($"{name} of a multiple-allele code is left out: {e.Problem}");
                changed = true;
                refused = e;
            }
        }

        if (checkedNames.Count == 0)
        {
            throw refused!;
        }

        return changed ? new TypedPosition(checkedNames.Distinct().ToList(), position.IsFromCode) : position;
    }
}
