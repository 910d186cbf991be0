namespace DonorRegistry;

/// <summary>
/// Thrown by any verb given an <c>expectedVersion</c> when the record is at another version: someone else changed
/// it since the caller read it. Nothing is stored; reload the record and decide again.
/// </summary>
public sealed class ConcurrentUpdateException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind of record.</param>
    /// <param name="id">Its id as text.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="actualVersion">The version now stored.</param>
    public ConcurrentUpdateException(AggregateKind kind, string id, int expectedVersion, int actualVersion)
        : base($"{kind} {id} was expected at version {expectedVersion} but is at version {actualVersion}: someone else changed it. Reload it and try again.")
    {
        Kind = kind;
        Id = id;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The kind of record.</summary>
    public AggregateKind Kind { get; }

    /// <summary>The record's id as text.</summary>
    public string Id { get; }

    /// <summary>The version the caller read.</summary>
    public int ExpectedVersion { get; }

    /// <summary>The version now stored.</summary>
    public int ActualVersion { get; }
}
