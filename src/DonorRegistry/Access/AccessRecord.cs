namespace DonorRegistry.Access;

/// <summary>What came of an attempt the access log records.</summary>
public enum AccessOutcome
{
    /// <summary>Allowed and done (a personal-data read by a role that may read it).</summary>
    Allowed,

    /// <summary>Allowed with the personal data masked (<see cref="PersonalDataMask"/>): the role may not read it whole.</summary>
    Masked,

    /// <summary>Refused with <see cref="AccessDeniedException"/>; nothing else was stored.</summary>
    Denied,
}

/// <summary>
/// One entry of the access log: a refused attempt, or a read of personal data (who read whose data, when, why). Kept
/// apart from the records' audit trails, which hold only stored changes.
/// </summary>
/// <param name="At">When.</param>
/// <param name="Actor">The actor's name.</param>
/// <param name="Roles">The roles the actor held (every role for a host actor).</param>
/// <param name="IsHost">Whether the actor was a trusted host actor.</param>
/// <param name="Action">What they tried or did.</param>
/// <param name="Kind">The kind of record it concerned, when one.</param>
/// <param name="Id">The record's id as text, when one.</param>
/// <param name="Outcome">Allowed, masked or denied.</param>
/// <param name="Reason">Why: the reason the reader gave, or why it was refused.</param>
public sealed record AccessRecord(
    DateTimeOffset At,
    string Actor,
    IReadOnlyList<Role> Roles,
    bool IsHost,
    RegistryAction Action,
    AggregateKind? Kind,
    string? Id,
    AccessOutcome Outcome,
    string Reason)
{
    /// <summary>Entries are equal when every field is equal, the roles in order.</summary>
    /// <param name="other">The other entry.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(AccessRecord? other) =>
        other is not null && At == other.At && Actor == other.Actor && Roles.SequenceEqual(other.Roles) && IsHost == other.IsHost && Action == other.Action
        && Kind == other.Kind && Id == other.Id && Outcome == other.Outcome && Reason == other.Reason;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(At, Actor, Action, Id, Outcome);

    /// <summary>One line a person can read: <c>2026-06-01T08:00:00Z lab.zhao (Lab) ReadPersonalData Donor DR-00000042: Masked (check the tube label)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var roles = IsHost ? "host" : Roles.Count == 0 ? "no role" : string.Join(", ", Roles);
        var subject = Kind is { } kind ? $" {kind} {Id}" : string.Empty;
        return $"{At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} {Actor} ({roles}) {Action}{subject}: {Outcome} ({Reason})";
    }
}
