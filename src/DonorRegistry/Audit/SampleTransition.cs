using DonorRegistry.Samples;

namespace DonorRegistry.Audit;

/// <summary>One audit record of a sample, written in the same transaction as the change.</summary>
/// <param name="Barcode">The sample.</param>
/// <param name="Version">The sample's version after the change.</param>
/// <param name="From">The state before (equal to <paramref name="To"/> when collected).</param>
/// <param name="To">The state after.</param>
/// <param name="Action">The trigger fired, or <c>Collect</c>.</param>
/// <param name="Actor">Who made the change.</param>
/// <param name="Reason">Why, when the step gave a reason.</param>
/// <param name="At">When the change was stored.</param>
public sealed record SampleTransition(string Barcode, int Version, SampleState From, SampleState To, string Action, string Actor, string? Reason, DateTimeOffset At);
