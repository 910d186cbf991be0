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

    /// <summary>Up to <paramref name="limit"/> entries numbered above <paramref name="after"/>, in the order written, with their numbers (a copy into another engine reads them a page at a time, ADR 22).</summary>
    IReadOnlyList<Numbered<AccessRecord>> ReadAfter(long after, int limit);
}
