using LiteDB;

namespace DonorRegistry.Storage;

/// <summary>
/// The audit trail, kept with the aggregate (ADR 1): the latest entries are embedded in the aggregate's own
/// document as the array "history", so each stored change appends its entry in the same document write and a
/// version cannot come apart from its record. When the embedded tail is full it moves, whole, into one chunk
/// document of a history collection, so documents stay small however long a trail grows.
/// Also the BSON value conventions the mappings share.
/// </summary>
internal static class AuditDocuments
{
    public const string Field = "history";

    /// <summary>How many entries stay embedded before they move to a chunk (one extra insert per this many changes).</summary>
    public const int TailSize = 64;

    /// <summary>
    /// Appends one entry to the document's embedded trail. If the tail is full, its entries are first handed to
    /// <paramref name="archive"/> (with the version of the first one) and the tail starts again.
    /// </summary>
    public static void Append(BsonDocument document, int version, string from, string to, string action, string actor, string? reason, DateTimeOffset at, Action<int, BsonArray>? archive)
    {
        if (!document.TryGetValue(Field, out var history) || !history.IsArray)
        {
            history = new BsonArray();
            document[Field] = history;
        }

        if (history.AsArray.Count >= TailSize && archive is not null)
        {
            archive(history.AsArray[0].AsDocument["v"].AsInt32, history.AsArray);
            history = new BsonArray();
            document[Field] = history;
        }

        history.AsArray.Add(Entry(version, from, to, action, actor, reason, at));
    }

    /// <summary>The entries of a trail, oldest first: the archived chunks (already in order), then the embedded tail.</summary>
    public static IEnumerable<BsonDocument> Entries(IEnumerable<BsonDocument> chunks, BsonDocument document) =>
        chunks.SelectMany(c => c["entries"].AsArray.Select(e => e.AsDocument))
            .Concat(document.TryGetValue(Field, out var history) && history.IsArray ? history.AsArray.Select(e => e.AsDocument) : []);

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
