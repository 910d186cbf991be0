using DonorRegistry.Care;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Donation records in LiteDB, with their next follow-up and visit days indexed; publicity consents (with their
/// history) and recognitions beside them.
/// </summary>
internal sealed class LiteDbDonationStore(LiteDatabase db, Damage damage) : IDonationStore
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
        string.IsNullOrEmpty(key) ? null : damage.Read(CareDocuments.Collection, key, () => _donations.FindOneById(key) is { } document ? new Loaded<DonationRecord>(CareDocuments.ToRecord(document), null) : null);

    public void Insert(DonationRecord value) => damage.Write(CareDocuments.Collection, value.Id, () => _donations.Insert(Seal.Apply(CareDocuments.ToDocument(value))));

    public void Update(Loaded<DonationRecord> value) => damage.Write(CareDocuments.Collection, value.Value.Id, () => _donations.Update(Seal.Apply(CareDocuments.ToDocument(value.Value))));

    public IReadOnlyList<DonationRecord> FindByDonor(DonorId donor) =>
        Records(_donations.Find(Where.Eq("donor", donor.Value))).OrderBy(r => r.Details.CollectionStart).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    public IReadOnlyList<DonationRecord> FindAll() => Records(_donations.FindAll());

    public IReadOnlyList<DonationRecord> FindFollowUpDueBefore(DateOnly day) =>
        Records(_donations.Find(Where.Between("nextDue", int.MinValue + 1, day.DayNumber - 1)));

    public IReadOnlyList<DonationRecord> FindVisitDueBy(DateOnly day) =>
        Records(_donations.Find(Where.Between("nextVisit", int.MinValue + 1, day.DayNumber)));

    public IReadOnlyList<DonationRecord> FindCollectedBetween(DateOnly from, DateOnly to) =>
        Records(_donations.Find(Where.Between("end", from.DayNumber, to.DayNumber)))
            .OrderBy(r => r.Details.CollectionEnd).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    public bool HasPublicityConsent(DonorId donor) =>
        damage.Read(CareDocuments.PublicityCollection, donor.Value, () => _publicity.FindOneById(donor.Value) is { } d && Fields.Decode(d, CareDocuments.PublicityCollection, p => Fields.Bool(p, "consent")));

    public void SetPublicityConsent(DonorId donor, bool consent, string actor, DateTimeOffset at) => damage.Write(CareDocuments.PublicityCollection, donor.Value, () =>
    {
        var document = _publicity.FindOneById(donor.Value) is { } found
            ? Fields.Decode(found, CareDocuments.PublicityCollection, p => { _ = Fields.Arr(p, "history"); return p; })
            : new BsonDocument { ["_id"] = donor.Value, ["history"] = new BsonArray() };
        document["consent"] = consent;
        document["since"] = at.UtcDateTime;
        document["history"].AsArray.Add(new BsonDocument { ["consent"] = consent, ["by"] = actor, ["at"] = at.UtcDateTime });
        _publicity.Upsert(Seal.Apply(document));
    });

    public IReadOnlyList<PublicityConsent> ReadPublicityConsents(long after, int limit)
    {
        Guard.Page(0, limit);
        return after == long.MaxValue
            ? []
            : damage.Read(CareDocuments.PublicityCollection, after, () => _publicity.Find(Where.Between("_id", after + 1, long.MaxValue), 0, limit).Select(ToConsent).ToList());
    }

    public void InsertPublicityConsents(IReadOnlyList<PublicityConsent> consents)
    {
        PublicityConsent.CheckAll(consents);
        foreach (var consent in consents)
        {
            damage.Write(CareDocuments.PublicityCollection, consent.Donor.Value, () => _publicity.Insert(Seal.Apply(new BsonDocument
            {
                ["_id"] = consent.Donor.Value,
                ["history"] = new BsonArray(consent.History.Select(h => new BsonDocument { ["consent"] = h.Consent, ["by"] = h.Actor, ["at"] = h.At.UtcDateTime })),
                ["consent"] = consent.Consent,
                ["since"] = consent.Since.UtcDateTime,
            })));
        }
    }

    public void InsertRecognition(Recognition recognition) =>
        damage.Write(CareDocuments.RecognitionCollection, recognition.Id, () => _recognitions.Insert(Seal.Apply(CareDocuments.ToDocument(recognition))));

    public IReadOnlyList<Recognition> FindRecognitions(DateOnly from, DateOnly to) =>
        damage.Read(CareDocuments.RecognitionCollection, null, () => _recognitions.Find(Where.Between("on", from.DayNumber, to.DayNumber)).Select(CareDocuments.ToRecognition).ToList());

    public IReadOnlyList<Recognition> FindRecognitions(DonorId donor) =>
        damage.Read(CareDocuments.RecognitionCollection, null, () => _recognitions.Find(Where.Eq("donor", donor.Value)).Select(CareDocuments.ToRecognition).ToList());

    /// <summary>Every document of one of this store's collections, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> All(string collection) => damage.Each(collection, collection switch
    {
        CareDocuments.PublicityCollection => _publicity.FindAll(),
        CareDocuments.RecognitionCollection => _recognitions.FindAll(),
        _ => _donations.FindAll(),
    });

    private static PublicityConsent ToConsent(BsonDocument document) => Fields.Decode(document, CareDocuments.PublicityCollection, p => new PublicityConsent(
        new DonorId(Fields.Long(p, "_id")),
        Fields.Bool(p, "consent"),
        Fields.Instant(p, "since"),
        Fields.Docs(p, "history").Select(h => new PublicityChange(Fields.Bool(h, "consent"), Fields.Str(h, "by"), Fields.Instant(h, "at"))).ToList()));

    private List<DonationRecord> Records(IEnumerable<BsonDocument> documents) =>
        damage.Read(CareDocuments.Collection, null, () => documents.Select(CareDocuments.ToRecord).ToList());
}
