using DonorRegistry.Drives;

namespace DonorRegistry.Audit;

/// <summary>One audit record of a drive, written in the same transaction as the change.</summary>
/// <param name="Drive">The drive.</param>
/// <param name="Version">The drive's version after the change.</param>
/// <param name="From">The state before (equal to <paramref name="To"/> when planned).</param>
/// <param name="To">The state after.</param>
/// <param name="Action">The trigger fired, or <c>Plan</c>.</param>
/// <param name="Actor">Who made the change.</param>
/// <param name="Reason">Why, when the step gave a reason.</param>
/// <param name="At">When the change was stored.</param>
public sealed record DriveTransition(Donors.DriveId Drive, int Version, DriveState From, DriveState To, string Action, string Actor, string? Reason, DateTimeOffset At);
