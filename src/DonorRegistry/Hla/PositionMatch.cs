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
    // A grader's position writes its reason when it is first read: grading itself builds no strings.
    private string? _reason = Reason;
    private readonly MatchGrader? _writer;
    private readonly TypedPosition? _gradedPatient;
    private readonly TypedPosition? _gradedDonor;

    /// <summary>A graded position whose reason <paramref name="writer"/> writes when it is first read.</summary>
    internal PositionMatch(PositionGrade grade, PositionGrade worst, TypedPosition patient, TypedPosition donor, MatchConfidence confidence, MatchGrader writer)
        : this(grade, worst, patient, donor, null!, confidence)
    {
        _writer = writer;
        _gradedPatient = patient;
        _gradedDonor = donor;
    }

    /// <summary>Why, in words.</summary>
    public string Reason
    {
        get => _reason ??= _writer!.ReasonFor(_gradedPatient!, _gradedDonor!, Grade, Worst); // a racing read writes the same text
        init
        {
            _reason = value;
            _writer = null;
        }
    }

    /// <summary>Whether both sides were typed, so that the position was compared at all.</summary>
    public bool IsCompared => Patient is not null && Donor is not null;

    /// <inheritdoc />
    public bool Equals(PositionMatch? other) =>
        other is not null && Grade == other.Grade && Worst == other.Worst && Equals(Patient, other.Patient) && Equals(Donor, other.Donor)
        && Reason == other.Reason && Confidence == other.Confidence;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Grade, Worst, Patient, Donor, Reason, Confidence);

    /// <inheritdoc />
    public override string ToString() => IsCompared
        ? $"{Patient} vs {Donor}: {Grade}{(Worst == Grade ? string.Empty : $" (could be as poor as {Worst})")}, {Confidence}"
        : $"not compared: {Reason}";
}
