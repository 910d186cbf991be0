using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The part every LiteDB store of a kind of record shares: one document per record, found by its key, written by
/// the kind's mapping over the document it was loaded from, sealed (<see cref="Seal"/>), and every engine call
/// behind <see cref="Damage"/>.
/// </summary>
/// <typeparam name="TKey">The record's id type.</typeparam>
/// <typeparam name="T">The record type.</typeparam>
internal abstract class LiteDbRecordStore<TKey, T>(ILiteCollection<BsonDocument> collection, Damage damage) : IAggregateStore<TKey, T>
    where T : class, IAggregate
{
    protected ILiteCollection<BsonDocument> Collection { get; } = collection;

    protected Damage Damage { get; } = damage;

    public Loaded<T>? Find(TKey key) => Id(key) is { } id
        ? Damage.Read(Collection.Name, id, () => Collection.FindOneById(id) is { } document ? new Loaded<T>(Read(document), document) : null)
        : null;

    public void Insert(T value) => Damage.Write(Collection.Name, value.Key, () => Collection.Insert(Seal.Apply(Write(value, Fields.NewDocument(32)))));

    public void Update(Loaded<T> value) =>
        Damage.Write(Collection.Name, value.Value.Key, () => Collection.Update(Seal.Apply(Write(value.Value, value.Token as BsonDocument ?? new BsonDocument()))));

    /// <summary>Every document of the collection, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> All() => Damage.Each(Collection.Name, Collection.FindAll());

    /// <summary>Decodes one document (for <see cref="LiteDbVerifier"/>).</summary>
    internal T Decode(BsonDocument document) => Read(document);

    /// <summary>Reads documents through the damage boundary and decodes each.</summary>
    protected List<T> Decoded(IEnumerable<BsonDocument> documents) => Damage.Read(Collection.Name, null, () => documents.Select(Read).ToList());

    /// <summary>The document id of a key, or null for a key no document can have (an empty code).</summary>
    protected abstract BsonValue? Id(TKey key);

    protected abstract T Read(BsonDocument document);

    protected abstract BsonDocument Write(T value, BsonDocument document);
}
