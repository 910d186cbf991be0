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

    public static Drive ToDrive(BsonDocument doc) => Fields.Decode(doc, Collection, d => new Drive(
        new DrivePlan(
            new DriveId(Fields.Str(d, "_id")),
            Fields.Str(d, "name"),
            Fields.Enum<DriveKind>(d, "kind"),
            Fields.Str(d, "organizer"),
            Fields.Str(d, "venue"),
            Fields.Day(d, "startsOn"),
            Fields.Day(d, "endsOn"),
            Fields.Int(d, "target"),
            Fields.Bool(d, "autoList")),
        Fields.Instant(d, "plannedAt"))
    {
        Version = Fields.Int(d, "v"),
        State = Fields.Enum<DriveState>(d, "state"),
        StateSince = Fields.Instant(d, "since"),
    });

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

    public static Lecture ToLecture(BsonDocument doc) => Fields.Decode(doc, LectureCollection, d => new Lecture(
        Fields.Str(d, "_id"),
        Fields.OptStr(d, "drive") is { } drive ? new DriveId(drive) : null,
        Fields.Str(d, "venue"),
        Fields.Day(d, "heldOn"),
        Fields.Int(d, "audience"),
        Fields.Str(d, "speaker"),
        Fields.Str(d, "by")));
}
