namespace DonorRegistry.Donors;

/// <summary>A step a UI may offer for a donor now, or show greyed out with the reasons it is blocked.</summary>
/// <param name="Trigger">The step.</param>
/// <param name="IsAllowed">Whether it can be taken now.</param>
/// <param name="BlockedBecause">Why not, when it cannot (the unmet guards in words).</param>
public sealed record PermittedAction(DonorTrigger Trigger, bool IsAllowed, IReadOnlyList<string> BlockedBecause);
