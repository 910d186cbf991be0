using DonorRegistry.Access;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>User accounts in LiteDB: a few documents, found by user name.</summary>
internal sealed class LiteDbUserStore(LiteDatabase db, Damage damage) : LiteDbRecordStore<string, UserAccount>(db.GetCollection(UserDocuments.Collection), damage), IUserStore
{
    public IReadOnlyList<UserAccount> FindAll() => Decoded(Collection.FindAll()).OrderBy(u => u.UserName, StringComparer.Ordinal).ToList();

    public int Count() => Damage.Read(Collection.Name, null, () => Collection.Count());

    protected override BsonValue? Id(string key) => string.IsNullOrEmpty(key) ? null : new BsonValue(key);

    protected override UserAccount Read(BsonDocument document) => UserDocuments.ToUser(document);

    protected override BsonDocument Write(UserAccount value, BsonDocument document) => UserDocuments.Write(value, document);
}
