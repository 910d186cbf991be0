using DonorRegistry.Cases;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>Match cases in LiteDB, keyed by case reference, with indexes on donor and opening time.</summary>
internal sealed class LiteDbCaseStore(LiteDatabase db, Damage damage) : LiteDbRecordStore<CaseReference, MatchCase>(db.GetCollection(CaseDocuments.Collection), damage), ICaseStore
{
    private readonly ILiteCollection<BsonDocument> _cases = db.GetCollection(CaseDocuments.Collection);

    public void EnsureIndexes()
    {
        _cases.EnsureIndex("donor");
        _cases.EnsureIndex("openedAt");
    }

    public IReadOnlyList<MatchCase> FindByDonor(DonorId donor) =>
        Decoded(_cases.Find(Where.Eq("donor", donor.Value))).OrderBy(c => c.OpenedAt).ThenBy(c => c.Id.Value, StringComparer.Ordinal).ToList();

    public IReadOnlyList<MatchCase> FindOpenedBetween(DateTimeOffset from, DateTimeOffset until) =>
        Decoded(_cases.Find(Where.Between("openedAt", from.UtcDateTime, until.UtcDateTime)));

    protected override BsonValue? Id(CaseReference key) => key.Value;

    protected override MatchCase Read(BsonDocument document) => CaseDocuments.ToCase(document);

    protected override BsonDocument Write(MatchCase value, BsonDocument document) => CaseDocuments.Write(value, document);
}
