using LiteDB;

namespace DonorRegistry.Storage;

/// <summary>
/// The audit trail, embedded in the aggregate's own document as the array "history" (ADR 1): each stored
/// change appends one entry in the same document write, so a version and its record cannot come apart.
/// Also the BSON value conventions the mappings share.
/// </summary>
internal static class AuditDocuments
{
    public const string Field = "history";

    /// <summary>
    /// The most entries one trail holds: far beyond any real donor or case, and well inside LiteDB's 16 MB document limit.
    /// </summary>
    public const int MaxEntries = 50_000;

    /// <summary>Appends one entry (version, from, to, action, actor, reason, time) to the document's trail.</summary>
    public static void Append(BsonDocument document, int version, string from, string to, string action, string actor, string? reason, DateTimeOffset at)
    {
        if (!document.TryGetValue(Field, out var history) || !history.IsArray)
        {
            history = new BsonArray();
            document[Field] = history;
        }

        if (history.AsArray.Count >= MaxEntries)
        {
            throw new InvalidOperationException($"The audit trail of {document["_id"]} holds {MaxEntries} entries, the most one record keeps.");
        }

        history.AsArray.Add(Entry(version, from, to, action, actor, reason, at));
    }

    /// <summary>The entries of a document's trail, oldest first.</summary>
    public static IEnumerable<BsonDocument> Entries(BsonDocument document) =>
        document.TryGetValue(Field, out var history) && history.IsArray ? history.AsArray.Select(e => e.AsDocument) : [];

    private static BsonDocument Entry(int version, string from, string to, string action, string actor, string? reason, DateTimeOffset at) => new()
    {
        ["v"] = version,
        ["from"] = from,
        ["to"] = to,
        ["action"] = action,
        ["actor"] = actor,
        ["reason"] = reason ?? BsonValue.Null,
        ["at"] = at.UtcDateTime,
    };

    /// <summary>Reads the fields every audit record has, with the states still as text.</summary>
    public static (int Version, string From, string To, string Action, string Actor, string? Reason, DateTimeOffset At) Read(BsonDocument doc) =>
        (doc["v"].AsInt32, doc["from"].AsString, doc["to"].AsString, doc["action"].AsString, doc["actor"].AsString, Text(doc["reason"]), Instant(doc["at"]));

    /// <summary>A stored instant, as UTC whatever the reader's settings.</summary>
    public static DateTimeOffset Instant(BsonValue value) =>
        new(DateTime.SpecifyKind(value.AsDateTime.ToUniversalTime(), DateTimeKind.Utc));

    public static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;
}
