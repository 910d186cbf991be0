namespace DonorRegistry.Audit;

/// <summary>
/// One audit record: a change to a donor, sample, case, drive or donation record, written in the same transaction as
/// the change itself. Every kind of record has the same shape, and a record at version <c>n</c> has exactly the audit
/// records 1..n.
/// </summary>
/// <param name="Kind">The kind of record changed.</param>
/// <param name="Id">Its id as text (a donor's number, a barcode, a case or drive code, a DON- number).</param>
/// <param name="Version">The record's version after the change.</param>
/// <param name="From">The state before, by name (equal to <paramref name="To"/> when the record was created or the change kept the state).</param>
/// <param name="To">The state after, by name.</param>
/// <param name="Action">The step taken: a lifecycle trigger's name, or a verb such as <c>Open</c>, <c>Collect</c>, <c>UpdatePersonalData</c>.</param>
/// <param name="Actor">Who made the change.</param>
/// <param name="Reason">Why, or what, when the step gave it.</param>
/// <param name="At">When the change was stored.</param>
public sealed record AuditRecord(
    AggregateKind Kind,
    string Id,
    int Version,
    string From,
    string To,
    string Action,
    string Actor,
    string? Reason,
    DateTimeOffset At)
{
    /// <summary>One line a person can read: <c>Donor 42 v3 List: Typed -> Available by coordinator.li at 2026-06-01T08:00:00Z</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var change = From == To ? To : $"{From} -> {To}";
        var reason = Reason is null ? string.Empty : $" ({Reason})";
        return $"{Kind} {Id} v{Version} {Action}: {change} by {Actor} at {At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}{reason}";
    }
}
