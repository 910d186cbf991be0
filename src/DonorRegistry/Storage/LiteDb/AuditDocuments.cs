using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>The document shape every audit record shares (donors and cases alike), and the BSON value conventions.</summary>
internal static class AuditDocuments
{
    /// <summary>An audit document: subject, version, from, to, action, actor, reason, time and the chain's seal.</summary>
    public static BsonDocument Write(BsonValue id, string subjectField, BsonValue subject, int version, string from, string to, string action, string actor, string? reason, DateTimeOffset at, byte[]? seal) => new()
    {
        ["_id"] = id,
        [subjectField] = subject,
        ["v"] = version,
        ["from"] = from,
        ["to"] = to,
        ["action"] = action,
        ["actor"] = actor,
        ["reason"] = reason ?? BsonValue.Null,
        ["at"] = at.UtcDateTime,
        ["seal"] = seal is null ? BsonValue.Null : new BsonValue(seal),
    };

    /// <summary>Reads the fields every audit record has, with the states still as text.</summary>
    public static (int Version, string From, string To, string Action, string Actor, string? Reason, DateTimeOffset At) Read(BsonDocument doc) =>
        (doc["v"].AsInt32, doc["from"].AsString, doc["to"].AsString, doc["action"].AsString, doc["actor"].AsString, Text(doc["reason"]), Instant(doc["at"]));

    /// <summary>A stored instant, as UTC whatever the reader's settings.</summary>
    public static DateTimeOffset Instant(BsonValue value) =>
        new(DateTime.SpecifyKind(value.AsDateTime.ToUniversalTime(), DateTimeKind.Utc));

    public static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;
}
