namespace DonorRegistry;

/// <summary>
/// The base of every "no such record" exception: an operation named a donor, sample, case, drive or donation that
/// the registry does not hold. Nothing is stored. Catch this to handle them all; the sealed subtypes carry typed ids.
/// </summary>
public abstract class NotFoundException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">The kind of record.</param>
    /// <param name="id">Its id as text.</param>
    /// <param name="message">The full message: what was not found and what to do.</param>
    protected NotFoundException(AggregateKind kind, string id, string message)
        : base(message)
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>The kind of record that was not found.</summary>
    public AggregateKind Kind { get; }

    /// <summary>The id that was not found, as text.</summary>
    public string Id { get; }
}
