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
    /// <summary>Enrolled per attendee, or null without attendees.</summary>
    public double? AttendeesToEnrolled => Ratio(Enrolled, Attendees);

    /// <summary>Donors sampled per donor enrolled, or null without enrolments.</summary>
    public double? EnrolledToSampled => Ratio(DonorsSampled, Enrolled);

    /// <summary>Donors typed per donor sampled, or null without samples.</summary>
    public double? SampledToTyped => Ratio(DonorsTyped, DonorsSampled);

    /// <summary>Donors listed per donor typed, or null without typings.</summary>
    public double? TypedToListed => Ratio(DonorsListed, DonorsTyped);

    private static double? Ratio(int part, int whole) => whole == 0 ? null : (double)part / whole;
}
