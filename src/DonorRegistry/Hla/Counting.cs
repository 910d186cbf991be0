namespace DonorRegistry.Hla;

/// <summary>How grades count at a threshold: the one place the rule is written.</summary>
internal static class Counting
{
    /// <summary>The poorest grade that counts as matched at a threshold.</summary>
    public static PositionGrade Limit(MatchThreshold threshold) => threshold switch
    {
        MatchThreshold.Allele => PositionGrade.Allele,
        MatchThreshold.GGroup => PositionGrade.GGroup,
        MatchThreshold.PGroup => PositionGrade.PGroup,
        _ => PositionGrade.Broad,
    };

    /// <summary>1 when a grade is a mismatch at the threshold, else 0.</summary>
    public static int Mismatched(PositionGrade grade, MatchThreshold threshold) => grade > Limit(threshold) ? 1 : 0;

    /// <summary>Checks a threshold given to a public entry point.</summary>
    public static MatchThreshold Checked(MatchThreshold threshold) => Enum.IsDefined(threshold)
        ? threshold
        : throw new HlaGradingException($"threshold {(int)threshold}", "a threshold is Allele, GGroup, PGroup or Antigen");
}
