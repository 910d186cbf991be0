using DonorRegistry.Audit;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage;

/// <summary>The hand-written mapping of match cases and their audit records (see <see cref="DonorDocuments"/> for the conventions).</summary>
internal static class CaseDocuments
{
    public const string Collection = "cases";

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

    public const string HistoryCollection = "case_history";

    /// <summary>History chunk ids sort by case then first version: "CASE-00000007:00000065".</summary>
    public static string HistoryChunkId(CaseReference @case, int firstVersion) =>
        $"{@case.Value}:{firstVersion.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Appends a change to the case's trail, moving a full embedded tail into <paramref name="chunks"/> first.</summary>
    public static void AppendHistory(BsonDocument document, CaseTransition t, ILiteCollection<BsonDocument> chunks) =>
        AuditDocuments.Append(document, t.Version, t.From.ToString(), t.To.ToString(), t.Action, t.Actor, t.Reason, t.At, (first, entries) =>
            chunks.Insert(new BsonDocument { ["_id"] = HistoryChunkId(t.Case, first), ["entries"] = entries }));

    /// <summary>The case's trail, oldest first.</summary>
    public static IEnumerable<CaseTransition> History(BsonDocument document, ILiteCollection<BsonDocument> chunks)
    {
        var @case = new CaseReference(document["_id"].AsString);
        var archived = chunks.Find(Query.Between("_id", HistoryChunkId(@case, 0), HistoryChunkId(@case, 99_999_999)));
        foreach (var entry in AuditDocuments.Entries(archived, document))
        {
            var (version, from, to, action, actor, reason, at) = AuditDocuments.Read(entry);
            yield return new CaseTransition(@case, version, Enum.Parse<CaseState>(from), Enum.Parse<CaseState>(to), action, actor, reason, at);
        }
    }

    private static DateTimeOffset Instant(BsonValue value) => AuditDocuments.Instant(value);
}
