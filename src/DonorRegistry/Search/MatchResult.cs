using DonorRegistry.Donors;
using DonorRegistry.Hla;

namespace DonorRegistry.Search;

/// <summary>One ranked donor of a search, with the grade that explains it locus by locus.</summary>
/// <param name="Rank">1 for the best donor.</param>
/// <param name="DonorId">The donor.</param>
/// <param name="Grade">The grade at every locus, each position with its reason, at the search's threshold.</param>
/// <param name="Mismatches">Definite mismatches at the searched loci, at the search's threshold.</param>
/// <param name="IsDefinite">Whether no searched position is <see cref="MatchConfidence.Potential"/> (an uncompared one is).</param>
/// <param name="Age">The donor's age today.</param>
/// <param name="Sex">The donor's sex.</param>
/// <param name="Cmv">The donor's CMV status.</param>
/// <param name="Abo">The donor's ABO group.</param>
/// <param name="Status">The donor's WMDA status as this search sees it: <c>AV</c>, or <c>OP</c> when reserved for another case.</param>
/// <param name="Count">The count over the searched loci, with how many positions were compared: <c>10/10</c> or <c>8/8 of 8 typed; DQB1 untyped</c>.</param>
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
    WmdaStatus Status,
    MatchCount Count)
{
    /// <summary>The result for a graded donor over the searched loci.</summary>
    internal static MatchResult For(int rank, DonorId donor, MatchGrade grade, IReadOnlyList<HlaLocus> searched, int age, Sex sex, CmvStatus cmv, AboGroup abo, WmdaStatus status)
    {
        var loci = searched.Select(l => grade[l]).ToList();
        return new MatchResult(rank, donor, grade, loci.Sum(l => l.Mismatches), loci.All(l => l.IsDefinite), age, sex, cmv, abo, status, grade.Count(searched.ToList()));
    }

    /// <summary>
    /// The DPB1 T-cell-epitope grade (permissive, non-permissive GvH or HvG, unknown, or unavailable without
    /// <c>dpb_tce.csv</c>), or null when DPB1 is not typed on both sides. DPB1 never counts in <see cref="Mismatches"/>.
    /// </summary>
    public Dpb1TceMatch? Dpb1Tce => Grade.Dpb1Tce;

    /// <summary>How DPB1 ranks under <see cref="SearchRequest.PreferPermissiveDpb1"/>: 0 matched, 1 permissive, 2 unknown or not graded, 3 non-permissive.</summary>
    internal static int Dpb1Rank(LocusMatch dpb1, Dpb1TceMatch? tce) =>
        dpb1.IsTyped && dpb1.Mismatches == 0 ? 0
        : tce?.Grade switch
        {
            Dpb1TceGrade.Permissive => 1,
            Dpb1TceGrade.NonPermissiveGvH or Dpb1TceGrade.NonPermissiveHvG => 3,
            _ => 2,
        };

    /// <summary>The sum of the searched positions' best grades (smaller is better), the second ranking key.</summary>
    internal int GradeScore(IEnumerable<HlaLocus> searched) => searched.Sum(l => (int)Grade[l].First.Grade + (int)Grade[l].Second.Grade);

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Rank} donor {DonorId.Value}: {MatchGrade.Label(Count, IsDefinite)}, age {Age}, {Sex}, CMV {Cmv}, ABO {Abo}, {Status}";
}
