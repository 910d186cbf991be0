namespace DonorRegistry.Hla;

/// <summary>The grade of one locus: its two positions in the better orientation, and the mismatch counts at the threshold.</summary>
/// <param name="Locus">The locus.</param>
/// <param name="First">The first position of the chosen orientation.</param>
/// <param name="Second">The second position of the chosen orientation.</param>
/// <param name="Crossed">Whether the donor's positions were paired crosswise (patient 1 with donor 2) because that matches better.</param>
/// <param name="Threshold">The poorest grade that counts as matched.</param>
public sealed record LocusMatch(HlaLocus Locus, PositionMatch First, PositionMatch Second, bool Crossed, MatchThreshold Threshold)
{
    /// <summary>Positions certainly mismatched at the threshold (0, 1 or 2): even their best grade is poorer than it allows.</summary>
    public int Mismatches => Counting.Mismatched(First.Grade, Threshold) + Counting.Mismatched(Second.Grade, Threshold);

    /// <summary>Positions that may be mismatched at the threshold, depending on ambiguities (at least <see cref="Mismatches"/>).</summary>
    public int PotentialMismatches => Counting.Mismatched(First.Worst, Threshold) + Counting.Mismatched(Second.Worst, Threshold);

    /// <summary>Whether both sides typed the locus, so that its positions were compared.</summary>
    public bool IsTyped => First.IsCompared;

    /// <summary>The lower confidence of the two positions.</summary>
    public MatchConfidence Confidence => First.Confidence < Second.Confidence ? First.Confidence : Second.Confidence;

    /// <summary>Whether neither position is <see cref="MatchConfidence.Potential"/>: the count at this locus cannot change once the typings are resolved.</summary>
    public bool IsDefinite => First.Confidence != MatchConfidence.Potential && Second.Confidence != MatchConfidence.Potential;

    /// <inheritdoc />
    public override string ToString() => IsTyped
        ? $"{Locus}: {2 - Mismatches}/2 at {Threshold} ({First.Grade}, {Second.Grade}; {Confidence})"
        : $"{Locus}: untyped ({First.Reason})";
}
