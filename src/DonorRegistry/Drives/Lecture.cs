using DonorRegistry.Donors;

namespace DonorRegistry.Drives;

/// <summary>A stem-cell knowledge lecture: the top of the recruitment funnel.</summary>
/// <param name="Id">The lecture's number (LEC-00000001).</param>
/// <param name="Drive">The drive it was part of, or null for a lecture on its own.</param>
/// <param name="Venue">Where it was held.</param>
/// <param name="HeldOn">The day it was held.</param>
/// <param name="Audience">How many people attended.</param>
/// <param name="Speaker">Who spoke.</param>
/// <param name="RecordedBy">Who recorded it.</param>
public sealed record Lecture(string Id, DriveId? Drive, string Venue, DateOnly HeldOn, int Audience, string Speaker, string RecordedBy)
{
    /// <summary>One line a person can read: <c>LEC-00000001 for PKU-2026-11 at 二教 203 on 2026-11-02: 180 attendees, speaker 李医生 (recorded by organizer.wang)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Id} {(Drive is { } drive ? $"for {drive}" : "on its own")} at {Venue} on {Readable.Day(HeldOn)}: {Readable.Count(Audience, "attendee")}, speaker {Speaker} (recorded by {RecordedBy})";
}
