namespace DonorRegistry.Hla;

/// <summary>
/// A count of matched positions over some loci, saying how many were compared: <c>10/10</c> when every position
/// was typed on both sides, <c>8/8 of 8 typed; DQB1 untyped</c> when not. A count never reads 10/10 when a locus
/// was not compared.
/// </summary>
/// <param name="Matched">Compared positions that match at the threshold.</param>
/// <param name="Compared">Positions typed on both sides.</param>
/// <param name="Positions">Positions counted (two per locus).</param>
/// <param name="Untyped">Counted loci that were not compared (untyped on the patient, the donor or both).</param>
/// <param name="Threshold">The poorest grade that counts as matched.</param>
public sealed record MatchCount(int Matched, int Compared, int Positions, IReadOnlyList<HlaLocus> Untyped, MatchThreshold Threshold)
{
    /// <summary>Positions that are not certainly mismatched: the compared matches plus every uncompared position (a potential match, as the reference engine counts it).</summary>
    public int PotentiallyMatched => Matched + (Positions - Compared);

    /// <summary>Whether every counted position was compared.</summary>
    public bool IsComplete => Compared == Positions;

    /// <inheritdoc />
    public override string ToString() => IsComplete
        ? $"{Matched}/{Positions}"
        : $"{Matched}/{Compared} of {Compared} typed; {string.Join(", ", Untyped)} untyped";
}
