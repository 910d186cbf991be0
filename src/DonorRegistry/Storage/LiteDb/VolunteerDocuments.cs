using DonorRegistry.Care;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>The hand-written mapping of volunteer honours: a collection of their own, apart from donors and donations.</summary>
internal static class VolunteerDocuments
{
    public const string Collection = "volunteer_honours";
    public const string AuditCollection = "volunteer_audit";

    public static BsonDocument Write(VolunteerHonour v, BsonDocument document)
    {
        document["_id"] = v.Id;
        document["v"] = v.Version;
        document["name"] = v.Name;
        document["drive"] = v.Drive is { } drive ? drive.Value : BsonValue.Null;
        document["reason"] = v.Reason;
        document["named"] = v.NamedOn.DayNumber;
        document["visits"] = CareDocuments.Visits(v.Visits);
        document["recordedAt"] = v.RecordedAt.UtcDateTime;
        return document;
    }

    public static VolunteerHonour ToHonour(BsonDocument doc) => Fields.Decode(doc, Collection, d => new VolunteerHonour(
        Fields.Str(d, "_id"),
        Fields.Str(d, "name"),
        Fields.OptStr(d, "drive") is { } drive ? new DriveId(drive) : null,
        Fields.Str(d, "reason"),
        Fields.Day(d, "named"),
        CareDocuments.Visits(d),
        Fields.Instant(d, "recordedAt"),
        Fields.Int(d, "v")));
}
