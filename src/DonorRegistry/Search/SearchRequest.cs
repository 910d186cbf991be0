using DonorRegistry.Donors;
using DonorRegistry.Hla;

namespace DonorRegistry.Search;

/// <summary>
/// A patient's search of the registry: the patient's typing, the loci counted, the threshold at which a
/// position counts as matched, the mismatches accepted overall and per locus, donor filters, and what the
/// ranking prefers. A 10/10 search allowing one mismatch is <c>new SearchRequest(patient) { MaxMismatches = 1 }</c>;
/// an 8/8 search sets <see cref="Loci"/> to A, B, C and DRB1.
/// </summary>
/// <param name="Patient">The patient's typing; it must type every locus named in <see cref="Loci"/>.</param>
public sealed record SearchRequest(HlaTyping Patient)
{
    /// <summary>The five loci a search can count, in order.</summary>
    private static readonly HlaLocus[] Matchable = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1];

    /// <summary>
    /// The loci counted. Default (null): those of A, B, C, DRB1 and DQB1 at which the patient is typed, so a patient
    /// typed at A, B and DRB1 gets an x/6 search, and <see cref="SearchResult.LeftOut"/> names the loci left out.
    /// Loci named here must be typed on the patient. DPB1 is scored, never matched.
    /// </summary>
    public IReadOnlyList<HlaLocus>? Loci { get; init; }

    /// <summary>The poorest grade that counts as matched in the mismatch counts and limits. Default <see cref="MatchThreshold.PGroup"/>, as registries count.</summary>
    public MatchThreshold Threshold { get; init; } = MatchThreshold.PGroup;

    /// <summary>
    /// Loci at which a donor must be typed to be listed at all. Default none: an untyped donor locus counts as a
    /// potential match (so that such donors are not lost) and the result says it was not compared.
    /// </summary>
    public IReadOnlyList<HlaLocus> RequiredDonorLoci { get; init; } = [];

    /// <summary>Definite mismatches accepted over all searched loci. Default 2.</summary>
    public int MaxMismatches { get; init; } = 2;

    /// <summary>Definite mismatches accepted at particular loci (0 to 2), on top of <see cref="MaxMismatches"/>; loci not named accept 2.</summary>
    public IReadOnlyDictionary<HlaLocus, int> MaxMismatchesPerLocus { get; init; } = new Dictionary<HlaLocus, int>();

    /// <summary>How many ranked results to return, 1 to 10,000. Default 100.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Whether donors reserved for another case are shown too (with WMDA status <c>OP</c>). Default false: available donors only.</summary>
    public bool IncludeReserved { get; init; }

    /// <summary>The youngest donor age wanted, if any.</summary>
    public int? MinimumAge { get; init; }

    /// <summary>The oldest donor age wanted, if any.</summary>
    public int? MaximumAge { get; init; }

    /// <summary>Only donors of this sex, if given.</summary>
    public Sex? DonorSex { get; init; }

    /// <summary>The patient's CMV status: donors with the same status rank higher when it is known.</summary>
    public CmvStatus PatientCmv { get; init; } = CmvStatus.Unknown;

    /// <summary>The patient's ABO group: ABO-identical donors rank higher when it is known.</summary>
    public AboGroup PatientAbo { get; init; } = AboGroup.Unknown;

    /// <summary>
    /// Whether, among donors with the same mismatch count, DPB1 ranks next: DPB1 matched at the threshold first, then a
    /// permissive DPB1 mismatch by T-cell-epitope groups, then unknown (no TCE group, DPB1 untyped on either side, or no
    /// <c>dpb_tce.csv</c> in the release), then non-permissive (GvH or HvG) last. Default false: DPB1 does not rank.
    /// DPB1 never counts in the mismatches either way; every result carries its <see cref="MatchResult.Dpb1Tce"/> grade.
    /// </summary>
    public bool PreferPermissiveDpb1 { get; init; }

    /// <summary>The loci this request counts: <see cref="Loci"/> when given, else the patient's typed loci among the five.</summary>
    internal IReadOnlyList<HlaLocus> SearchedLoci => Loci ?? Matchable.Where(l => !Patient[l].IsUntyped).ToList();

    /// <summary>The loci among the five left out because the patient is not typed there (none when <see cref="Loci"/> is given).</summary>
    internal IReadOnlyList<HlaLocus> LeftOutLoci => Loci is null ? Matchable.Where(l => Patient[l].IsUntyped).ToList() : [];

    /// <summary>Checks the request and says what is wrong.</summary>
    /// <exception cref="SearchRequestException">A field is missing, out of range, or contradicts another.</exception>
    internal void Validate()
    {
        if (Patient is null || Patient.IsEmpty)
        {
            throw new SearchRequestException(nameof(Patient), "the patient typing is empty; give at least the searched loci");
        }

        if (!Enum.IsDefined(Threshold))
        {
            throw new SearchRequestException(nameof(Threshold), $"{(int)Threshold} is not a threshold; use Allele, GGroup, PGroup (the default) or Antigen");
        }

        var loci = SearchedLoci;
        if (loci.Count == 0)
        {
            throw new SearchRequestException(nameof(Loci), Loci is null
                ? "the patient is typed at none of A, B, C, DRB1, DQB1, so no locus can be searched"
                : "no locus is searched; give loci among A, B, C, DRB1, DQB1");
        }

        foreach (var locus in RequiredDonorLoci ?? throw new SearchRequestException(nameof(RequiredDonorLoci), "is null; give an empty list to require no locus"))
        {
            if (!Enum.IsDefined(locus))
            {
                throw new SearchRequestException(nameof(RequiredDonorLoci), $"{(int)locus} is not a locus; give loci among A, B, C, DRB1, DQB1, DPB1");
            }
        }

        foreach (var locus in loci)
        {
            if (locus == HlaLocus.DPB1 || !Enum.IsDefined(locus))
            {
                throw new SearchRequestException(nameof(Loci), $"{locus} cannot be matched; search A, B, C, DRB1 and DQB1 (DPB1 is scored in every result)");
            }

            if (Patient[locus].IsUntyped)
            {
                throw new SearchRequestException(nameof(Patient), $"the patient is not typed at {locus}, a searched locus; type it or leave it out of Loci");
            }
        }

        if (loci.Distinct().Count() != loci.Count)
        {
            throw new SearchRequestException(nameof(Loci), "a locus is named twice");
        }

        if (MaxMismatches < 0 || MaxMismatches > 2 * loci.Count)
        {
            throw new SearchRequestException(nameof(MaxMismatches), $"{MaxMismatches} is outside 0 to {2 * loci.Count} (two positions at each of the {loci.Count} searched loci)");
        }

        foreach (var (locus, max) in MaxMismatchesPerLocus ?? new Dictionary<HlaLocus, int>())
        {
            if (!loci.Contains(locus))
            {
                throw new SearchRequestException(nameof(MaxMismatchesPerLocus), Loci is null && LeftOutLoci.Contains(locus)
                    ? $"{locus} is not searched because the patient is not typed there; type it or drop the limit"
                    : $"{locus} is not a searched locus");
            }

            if (max is < 0 or > 2)
            {
                throw new SearchRequestException(nameof(MaxMismatchesPerLocus), $"{max} mismatches at {locus} is outside 0 to 2");
            }
        }

        if (Limit is < 1 or > 10_000)
        {
            throw new SearchRequestException(nameof(Limit), $"{Limit} is outside 1 to 10,000");
        }

        if (MinimumAge > MaximumAge)
        {
            throw new SearchRequestException(nameof(MinimumAge), $"{MinimumAge} is above MaximumAge {MaximumAge}");
        }
    }
}
