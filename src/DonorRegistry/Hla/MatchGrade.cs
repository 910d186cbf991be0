namespace DonorRegistry.Hla;

/// <summary>
/// A patient–donor pair graded at every locus, with the totals registries quote: x/10 (A, B, C, DRB1, DQB1),
/// x/8 (A, B, C, DRB1) and x/6 (A, B, DRB1). DPB1 is graded but not counted.
/// </summary>
public sealed class MatchGrade
{
    internal MatchGrade(IReadOnlyList<LocusMatch> loci, bool usedGroups)
    {
        Loci = loci;
        UsedGroups = usedGroups;
    }

    /// <summary>Every locus, in order A, B, C, DRB1, DQB1, DPB1.</summary>
    public IReadOnlyList<LocusMatch> Loci { get; }

    /// <summary>Whether G and P groups were available; when not, grades come from the allele fields alone (no GGroup or PGroup grades).</summary>
    public bool UsedGroups { get; }

    /// <summary>The grade of one locus.</summary>
    /// <param name="locus">The locus.</param>
    /// <returns>Its match.</returns>
    public LocusMatch this[HlaLocus locus] => Loci[(int)locus - 1];

    /// <summary>Matched positions of 10 at A, B, C, DRB1, DQB1 (definite mismatches subtracted).</summary>
    public int OutOf10 => 10 - Mismatches(HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1);

    /// <summary>Matched positions of 8 at A, B, C, DRB1.</summary>
    public int OutOf8 => 8 - Mismatches(HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1);

    /// <summary>Matched positions of 6 at A, B, DRB1.</summary>
    public int OutOf6 => 6 - Mismatches(HlaLocus.A, HlaLocus.B, HlaLocus.DRB1);

    /// <summary>Definite mismatches at the five matched loci.</summary>
    public int TotalMismatches => 10 - OutOf10;

    /// <summary>Possible mismatches at the five matched loci, counting every ambiguity that could go wrong.</summary>
    public int TotalPotentialMismatches => MatchedLoci.Sum(l => l.PotentialMismatches);

    /// <summary>Whether every position of the five matched loci is definite.</summary>
    public bool IsDefinite => MatchedLoci.All(l => l.IsDefinite);

    /// <summary>A note for the reader: what the grade rests on.</summary>
    public string Basis => BasisFor(UsedGroups);

    internal static string BasisFor(bool usedGroups) => usedGroups
        ? "graded with IMGT/HLA G and P groups and serology"
        : "graded on allele fields alone (no IMGT/HLA G and P group tables loaded): no GGroup or PGroup grades";

    private IEnumerable<LocusMatch> MatchedLoci => Loci.Where(l => l.Locus != HlaLocus.DPB1);

    private int Mismatches(params HlaLocus[] loci) => loci.Sum(l => this[l].Mismatches);

    /// <inheritdoc />
    public override string ToString() => $"{OutOf10}/10 ({(IsDefinite ? "definite" : "potential")})";
}
