using DonorRegistry.Donors;

namespace DonorRegistry.Audit;

/// <summary>
/// One audit record: a change to a donor, written in the same transaction as the change itself.
/// A donor at version <c>n</c> has exactly the records 1..n.
/// </summary>
/// <param name="DonorId">The donor.</param>
/// <param name="Version">The donor's version after the change.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after (equal to <paramref name="From"/> for changes that are not transitions).</param>
/// <param name="Action">The trigger fired (a <see cref="DonorTrigger"/> name), or <c>UpdatePersonalData</c>.</param>
/// <param name="Actor">Who made the change.</param>
/// <param name="Reason">Why, when the step gave a reason.</param>
/// <param name="At">When the change was stored.</param>
public sealed record DonorTransition(
    DonorId DonorId,
    int Version,
    DonorState From,
    DonorState To,
    string Action,
    string Actor,
    string? Reason,
    DateTimeOffset At);
