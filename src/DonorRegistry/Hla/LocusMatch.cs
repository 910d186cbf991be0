namespace DonorRegistry.Hla;

/// <summary>The grade of one locus: its two positions in the better orientation, and the mismatch counts.</summary>
/// <param name="Locus">The locus.</param>
/// <param name="First">The first position of the chosen orientation.</param>
/// <param name="Second">The second position of the chosen orientation.</param>
/// <param name="Crossed">Whether the donor's positions were paired crosswise (patient 1 with donor 2) because that matches better.</param>
public sealed record LocusMatch(HlaLocus Locus, PositionMatch First, PositionMatch Second, bool Crossed)
{
    /// <summary>Positions certainly mismatched (0, 1 or 2).</summary>
    public int Mismatches => (First.Grade == PositionGrade.Mismatch ? 1 : 0) + (Second.Grade == PositionGrade.Mismatch ? 1 : 0);

    /// <summary>Positions that may be mismatched, depending on ambiguities (at least <see cref="Mismatches"/>).</summary>
    public int PotentialMismatches => (First.Worst == PositionGrade.Mismatch ? 1 : 0) + (Second.Worst == PositionGrade.Mismatch ? 1 : 0);

    /// <summary>Whether both positions are definite.</summary>
    public bool IsDefinite => First.Confidence == MatchConfidence.Definite && Second.Confidence == MatchConfidence.Definite;
}
