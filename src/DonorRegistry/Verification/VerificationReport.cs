namespace DonorRegistry.Verification;

/// <summary>What <see cref="Registry.Verify"/> found: every problem, not just the first.</summary>
public sealed class VerificationReport
{
    internal VerificationReport(IReadOnlyList<VerificationProblem> problems, int documentsRead)
    {
        Problems = problems;
        DocumentsRead = documentsRead;
    }

    /// <summary>The problems found, in the order the checks ran; empty when the registry is sound.</summary>
    public IReadOnlyList<VerificationProblem> Problems { get; }

    /// <summary>True when no check found a problem.</summary>
    public bool IsClean => Problems.Count == 0;

    /// <summary>How many documents the checks read (audit records included).</summary>
    public int DocumentsRead { get; }

    /// <summary>One line per problem, or "clean".</summary>
    public override string ToString() => IsClean
        ? $"clean ({DocumentsRead} documents read)"
        : $"{Problems.Count} problem(s) in {DocumentsRead} documents read:{Environment.NewLine}{string.Join(Environment.NewLine, Problems)}";
}

/// <summary>One problem found by <see cref="Registry.Verify"/>.</summary>
/// <param name="Kind">What kind of problem.</param>
/// <param name="Collection">The collection (or the key store) it is in.</param>
/// <param name="Id">The document (or record) it concerns; null when it concerns the whole collection.</param>
/// <param name="Expected">What should be there.</param>
/// <param name="Found">What is there instead.</param>
public sealed record VerificationProblem(VerificationProblemKind Kind, string Collection, string? Id, string Expected, string Found)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind} in {Collection}{(Id is null ? "" : $" '{Id}'")}: expected {Expected}; found {Found}";
}

/// <summary>The kinds of problem <see cref="Registry.Verify"/> reports.</summary>
public enum VerificationProblemKind
{
    /// <summary>The engine could not read a collection (or part of it) at all.</summary>
    Unreadable,

    /// <summary>A document does not decode, or its content does not match its seal.</summary>
    Undecodable,

    /// <summary>A document carries no seal, so changes to it cannot be told apart (written by an earlier version, or straight into the file).</summary>
    Unsealed,

    /// <summary>A record's audit trail lacks records: the state it is in has no audit record, or versions are missing.</summary>
    MissingAuditRecord,

    /// <summary>A record's latest audit record names another version or state than the record holds.</summary>
    AuditMismatch,

    /// <summary>A record's audit chain breaks: an audit record was changed, removed, moved or copied from elsewhere (its link to the record before does not hold).</summary>
    AuditChainBroken,

    /// <summary>A record that the audit trail, a sequence or another record says exists is missing.</summary>
    MissingDocument,

    /// <summary>A donor whose personal data is kept has no key slot, or the slot does not open.</summary>
    KeySlot,

    /// <summary>An index of the database does not list the same documents as the collection.</summary>
    IndexMismatch,

    /// <summary>The in-memory search index does not hold the donors the store lists.</summary>
    SearchIndexMismatch,

    /// <summary>The compact search rows the store keeps beside the donors (what the search index is built from) do not say what the donor records say.</summary>
    SearchRowMismatch,
}
