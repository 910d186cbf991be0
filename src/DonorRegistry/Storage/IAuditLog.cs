using DonorRegistry.Audit;

namespace DonorRegistry.Storage;

/// <summary>The storage contract for audit records: appended with each change and its seal, read back per record.</summary>
internal interface IAuditLog
{
    /// <summary>Appends a record with its seal (<see cref="AuditChain"/>); inside a write. A second record for the same kind, id and version is refused by the engine.</summary>
    void Append(AuditRecord record, byte[] seal);

    /// <summary>Makes records ready to append, in the engine's own form; on any thread, touching no storage (see <see cref="IDonorStore.PrepareEnrolled"/>).</summary>
    PreparedRecords PrepareMany(IReadOnlyList<SealedAuditRecord> records);

    /// <summary>Appends records made ready by <see cref="PrepareMany"/>, in order; inside a write.</summary>
    void AppendMany(PreparedRecords records);

    /// <summary>Appends records in order; inside a write.</summary>
    void AppendMany(IReadOnlyList<SealedAuditRecord> records) => AppendMany(PrepareMany(records));

    /// <summary>The seal stored with one version's record, or null when there is no such record (or it has no seal).</summary>
    byte[]? SealOf(AggregateKind kind, string id, int version);

    /// <summary>The records of one kind and id, oldest first.</summary>
    IReadOnlyList<AuditRecord> History(AggregateKind kind, string id);

    /// <summary>Every record of one kind with its seal: each record's trail together, oldest first (for verification).</summary>
    IEnumerable<SealedAuditRecord> Scan(AggregateKind kind);
}
