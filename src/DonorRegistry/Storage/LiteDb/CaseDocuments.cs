using System.Globalization;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>The hand-written mapping of match cases and their audit records (see <see cref="DonorDocuments"/> for the conventions).</summary>
internal static class CaseDocuments
{
    public const string Collection = "cases";
    public const string AuditCollection = "case_audit";

    public static MatchCase ToCase(BsonDocument doc) => Fields.Decode(doc, Collection, d => new MatchCase(
        new CaseReference(Fields.Str(d, "_id")), new DonorId(Fields.Long(d, "donor")), Fields.Str(d, "patient"), Fields.Instant(d, "openedAt"))
    {
        Version = Fields.Int(d, "v"),
        State = Fields.Enum<CaseState>(d, "state"),
        StateSince = Fields.Instant(d, "since"),
        Product = Fields.OptEnum<DonationProduct>(d, "product"),
        CollectedOn = Fields.OptDay(d, "collectedOn"),
        EndReason = Fields.OptStr(d, "endReason"),
    });

    public static BsonDocument Write(MatchCase c, BsonDocument doc)
    {
        doc["_id"] = c.Id.Value;
        doc["v"] = c.Version;
        doc["donor"] = c.DonorId.Value;
        doc["patient"] = c.PatientReference;
        doc["state"] = c.State.ToString();
        doc["openedAt"] = c.OpenedAt.UtcDateTime;
        doc["since"] = c.StateSince.UtcDateTime;
        doc["product"] = c.Product?.ToString() ?? BsonValue.Null;
        doc["collectedOn"] = c.CollectedOn is { } day ? day.DayNumber : BsonValue.Null;
        doc["endReason"] = c.EndReason ?? BsonValue.Null;
        return doc;
    }
}
