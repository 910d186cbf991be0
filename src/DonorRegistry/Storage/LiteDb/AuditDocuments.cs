using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>The document shape every audit record shares (donors and cases alike), and the BSON value conventions.</summary>
internal static class AuditDocuments
{
    /// <summary>An audit document: subject, version, from, to, action, actor, reason, time and its link in the record's audit chain (<see cref="Audit.AuditChain"/>).</summary>
    public static BsonDocument Write(BsonValue id, string subjectField, BsonValue subject, int version, string from, string to, string action, string actor, string? reason, DateTimeOffset at, byte[]? chain)
    {
        var document = Fields.NewDocument(12);
        document["_id"] = id;
        document[subjectField] = subject;
        document["v"] = version;
        document["from"] = from;
        document["to"] = to;
        document["action"] = action;
        document["actor"] = actor;
        document["reason"] = reason ?? BsonValue.Null;
        document["at"] = at.UtcDateTime;
        document["chain"] = chain is null ? BsonValue.Null : new BsonValue(chain);
        return Seal.Apply(document);
    }

    /// <summary>Reads the fields every audit record has, with the states still as text (its seal checked: see <see cref="Seal"/>).</summary>
    public static (int Version, string From, string To, string Action, string Actor, string? Reason, DateTimeOffset At) Read(BsonDocument doc, string collection) =>
        Fields.Decode(doc, collection, d => (Fields.Int(d, "v"), Fields.Str(d, "from"), Fields.Str(d, "to"), Fields.Str(d, "action"), Fields.Str(d, "actor"), Fields.OptStr(d, "reason"), Fields.Instant(d, "at")));

    /// <summary>A stored instant, as UTC whatever the reader's settings.</summary>
    public static DateTimeOffset Instant(BsonValue value) =>
        new(DateTime.SpecifyKind(value.AsDateTime.ToUniversalTime(), DateTimeKind.Utc));

    public static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;
}
