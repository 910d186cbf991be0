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
            ["visits"] = new BsonArray(r.Visits.Select(v => new BsonDocument
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
            })),
            ["unreachable"] = r.UnreachableSince is { } u ? u.DayNumber : BsonValue.Null,
            ["unreachableNote"] = r.UnreachableNote ?? BsonValue.Null,
            ["recordedAt"] = r.RecordedAt.UtcDateTime,
            ["nextDue"] = nextDue is { } n ? n : BsonValue.Null,
            ["nextVisit"] = nextVisit is { } nv ? nv : BsonValue.Null,
        };
    }

    public static DonationRecord ToRecord(BsonDocument doc) => new(
        doc["_id"].AsString,
        new DonorId(doc["donor"].AsInt64),
        new DonationDetails(
            new CaseReference(doc["case"].AsString),
            Enum.Parse<DonationProduct>(doc["product"].AsString),
            Day(doc["start"]),
            Day(doc["end"]),
            doc["gcsf"].IsNull ? null : doc["gcsf"].AsInt32,
            doc["centre"].AsString,
            Enum.Parse<DonationOutcome>(doc["outcome"].AsString),
            Events(doc["events"])),
        doc["followUps"].AsArray.Select(v => v.AsDocument).Select(f => new FollowUp(
            f["key"].AsString,
            f["label"].AsString,
            Day(f["due"]),
            f["done"].IsNull ? null : Day(f["done"]),
            AuditDocuments.Text(f["by"]),
            f["health"].IsNull ? null : Enum.Parse<DonorHealth>(f["health"].AsString),
            Events(f["events"]),
            AuditDocuments.Text(f["notes"]))).ToList(),
        doc["visits"].AsArray.Select(v => v.AsDocument).Select(v => new AppreciationVisit(
            v["key"].AsString,
            Enum.Parse<AppreciationOccasion>(v["occasion"].AsString),
            Day(v["due"]),
            Day(v["dueBy"]),
            Enum.Parse<VisitState>(v["state"].AsString),
            v["on"].IsNull ? null : Day(v["on"]),
            AuditDocuments.Text(v["by"]),
            AuditDocuments.Text(v["gifts"]),
            AuditDocuments.Text(v["notes"]))).ToList(),
        doc["unreachable"].IsNull ? null : Day(doc["unreachable"]),
        AuditDocuments.Text(doc["unreachableNote"]),
        AuditDocuments.Instant(doc["recordedAt"]),
        doc["v"].AsInt32);

    public static BsonDocument ToDocument(Recognition r) => new()
    {
        ["_id"] = r.Id,
        ["donor"] = r.Donor.Value,
        ["kind"] = r.Kind.ToString(),
        ["title"] = r.Title,
        ["on"] = r.On.DayNumber,
        ["by"] = r.ApprovedBy,
    };

    public static Recognition ToRecognition(BsonDocument d) => new(
        d["_id"].AsString, new DonorId(d["donor"].AsInt64), Enum.Parse<RecognitionKind>(d["kind"].AsString), d["title"].AsString, Day(d["on"]), d["by"].AsString);

    private static DateOnly Day(BsonValue value) => DateOnly.FromDayNumber(value.AsInt32);

    private static BsonArray Events(IReadOnlyList<AdverseEvent>? events) => new((events ?? []).Select(e => new BsonDocument
    {
        ["what"] = e.Description,
        ["severity"] = e.Severity.ToString(),
        ["on"] = e.OnDay.DayNumber,
    }));

    private static List<AdverseEvent> Events(BsonValue value) =>
        value.AsArray.Select(v => v.AsDocument).Select(e => new AdverseEvent(e["what"].AsString, Enum.Parse<AdverseEventSeverity>(e["severity"].AsString), Day(e["on"]))).ToList();
}
