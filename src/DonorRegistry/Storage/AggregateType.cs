namespace DonorRegistry.Storage;

/// <summary>
/// What the change pipeline knows of one kind of record: where it is stored, how a missing one is reported, and the
/// effects of a change beyond the record and its audit record (daily counts inside the transaction, the search index
/// after commit).
/// </summary>
/// <typeparam name="TKey">The record's id type.</typeparam>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class AggregateType<TKey, T>
    where T : class, IAggregate
{
    /// <summary>The kind, for audit records and exceptions.</summary>
    public required AggregateKind Kind { get; init; }

    /// <summary>The engine's store of this kind.</summary>
    public required IAggregateStore<TKey, T> Store { get; init; }

    /// <summary>The exception for an id the registry does not hold.</summary>
    public required Func<TKey, NotFoundException> NotFound { get; init; }

    /// <summary>Runs inside the transaction after each step, with the state before it (derived fields, daily counts).</summary>
    public Action<WriteScope, T, string>? AfterStep { get; init; }

    /// <summary>Runs after the commit, still alone among writers, with each record the write stored.</summary>
    public Action<T>? Committed { get; init; }
}
