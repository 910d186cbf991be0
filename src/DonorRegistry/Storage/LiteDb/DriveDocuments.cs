using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>The hand-written mapping of drives, their audit records and lectures (see <see cref="DonorDocuments"/>).</summary>
internal static class DriveDocuments
{
    public const string Collection = "drives";
    public const string AuditCollection = "drive_audit";
    public const string LectureCollection = "lectures";

    public static Drive ToDrive(BsonDocument doc) => new(
        new DrivePlan(
            new DriveId(doc["_id"].AsString),
            doc["name"].AsString,
            Enum.Parse<DriveKind>(doc["kind"].AsString),
            doc["organizer"].AsString,
            doc["venue"].AsString,
            DateOnly.FromDayNumber(doc["startsOn"].AsInt32),
            DateOnly.FromDayNumber(doc["endsOn"].AsInt32),
            doc["target"].AsInt32,
            doc["autoList"].AsBoolean),
        AuditDocuments.Instant(doc["plannedAt"]))
    {
        Version = doc["v"].AsInt32,
        State = Enum.Parse<DriveState>(doc["state"].AsString),
        StateSince = AuditDocuments.Instant(doc["since"]),
    };

    public static BsonDocument Write(Drive d, BsonDocument doc)
    {
        doc["_id"] = d.Id.Value;
        doc["v"] = d.Version;
        doc["name"] = d.Plan.Name;
        doc["kind"] = d.Plan.Kind.ToString();
        doc["organizer"] = d.Plan.Organizer;
        doc["venue"] = d.Plan.Venue;
        doc["startsOn"] = d.Plan.StartsOn.DayNumber;
        doc["endsOn"] = d.Plan.EndsOn.DayNumber;
        doc["target"] = d.Plan.Target;
        doc["autoList"] = d.Plan.ListAutomatically;
        doc["plannedAt"] = d.PlannedAt.UtcDateTime;
        doc["state"] = d.State.ToString();
        doc["since"] = d.StateSince.UtcDateTime;
        return doc;
    }

    public static BsonDocument ToDocument(Lecture lecture) => new()
    {
        ["_id"] = lecture.Id,
        ["drive"] = lecture.Drive is { } drive ? drive.Value : BsonValue.Null,
        ["venue"] = lecture.Venue,
        ["heldOn"] = lecture.HeldOn.DayNumber,
        ["audience"] = lecture.Audience,
        ["speaker"] = lecture.Speaker,
        ["by"] = lecture.RecordedBy,
    };

    public static Lecture ToLecture(BsonDocument doc) => new(
        doc["_id"].AsString,
        doc["drive"].IsNull ? null : new DriveId(doc["drive"].AsString),
        doc["venue"].AsString,
        DateOnly.FromDayNumber(doc["heldOn"].AsInt32),
        doc["audience"].AsInt32,
        doc["speaker"].AsString,
        doc["by"].AsString);
}
