namespace DonorRegistry.Hla;

/// <summary>The grade at one position of a locus, and why.</summary>
/// <param name="Grade">The best grade the typings allow.</param>
/// <param name="Worst">The worst grade the typings allow (equal to <paramref name="Grade"/> when every resolution agrees).</param>
/// <param name="Patient">The patient's position, or null when the patient's locus is untyped.</param>
/// <param name="Donor">The donor's position, or null when the donor's locus is untyped.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Confidence">How sure the match is at the grader's threshold (see <see cref="MatchConfidence"/>).</param>
public sealed record PositionMatch(PositionGrade Grade, PositionGrade Worst, TypedPosition? Patient, TypedPosition? Donor, string Reason, MatchConfidence Confidence)
{
    /// <summary>Whether both sides were typed, so that the position was compared at all.</summary>
    public bool IsCompared => Patient is not null && Donor is not null;

    /// <inheritdoc />
    public override string ToString() => IsCompared
        ? $"{Patient} vs {Donor}: {Grade}{(Worst == Grade ? string.Empty : $" (could be as poor as {Worst})")}, {Confidence}"
        : $"not compared: {Reason}";
}
