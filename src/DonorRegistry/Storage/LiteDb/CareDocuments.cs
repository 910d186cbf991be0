using System.Globalization;
using DonorRegistry.Care;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>The hand-written mapping of donation records (with their follow-ups and visits), publicity consents and recognitions.</summary>
internal static class CareDocuments
{
    public const string Collection = "donations";
    public const string AuditCollection = "care_audit";
    public const string PublicityCollection = "publicity";
    public const string RecognitionCollection = "recognitions";


    public static BsonDocument ToDocument(DonationRecord r)
    {
        var d = r.Details;
        var nextDue = r.FollowUps.Where(f => !f.IsDone).Select(f => (int?)f.DueOn.DayNumber).Min();
        var nextVisit = r.Visits.Where(v => v.State == VisitState.Due).Select(v => (int?)v.DueOn.DayNumber).Min();
        return new BsonDocument
        {
            ["_id"] = r.Id,
            ["donor"] = r.Donor.Value,
            ["v"] = r.Version,
            ["case"] = d.Case.Value,
            ["product"] = d.Product.ToString(),
            ["start"] = d.CollectionStart.DayNumber,
            ["end"] = d.CollectionEnd.DayNumber,
            ["gcsf"] = d.GcsfDays is { } g ? g : BsonValue.Null,
            ["centre"] = d.Centre,
            ["outcome"] = d.Outcome.ToString(),
            ["events"] = Events(d.AdverseEvents),
            ["followUps"] = new BsonArray(r.FollowUps.Select(f => new BsonDocument
            {
                ["key"] = f.Key,
                ["label"] = f.Label,
                ["due"] = f.DueOn.DayNumber,
                ["done"] = f.DoneOn is { } done ? done.DayNumber : BsonValue.Null,
                ["by"] = f.DoneBy ?? BsonValue.Null,
                ["health"] = f.Health is { } h ? h.ToString() : BsonValue.Null,
                ["events"] = Events(f.AdverseEvents),
                ["notes"] = f.Notes ?? BsonValue.Null,
            })),
            ["visits"] = Visits(r.Visits),
            ["unreachable"] = r.UnreachableSince is { } u ? u.DayNumber : BsonValue.Null,
            ["unreachableNote"] = r.UnreachableNote ?? BsonValue.Null,
            ["recordedAt"] = r.RecordedAt.UtcDateTime,
            ["nextDue"] = nextDue is { } n ? n : BsonValue.Null,
            ["nextVisit"] = nextVisit is { } nv ? nv : BsonValue.Null,
        };
    }

    public static DonationRecord ToRecord(BsonDocument doc) => Fields.Decode(doc, Collection, d => new DonationRecord(
        Fields.Str(d, "_id"),
        new DonorId(Fields.Long(d, "donor")),
        new DonationDetails(
            new CaseReference(Fields.Str(d, "case")),
            Fields.Enum<DonationProduct>(d, "product"),
            Fields.Day(d, "start"),
            Fields.Day(d, "end"),
            Fields.OptInt(d, "gcsf"),
            Fields.Str(d, "centre"),
            Fields.Enum<DonationOutcome>(d, "outcome"),
            Events(d, "events")),
        Fields.Docs(d, "followUps").Select(f => new FollowUp(
            Fields.Str(f, "key"),
            Fields.Str(f, "label"),
            Fields.Day(f, "due"),
            Fields.OptDay(f, "done"),
            Fields.OptStr(f, "by"),
            Fields.OptEnum<DonorHealth>(f, "health"),
            Events(f, "events"),
            Fields.OptStr(f, "notes"))).ToList(),
        Visits(d),
        Fields.OptDay(d, "unreachable"),
        Fields.OptStr(d, "unreachableNote"),
        Fields.Instant(d, "recordedAt"),
        Fields.Int(d, "v")));

    public static BsonDocument ToDocument(Recognition r) => new()
    {
        ["_id"] = r.Id,
        ["donor"] = r.Donor.Value,
        ["kind"] = r.Kind.ToString(),
        ["title"] = r.Title,
        ["on"] = r.On.DayNumber,
        ["by"] = r.ApprovedBy,
    };

    public static Recognition ToRecognition(BsonDocument doc) => Fields.Decode(doc, RecognitionCollection, d => new Recognition(
        Fields.Str(d, "_id"), new DonorId(Fields.Long(d, "donor")), Fields.Enum<RecognitionKind>(d, "kind"), Fields.Str(d, "title"), Fields.Day(d, "on"), Fields.Str(d, "by")));

    /// <summary>Appreciation visits, as a donation record and a volunteer honour store them.</summary>
    public static BsonArray Visits(IReadOnlyList<AppreciationVisit> visits) => new(visits.Select(v => new BsonDocument
    {
        ["key"] = v.Key,
        ["occasion"] = v.Occasion.ToString(),
        ["due"] = v.DueOn.DayNumber,
        ["dueBy"] = v.DueBy.DayNumber,
        ["state"] = v.State.ToString(),
        ["on"] = v.On is { } on ? on.DayNumber : BsonValue.Null,
        ["by"] = v.By ?? BsonValue.Null,
        ["gifts"] = v.Gifts ?? BsonValue.Null,
        ["notes"] = v.Notes ?? BsonValue.Null,
    }));

    /// <summary>The appreciation visits stored under "visits".</summary>
    public static List<AppreciationVisit> Visits(BsonDocument d) => Fields.Docs(d, "visits").Select(v => new AppreciationVisit(
        Fields.Str(v, "key"),
        Fields.Enum<AppreciationOccasion>(v, "occasion"),
        Fields.Day(v, "due"),
        Fields.Day(v, "dueBy"),
        Fields.Enum<VisitState>(v, "state"),
        Fields.OptDay(v, "on"),
        Fields.OptStr(v, "by"),
        Fields.OptStr(v, "gifts"),
        Fields.OptStr(v, "notes"))).ToList();

    private static BsonArray Events(IReadOnlyList<AdverseEvent>? events) => new((events ?? []).Select(e => new BsonDocument
    {
        ["what"] = e.Description,
        ["severity"] = e.Severity.ToString(),
        ["on"] = e.OnDay.DayNumber,
    }));

    private static List<AdverseEvent> Events(BsonDocument d, string key) =>
        Fields.Docs(d, key).Select(e => new AdverseEvent(Fields.Str(e, "what"), Fields.Enum<AdverseEventSeverity>(e, "severity"), Fields.Day(e, "on"))).ToList();
}
