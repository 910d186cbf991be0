namespace DonorRegistry.Hla;

/// <summary>The grade at one position of a locus, and why.</summary>
/// <param name="Grade">The best grade the typings allow.</param>
/// <param name="Worst">The worst grade the typings allow (equal to <paramref name="Grade"/> when definite).</param>
/// <param name="Patient">The patient's position, or null when the patient's locus is untyped.</param>
/// <param name="Donor">The donor's position, or null when the donor's locus is untyped.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record PositionMatch(PositionGrade Grade, PositionGrade Worst, TypedPosition? Patient, TypedPosition? Donor, string Reason)
{
    /// <summary>Definite when every resolution of the typings gives the same grade.</summary>
    public MatchConfidence Confidence => Grade == Worst ? MatchConfidence.Definite : MatchConfidence.Potential;
}
