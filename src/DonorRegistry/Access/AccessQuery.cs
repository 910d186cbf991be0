namespace DonorRegistry.Access;

/// <summary>Which access-log entries to read: every part given must match; null parts match anything.</summary>
/// <param name="Actor">The actor's name, exactly as recorded.</param>
/// <param name="Kind">The kind of record; with <paramref name="Id"/>, one record.</param>
/// <param name="Id">The record's id as text (a donor as DR-00000042).</param>
/// <param name="From">The first instant, inclusive.</param>
/// <param name="Until">The last instant, inclusive.</param>
/// <param name="Limit">How many entries at most (1 to 100,000), newest first.</param>
public sealed record AccessQuery(
    string? Actor = null,
    AggregateKind? Kind = null,
    string? Id = null,
    DateTimeOffset? From = null,
    DateTimeOffset? Until = null,
    int Limit = 1000);
