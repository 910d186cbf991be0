using DonorRegistry.Care;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>Volunteer honours in LiteDB, indexed by the day named.</summary>
internal sealed class LiteDbVolunteerStore(LiteDatabase db, Damage damage) : LiteDbRecordStore<string, VolunteerHonour>(db.GetCollection(VolunteerDocuments.Collection), damage), IVolunteerStore
{
    public void EnsureIndexes() => Collection.EnsureIndex("named");

    public IReadOnlyList<VolunteerHonour> FindNamedBetween(DateOnly from, DateOnly to) =>
        Decoded(Collection.Find(Where.Between("named", from.DayNumber, to.DayNumber))).OrderBy(v => v.NamedOn).ThenBy(v => v.Id, StringComparer.Ordinal).ToList();

    protected override BsonValue? Id(string key) => string.IsNullOrEmpty(key) ? null : key;

    protected override VolunteerHonour Read(BsonDocument document) => VolunteerDocuments.ToHonour(document);

    protected override BsonDocument Write(VolunteerHonour value, BsonDocument document) => VolunteerDocuments.Write(value, document);
}
