using DonorRegistry.Donors;
using DonorRegistry.Hla;

namespace DonorRegistry.Search;

/// <summary>One ranked donor of a search, with the grade that explains it locus by locus.</summary>
/// <param name="Rank">1 for the best donor.</param>
/// <param name="DonorId">The donor.</param>
/// <param name="Grade">The grade at every locus, each position with its reason.</param>
/// <param name="Mismatches">Definite mismatches at the searched loci.</param>
/// <param name="IsDefinite">Whether every searched position is definite.</param>
/// <param name="Age">The donor's age today.</param>
/// <param name="Sex">The donor's sex.</param>
/// <param name="Cmv">The donor's CMV status.</param>
/// <param name="Abo">The donor's ABO group.</param>
/// <param name="Status">The donor's WMDA status as this search sees it: <c>AV</c>, or <c>OP</c> when reserved for another case.</param>
public sealed record MatchResult(
    int Rank,
    DonorId DonorId,
    MatchGrade Grade,
    int Mismatches,
    bool IsDefinite,
    int Age,
    Sex Sex,
    CmvStatus Cmv,
    AboGroup Abo,
    WmdaStatus Status);
