namespace DonorRegistry.Care;

/// <summary>One audit record of a donation record, written in the same transaction as the change.</summary>
/// <param name="Version">The record's version after the change.</param>
/// <param name="Action">What was done (RecordDonation, RecordFollowUp, RecordVisit, SkipVisit, MarkUnreachable, MarkReachable).</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Detail">What, in a line.</param>
/// <param name="At">When it was stored.</param>
public sealed record CareAuditEntry(int Version, string Action, string Actor, string? Detail, DateTimeOffset At);
