using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>The document shape every audit record shares (donors and cases alike), and the BSON value conventions.</summary>
internal static class AuditDocuments
{
    /// <summary>An audit document: subject, version, from, to, action, actor, reason, time and its link in the record's audit chain (<see cref="Audit.AuditChain"/>); sealed (<see cref="Seal"/>).</summary>
    public static BsonDocument Write(BsonValue id, string subjectField, BsonValue subject, int version, string from, string to, string action, string actor, string? reason, DateTimeOffset at, byte[]? chain) =>
        Seal.Apply(Unsealed(id, subjectField, subject, version, from, to, action, actor, reason, at, chain));

    /// <summary>The audit document <see cref="Write"/> makes, before its seal.</summary>
    public static BsonDocument Unsealed(BsonValue id, string subjectField, BsonValue subject, int version, string from, string to, string action, string actor, string? reason, DateTimeOffset at, byte[]? chain)
    {
        // The fields in ordinal key order, the subject's among them, so the seal finds the document canonical and
        // need not sort it (Seal.Apply).
        var document = Fields.NewDocument(12);
        var subjectSet = false;
        Add("_id", id);
        Add("action", action);
        Add("actor", actor);
        Add("at", at.UtcDateTime);
        Add("chain", chain is null ? BsonValue.Null : new BsonValue(chain));
        Add("from", from);
        Add("reason", reason ?? BsonValue.Null);
        Add("to", to);
        Add("v", version);
        if (!subjectSet)
        {
            document[subjectField] = subject;
        }

        return document;

        void Add(string key, BsonValue value)
        {
            if (!subjectSet && string.CompareOrdinal(subjectField, key) < 0)
            {
                document[subjectField] = subject;
                subjectSet = true;
            }

            document[key] = value;
        }
    }

    /// <summary>Reads the fields every audit record has, with the states still as text (its seal checked: see <see cref="Seal"/>).</summary>
    public static (int Version, string From, string To, string Action, string Actor, string? Reason, DateTimeOffset At) Read(BsonDocument doc, string collection) =>
        Fields.Decode(doc, collection, d => (Fields.Int(d, "v"), Fields.Str(d, "from"), Fields.Str(d, "to"), Fields.Str(d, "action"), Fields.Str(d, "actor"), Fields.OptStr(d, "reason"), Fields.Instant(d, "at")));

    /// <summary>A stored instant, as UTC whatever the reader's settings.</summary>
    public static DateTimeOffset Instant(BsonValue value) =>
        new(DateTime.SpecifyKind(value.AsDateTime.ToUniversalTime(), DateTimeKind.Utc));

    public static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;
}
