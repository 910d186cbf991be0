using DonorRegistry.Cases;
using DonorRegistry.Donors;

namespace DonorRegistry.Audit;

/// <summary>One audit record of a match case, written in the same transaction as the change. Case at version n has records 1..n.</summary>
/// <param name="Case">The case.</param>
/// <param name="Version">The case's version after the change.</param>
/// <param name="From">The state before (equal to <paramref name="To"/> when the case was opened).</param>
/// <param name="To">The state after.</param>
/// <param name="Action">The trigger fired, or <c>Open</c>.</param>
/// <param name="Actor">Who made the change.</param>
/// <param name="Reason">Why, when the step gave a reason.</param>
/// <param name="At">When the change was stored.</param>
public sealed record CaseTransition(CaseReference Case, int Version, CaseState From, CaseState To, string Action, string Actor, string? Reason, DateTimeOffset At);
