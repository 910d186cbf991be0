using DonorRegistry.Donors;

namespace DonorRegistry.Drives;

/// <summary>
/// A drive's funnel: lectures and attendees, then donors at each step, and the conversion between steps.
/// Samples and donors differ where a donor gave a second sample after a rejection: both are reported.
/// </summary>
/// <param name="Drive">The drive.</param>
/// <param name="Lectures">Lectures held for the drive.</param>
/// <param name="Attendees">People who attended them (a person at two lectures counts twice).</param>
/// <param name="Enrolled">Donors who enrolled through the drive.</param>
/// <param name="Samples">Samples collected (re-collections included).</param>
/// <param name="DonorsSampled">Donors who gave at least one sample.</param>
/// <param name="SamplesRejected">Samples the lab or the organizer rejected.</param>
/// <param name="DonorsTyped">Donors whose typing arrived.</param>
/// <param name="DonorsListed">Donors listed as searchable (entered into the registry).</param>
public sealed record DriveStatistics(
    DriveId Drive,
    int Lectures,
    int Attendees,
    int Enrolled,
    int Samples,
    int DonorsSampled,
    int SamplesRejected,
    int DonorsTyped,
    int DonorsListed)
{
    /// <summary>The drive's plan (name, kind, venue, days, target) when read from the registry; null when built by hand.</summary>
    public DrivePlan? Plan { get; init; }

    /// <summary>Enrolled per target (the organizer's hope), or null without a plan.</summary>
    public double? OfTarget => Plan is { } plan ? Ratio(Enrolled, plan.Target) : null;

    /// <summary>Donors listed per donor enrolled (the drive's yield), or null without enrolments.</summary>
    public double? Yield => Ratio(DonorsListed, Enrolled);

    /// <summary>Enrolled per attendee, or null without attendees.</summary>
    public double? AttendeesToEnrolled => Ratio(Enrolled, Attendees);

    /// <summary>Donors sampled per donor enrolled, or null without enrolments.</summary>
    public double? EnrolledToSampled => Ratio(DonorsSampled, Enrolled);

    /// <summary>Donors typed per donor sampled, or null without samples.</summary>
    public double? SampledToTyped => Ratio(DonorsTyped, DonorsSampled);

    /// <summary>Donors listed per donor typed, or null without typings.</summary>
    public double? TypedToListed => Ratio(DonorsListed, DonorsTyped);

    private static double? Ratio(int part, int whole) => whole == 0 ? null : (double)part / whole;

    /// <summary>
    /// The funnel on one line: <c>PKU-2026-11: 2 lectures, 350 attendees, 200 enrolled (57.1% of attendees), 192 sampled
    /// (96.0% of enrolled; 196 samples, 4 rejected), 188 typed (97.9% of sampled), 188 listed (100.0% of typed)</c>.
    /// </summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Drive}: {Readable.Count(Lectures, "lecture")}, {Readable.Count(Attendees, "attendee")}, "
        + $"{Readable.Number(Enrolled)} enrolled ({Readable.Share(AttendeesToEnrolled)} of attendees), "
        + $"{Readable.Number(DonorsSampled)} sampled ({Readable.Share(EnrolledToSampled)} of enrolled; {Readable.Count(Samples, "sample")}, {Readable.Number(SamplesRejected)} rejected), "
        + $"{Readable.Number(DonorsTyped)} typed ({Readable.Share(SampledToTyped)} of sampled), "
        + $"{Readable.Number(DonorsListed)} listed ({Readable.Share(TypedToListed)} of typed)";
}
