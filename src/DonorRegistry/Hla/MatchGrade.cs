namespace DonorRegistry.Hla;

/// <summary>
/// A patient–donor pair graded at every locus, with the totals registries quote at the grader's threshold:
/// x/10 (A, B, C, DRB1, DQB1), x/8 (A, B, C, DRB1) and x/6 (A, B, DRB1). DPB1 is graded but never counted.
/// </summary>
public sealed class MatchGrade
{
    private static readonly HlaLocus[] Ten = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1];
    private static readonly HlaLocus[] Eight = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1];
    private static readonly HlaLocus[] Six = [HlaLocus.A, HlaLocus.B, HlaLocus.DRB1];

    private readonly LocusGrade[] _slots;
    private readonly MatchGrader _grader;
    private LocusMatch[]? _loci;

    /// <summary>A grade kept as one compact entry per locus; the <see cref="LocusMatch"/> objects are built when first read.</summary>
    internal MatchGrade(LocusGrade[] slots, MatchGrader grader, bool usedGroups, MatchThreshold threshold, Dpb1TceMatch? dpb1Tce = null)
    {
        _slots = slots;
        _grader = grader;
        UsedGroups = usedGroups;
        Threshold = threshold;
        Dpb1Tce = dpb1Tce;
    }

    /// <summary>
    /// The DPB1 T-cell-epitope grade (permissive, non-permissive GvH or HvG, unknown; unavailable without
    /// <c>dpb_tce.csv</c>), or null when DPB1 is not typed on both sides. It never counts in the totals.
    /// </summary>
    public Dpb1TceMatch? Dpb1Tce { get; }

    /// <summary>Every locus, in order A, B, C, DRB1, DQB1, DPB1.</summary>
    /// <remarks>Built on first read (a caller reading the counts alone pays for no per-position objects), then kept.</remarks>
    public IReadOnlyList<LocusMatch> Loci => _loci ?? BuildLoci();

    /// <summary>Whether G and P groups were available; when not, grades come from the allele fields alone (no GGroup or PGroup grades).</summary>
    public bool UsedGroups { get; }

    /// <summary>The poorest grade that counts as matched in the totals.</summary>
    public MatchThreshold Threshold { get; }

    /// <summary>The grade of one locus.</summary>
    /// <param name="locus">The locus.</param>
    /// <returns>Its match.</returns>
    public LocusMatch this[HlaLocus locus] => Loci[(int)locus - 1];

    /// <summary>
    /// Positions of 10 at A, B, C, DRB1, DQB1 not certainly mismatched at the threshold. An untyped locus counts
    /// as a potential match here (so that such donors are not lost); <see cref="Count10"/> says how many were compared.
    /// </summary>
    public int OutOf10 => 10 - Mismatches(Ten);

    /// <summary>Positions of 8 at A, B, C, DRB1 not certainly mismatched (untyped as a potential match; see <see cref="Count8"/>).</summary>
    public int OutOf8 => 8 - Mismatches(Eight);

    /// <summary>Positions of 6 at A, B, DRB1 not certainly mismatched (untyped as a potential match; see <see cref="Count6"/>).</summary>
    public int OutOf6 => 6 - Mismatches(Six);

    /// <summary>The x/10 count with the positions compared: <c>10/10</c>, or <c>8/8 of 8 typed; DQB1 untyped</c>.</summary>
    public MatchCount Count10 => Count(Ten);

    /// <summary>The x/8 count at A, B, C, DRB1 with the positions compared.</summary>
    public MatchCount Count8 => Count(Eight);

    /// <summary>The x/6 count at A, B, DRB1 with the positions compared.</summary>
    public MatchCount Count6 => Count(Six);

    /// <summary>Definite mismatches at the five matched loci, at the threshold.</summary>
    public int TotalMismatches => 10 - OutOf10;

    /// <summary>Possible mismatches at the five matched loci, counting every ambiguity and every untyped position that could go wrong.</summary>
    public int TotalPotentialMismatches
    {
        get
        {
            var total = 0;
            foreach (var locus in Ten)
            {
                total += Slot(locus).PotentialMismatches(Threshold);
            }

            return total;
        }
    }

    /// <summary>Whether no position of the five matched loci is <see cref="MatchConfidence.Potential"/> (an untyped one is).</summary>
    public bool IsDefinite
    {
        get
        {
            foreach (var locus in Ten)
            {
                if (Slot(locus).Confidence == MatchConfidence.Potential || Slot(locus).Confidence2 == MatchConfidence.Potential)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The lowest confidence over the five matched loci.</summary>
    public MatchConfidence Confidence
    {
        get
        {
            var lowest = MatchConfidence.Definite;
            foreach (var locus in Ten)
            {
                var confidence = Slot(locus).LowerConfidence;
                lowest = confidence < lowest ? confidence : lowest;
            }

            return lowest;
        }
    }

    /// <summary>A note for the reader: what the grade rests on.</summary>
    public string Basis => BasisFor(UsedGroups);

    /// <summary>The count over chosen loci (DPB1 may be among them, though registries never count it).</summary>
    /// <param name="loci">The loci counted, each once.</param>
    /// <returns>Matched, compared and untyped.</returns>
    /// <exception cref="HlaGradingException">No locus is given, or one is given twice or is undefined.</exception>
    public MatchCount Count(IReadOnlyCollection<HlaLocus> loci)
    {
        ArgumentNullException.ThrowIfNull(loci);
        if (loci.Count == 0 || loci.Distinct().Count() != loci.Count || loci.Any(l => !Enum.IsDefined(l)))
        {
            throw new HlaGradingException($"loci {string.Join(", ", loci)}", "count one or more of A, B, C, DRB1, DQB1 and DPB1, each once");
        }

        var slots = loci.Select(l => _slots[(int)l - 1]).ToList();
        var compared = slots.Where(m => m.IsTyped).ToList();
        return new MatchCount(
            compared.Sum(m => 2 - m.Mismatches(Threshold)),
            2 * compared.Count,
            2 * slots.Count,
            slots.Where(m => !m.IsTyped).Select(m => m.Locus).ToList(),
            Threshold);
    }

    internal static string BasisFor(bool usedGroups) => usedGroups
        ? "graded with IMGT/HLA G and P groups and serology"
        : "graded on allele fields alone (no IMGT/HLA G and P group tables loaded): no GGroup or PGroup grades";

    /// <summary>The label of a count: <c>9/10 at PGroup (definite)</c>.</summary>
    internal static string Label(MatchCount count, bool definite) => $"{count} at {count.Threshold} ({(definite ? "definite" : "potential")})";

    private int Mismatches(HlaLocus[] loci)
    {
        var total = 0;
        foreach (var locus in loci)
        {
            total += Slot(locus).Mismatches(Threshold);
        }

        return total;
    }

    private ref readonly LocusGrade Slot(HlaLocus locus) => ref _slots[(int)locus - 1];

    /// <summary>The loci as objects, built once (a racing read builds equal objects; one set is kept).</summary>
    private LocusMatch[] BuildLoci()
    {
        var loci = new LocusMatch[_slots.Length];
        for (var i = 0; i < loci.Length; i++)
        {
            loci[i] = _grader.Build(_slots[i]);
        }

        return Interlocked.CompareExchange(ref _loci, loci, null) ?? loci;
    }

    /// <inheritdoc />
    public override string ToString() => Label(Count10, IsDefinite);
}
