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
public sealed record Lecture(string Id, DriveId? Drive, string Venue, DateOnly HeldOn, int Audience, string Speaker, string RecordedBy);
