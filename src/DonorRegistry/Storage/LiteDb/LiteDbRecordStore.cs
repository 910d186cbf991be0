using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The part every LiteDB store of a kind of record shares: one document per record, found by its key, written by
/// the kind's mapping over the document it was loaded from.
/// </summary>
/// <typeparam name="TKey">The record's id type.</typeparam>
/// <typeparam name="T">The record type.</typeparam>
internal abstract class LiteDbRecordStore<TKey, T>(ILiteCollection<BsonDocument> collection) : IAggregateStore<TKey, T>
    where T : class, IAggregate
{
    protected ILiteCollection<BsonDocument> Collection { get; } = collection;

    public Loaded<T>? Find(TKey key) =>
        Id(key) is { } id && Collection.FindById(id) is { } document ? new Loaded<T>(Read(document), document) : null;

    public void Insert(T value) => Collection.Insert(Write(value, new BsonDocument()));

    public void Update(Loaded<T> value) => Collection.Update(Write(value.Value, value.Token as BsonDocument ?? new BsonDocument()));

    /// <summary>The document id of a key, or null for a key no document can have (an empty code).</summary>
    protected abstract BsonValue? Id(TKey key);

    protected abstract T Read(BsonDocument document);

    protected abstract BsonDocument Write(T value, BsonDocument document);
}
