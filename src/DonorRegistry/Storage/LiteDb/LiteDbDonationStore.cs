using DonorRegistry.Care;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Donation records in LiteDB, with their next follow-up and visit days indexed; publicity consents (with their
/// history) and recognitions beside them.
/// </summary>
internal sealed class LiteDbDonationStore(LiteDatabase db) : IDonationStore
{
    private readonly ILiteCollection<BsonDocument> _donations = db.GetCollection(CareDocuments.Collection);
    private readonly ILiteCollection<BsonDocument> _publicity = db.GetCollection(CareDocuments.PublicityCollection, BsonAutoId.Int64);
    private readonly ILiteCollection<BsonDocument> _recognitions = db.GetCollection(CareDocuments.RecognitionCollection);

    public void EnsureIndexes()
    {
        _donations.EnsureIndex("donor");
        _donations.EnsureIndex("nextDue");
        _donations.EnsureIndex("nextVisit");
        _donations.EnsureIndex("end");
        _recognitions.EnsureIndex("donor");
        _recognitions.EnsureIndex("on");
    }

    public Loaded<DonationRecord>? Find(string key) =>
        string.IsNullOrEmpty(key) ? null : _donations.FindById(key) is { } document ? new Loaded<DonationRecord>(CareDocuments.ToRecord(document), null) : null;

    public void Insert(DonationRecord value) => _donations.Insert(CareDocuments.ToDocument(value));

    public void Update(Loaded<DonationRecord> value) => _donations.Update(CareDocuments.ToDocument(value.Value));

    public IReadOnlyList<DonationRecord> FindByDonor(DonorId donor) =>
        _donations.Find(Query.EQ("donor", donor.Value)).Select(CareDocuments.ToRecord).OrderBy(r => r.Details.CollectionStart).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    public IReadOnlyList<DonationRecord> FindAll() => _donations.FindAll().Select(CareDocuments.ToRecord).ToList();

    public IReadOnlyList<DonationRecord> FindFollowUpDueBefore(DateOnly day) =>
        _donations.Find(Query.Between("nextDue", int.MinValue + 1, day.DayNumber - 1)).Select(CareDocuments.ToRecord).ToList();

    public IReadOnlyList<DonationRecord> FindVisitDueBy(DateOnly day) =>
        _donations.Find(Query.Between("nextVisit", int.MinValue + 1, day.DayNumber)).Select(CareDocuments.ToRecord).ToList();

    public IReadOnlyList<DonationRecord> FindCollectedBetween(DateOnly from, DateOnly to) =>
        _donations.Find(Query.Between("end", from.DayNumber, to.DayNumber)).Select(CareDocuments.ToRecord)
            .OrderBy(r => r.Details.CollectionEnd).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    public bool HasPublicityConsent(DonorId donor) => _publicity.FindById(donor.Value) is { } d && d["consent"].AsBoolean;

    public void SetPublicityConsent(DonorId donor, bool consent, string actor, DateTimeOffset at)
    {
        var document = _publicity.FindById(donor.Value) ?? new BsonDocument { ["_id"] = donor.Value, ["history"] = new BsonArray() };
        document["consent"] = consent;
        document["since"] = at.UtcDateTime;
        document["history"].AsArray.Add(new BsonDocument { ["consent"] = consent, ["by"] = actor, ["at"] = at.UtcDateTime });
        _publicity.Upsert(document);
    }

    public void InsertRecognition(Recognition recognition) => _recognitions.Insert(CareDocuments.ToDocument(recognition));

    public IReadOnlyList<Recognition> FindRecognitions(DateOnly from, DateOnly to) =>
        _recognitions.Find(Query.Between("on", from.DayNumber, to.DayNumber)).Select(CareDocuments.ToRecognition).ToList();

    public IReadOnlyList<Recognition> FindRecognitions(DonorId donor) =>
        _recognitions.Find(Query.EQ("donor", donor.Value)).Select(CareDocuments.ToRecognition).ToList();
}
