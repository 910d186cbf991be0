namespace DonorRegistry.Storage;

/// <summary>
/// The storage contract for one kind of record. An engine implements it; only the change pipeline
/// (<see cref="WriteScope"/>) calls <see cref="Insert"/> and <see cref="Update"/>, inside a write.
/// </summary>
/// <typeparam name="TKey">The record's id type.</typeparam>
/// <typeparam name="T">The record type.</typeparam>
internal interface IAggregateStore<in TKey, T>
    where T : class, IAggregate
{
    /// <summary>The record, or null when the registry does not hold it.</summary>
    Loaded<T>? Find(TKey key);

    /// <summary>Stores a new record; inside a write.</summary>
    void Insert(T value);

    /// <summary>Stores a changed record over the row it was loaded from; inside a write.</summary>
    void Update(Loaded<T> value);
}
