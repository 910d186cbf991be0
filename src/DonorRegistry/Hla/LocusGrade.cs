namespace DonorRegistry.Hla;

/// <summary>
/// One graded locus as the grader keeps it inside a <see cref="MatchGrade"/>: the two typings, the chosen orientation
/// and each position's best and worst grade and confidence, in one struct. The counts read it directly; the
/// <see cref="LocusMatch"/> and its two <see cref="PositionMatch"/> objects are built from it only when a caller reads
/// <see cref="MatchGrade.Loci"/> (issue 10, Build item 9: grading allocated about 1.4 KB a pair in those objects).
/// </summary>
internal readonly struct LocusGrade
{
    public LocusGrade(
        LocusTyping patient,
        LocusTyping donor,
        bool crossed,
        (PositionGrade Best, PositionGrade Worst, MatchConfidence Confidence) first,
        (PositionGrade Best, PositionGrade Worst, MatchConfidence Confidence) second,
        LocusMatch? built = null)
    {
        Patient = patient;
        Donor = donor;
        Built = built;
        Crossed = crossed;
        Best1 = first.Best;
        Worst1 = first.Worst;
        Confidence = first.Confidence;
        Best2 = second.Best;
        Worst2 = second.Worst;
        Confidence2 = second.Confidence;
    }

    /// <summary>The patient's typing of the locus.</summary>
    public LocusTyping Patient { get; }

    /// <summary>The donor's typing of the locus.</summary>
    public LocusTyping Donor { get; }

    /// <summary>The locus match when the grader had to build it while grading (a null beside an ambiguous partner), else null.</summary>
    public LocusMatch? Built { get; }

    /// <summary>Whether the donor's positions are paired crosswise.</summary>
    public bool Crossed { get; }

    /// <summary>The first position's best grade.</summary>
    public PositionGrade Best1 { get; }

    /// <summary>The first position's worst grade.</summary>
    public PositionGrade Worst1 { get; }

    /// <summary>The first position's confidence.</summary>
    public MatchConfidence Confidence { get; }

    /// <summary>The second position's best grade.</summary>
    public PositionGrade Best2 { get; }

    /// <summary>The second position's worst grade.</summary>
    public PositionGrade Worst2 { get; }

    /// <summary>The second position's confidence.</summary>
    public MatchConfidence Confidence2 { get; }

    /// <summary>The locus.</summary>
    public HlaLocus Locus => Patient.Locus;

    /// <summary>Whether both sides typed the locus.</summary>
    public bool IsTyped => !Patient.IsUntyped && !Donor.IsUntyped;

    /// <summary>The lower confidence of the two positions.</summary>
    public MatchConfidence LowerConfidence => Confidence < Confidence2 ? Confidence : Confidence2;

    /// <summary>Positions certainly mismatched at the threshold, as <see cref="LocusMatch.Mismatches"/> counts them.</summary>
    public int Mismatches(MatchThreshold threshold) => Counting.Mismatched(Best1, threshold) + Counting.Mismatched(Best2, threshold);

    /// <summary>Positions that may be mismatched at the threshold, as <see cref="LocusMatch.PotentialMismatches"/> counts them.</summary>
    public int PotentialMismatches(MatchThreshold threshold) => Counting.Mismatched(Worst1, threshold) + Counting.Mismatched(Worst2, threshold);
}
