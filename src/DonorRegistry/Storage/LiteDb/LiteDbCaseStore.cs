using DonorRegistry.Cases;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>Match cases in LiteDB, keyed by case reference, with indexes on donor and opening time.</summary>
internal sealed class LiteDbCaseStore(LiteDatabase db) : ICaseStore
{
    private readonly ILiteCollection<BsonDocument> _cases = db.GetCollection(CaseDocuments.Collection);

    public void EnsureIndexes()
    {
        _cases.EnsureIndex("donor");
        _cases.EnsureIndex("openedAt");
    }

    public Loaded<MatchCase>? Find(CaseReference key) =>
        key.Value is null ? null : _cases.FindById(key.Value) is { } document ? new Loaded<MatchCase>(CaseDocuments.ToCase(document), document) : null;

    public void Insert(MatchCase value) => _cases.Insert(CaseDocuments.Write(value, new BsonDocument()));

    public void Update(Loaded<MatchCase> value) => _cases.Update(CaseDocuments.Write(value.Value, (BsonDocument)value.Token!));

    public IReadOnlyList<MatchCase> FindByDonor(DonorId donor) =>
        _cases.Find(Query.EQ("donor", donor.Value)).Select(CaseDocuments.ToCase).OrderBy(c => c.OpenedAt).ThenBy(c => c.Id.Value, StringComparer.Ordinal).ToList();

    public IReadOnlyList<MatchCase> FindOpenedBetween(DateTimeOffset from, DateTimeOffset until) =>
        _cases.Find(Query.Between("openedAt", from.UtcDateTime, until.UtcDateTime)).Select(CaseDocuments.ToCase).ToList();
}
