namespace DonorRegistry.Donors;

/// <summary>A step a UI may offer for a donor now, or show greyed out with the reasons it is blocked.</summary>
/// <param name="Trigger">The step.</param>
/// <param name="IsAllowed">Whether it can be taken now.</param>
/// <param name="BlockedBecause">Why not, when it cannot (the unmet guards in words).</param>
public sealed record PermittedAction(DonorTrigger Trigger, bool IsAllowed, IReadOnlyList<string> BlockedBecause)
{
    /// <summary>
    /// Why not, each unmet guard with its <see cref="GuardCode"/> and arguments for a host to translate, in the order of
    /// <see cref="BlockedBecause"/>; <see cref="GuardCode.Unspecified"/> for words the library has not coded.
    /// </summary>
    public IReadOnlyList<UnmetGuard> Guards { get; init; } = BlockedBecause.Select(UnmetGuard.Uncoded).ToList();

    /// <summary>One line a person can read: <c>Defer: allowed</c>, or <c>List: blocked (the donor has no typing)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        IsAllowed ? $"{Trigger}: allowed" : BlockedBecause.Count == 0 ? $"{Trigger}: not a step from this state" : $"{Trigger}: blocked ({string.Join("; ", BlockedBecause)})";
}
