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

    public static MatchCase ToCase(BsonDocument doc) => new(
        new CaseReference(doc["_id"].AsString), new DonorId(doc["donor"].AsInt64), doc["patient"].AsString, Instant(doc["openedAt"]))
    {
        Version = doc["v"].AsInt32,
        State = Enum.Parse<CaseState>(doc["state"].AsString),
        StateSince = Instant(doc["since"]),
        Product = doc["product"].IsNull ? null : Enum.Parse<DonationProduct>(doc["product"].AsString),
        CollectedOn = doc["collectedOn"].IsNull ? null : DateOnly.FromDayNumber(doc["collectedOn"].AsInt32),
        EndReason = AuditDocuments.Text(doc["endReason"]),
    };

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

    private static DateTimeOffset Instant(BsonValue value) => AuditDocuments.Instant(value);
}
