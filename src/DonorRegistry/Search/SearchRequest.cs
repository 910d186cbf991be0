using DonorRegistry.Donors;
using DonorRegistry.Hla;

namespace DonorRegistry.Search;

/// <summary>
/// A patient's search of the registry: the patient's typing, the loci counted, the mismatches accepted
/// overall and per locus, donor filters, and what the ranking prefers. A 10/10 search allowing one
/// mismatch is <c>new SearchRequest(patient) { MaxMismatches = 1 }</c>; an 8/8 search sets
/// <see cref="Loci"/> to A, B, C and DRB1.
/// </summary>
/// <param name="Patient">The patient's typing; it must type every searched locus.</param>
public sealed record SearchRequest(HlaTyping Patient)
{
    /// <summary>The loci counted. Default A, B, C, DRB1, DQB1 (x/10). DPB1 is scored, never matched.</summary>
    public IReadOnlyList<HlaLocus> Loci { get; init; } = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1];

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

    /// <summary>Checks the request and says what is wrong.</summary>
    /// <exception cref="SearchRequestException">A field is missing, out of range, or contradicts another.</exception>
    internal void Validate()
    {
        if (Patient is null || Patient.IsEmpty)
        {
            throw new SearchRequestException(nameof(Patient), "the patient typing is empty; give at least the searched loci");
        }

        if (Loci is null || Loci.Count == 0)
        {
            throw new SearchRequestException(nameof(Loci), "no locus is searched; give loci among A, B, C, DRB1, DQB1");
        }

        foreach (var locus in Loci)
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

        if (Loci.Distinct().Count() != Loci.Count)
        {
            throw new SearchRequestException(nameof(Loci), "a locus is named twice");
        }

        if (MaxMismatches < 0 || MaxMismatches > 2 * Loci.Count)
        {
            throw new SearchRequestException(nameof(MaxMismatches), $"{MaxMismatches} is outside 0 to {2 * Loci.Count} (two positions at each of the {Loci.Count} searched loci)");
        }

        foreach (var (locus, max) in MaxMismatchesPerLocus ?? new Dictionary<HlaLocus, int>())
        {
            if (!Loci.Contains(locus))
            {
                throw new SearchRequestException(nameof(MaxMismatchesPerLocus), $"{locus} is not a searched locus");
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
