using DonorRegistry.Audit;

namespace DonorRegistry.Storage;

/// <summary>The storage contract for audit records: appended with each change, read back per record.</summary>
internal interface IAuditLog
{
    /// <summary>Appends a record; inside a write. A second record for the same kind, id and version is refused by the engine.</summary>
    void Append(AuditRecord record);

    /// <summary>Appends records in order; inside a write.</summary>
    void AppendMany(IReadOnlyList<AuditRecord> records);

    /// <summary>The records of one kind and id, oldest first.</summary>
    IReadOnlyList<AuditRecord> History(AggregateKind kind, string id);
}
