namespace DonorRegistry;

/// <summary>Thrown when a record has as many versions as one audit trail holds; nothing is stored.</summary>
public sealed class AuditTrailFullException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind of record.</param>
    /// <param name="id">Its id as text.</param>
    /// <param name="maxVersion">The most versions a trail holds.</param>
    public AuditTrailFullException(AggregateKind kind, string id, int maxVersion)
        : base($"{kind} {id} has reached {maxVersion:N0} versions, the most one audit trail holds; no further change can be stored for it.")
    {
        Kind = kind;
        Id = id;
        MaxVersion = maxVersion;
    }

    /// <summary>The kind of record.</summary>
    public AggregateKind Kind { get; }

    /// <summary>The record's id as text.</summary>
    public string Id { get; }

    /// <summary>The most versions a trail holds.</summary>
    public int MaxVersion { get; }
}
