using DonorRegistry.Access;

namespace DonorRegistry.Storage;

/// <summary>
/// The storage contract for the access log: refused attempts and personal-data reads, apart from the records' audit
/// trails (a record at version n keeps exactly the audit records 1..n).
/// </summary>
internal interface IAccessLog
{
    /// <summary>Appends entries in order; inside a write. They change no record, so they need no write of the pipeline.</summary>
    void Append(IReadOnlyList<AccessRecord> records);

    /// <summary>The entries that match every given part of the query, newest first (the later of two at the same instant first), at most its limit.</summary>
    IReadOnlyList<AccessRecord> Find(AccessQuery query);
}
