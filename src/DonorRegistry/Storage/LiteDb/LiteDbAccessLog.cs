using DonorRegistry.Access;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The access log in LiteDB: one sealed document per entry, numbered in the order written (so two entries of one
/// instant keep their order), indexed by instant, actor and record.
/// </summary>
internal sealed class LiteDbAccessLog(LiteDatabase db, Damage damage) : IAccessLog
{
    public const string Collection = "access_log";

    private readonly ILiteCollection<BsonDocument> _log = db.GetCollection(Collection);

    public void EnsureIndexes()
    {
        _log.EnsureIndex("at");
        _log.EnsureIndex("actor");
        _log.EnsureIndex("subject");
    }

    public void Append(IReadOnlyList<AccessRecord> records) => damage.Write(Collection, null, () =>
    {
        // The next number after the highest stored, read from the end of the primary key (no count, no scan).
        var last = _log.Query().OrderByDescending("_id").Limit(1).ToEnumerable().FirstOrDefault();
        var next = last is null ? 1L : Fields.Long(last, "_id") + 1;
        _log.InsertBulk(records.Select(r => Seal.Apply(new BsonDocument
        {
            ["_id"] = next++,
            ["at"] = r.At.UtcDateTime,
            ["actor"] = r.Actor,
            ["roles"] = new BsonArray(r.Roles.Select(role => new BsonValue(role.ToString()))),
            ["host"] = r.IsHost,
            ["action"] = r.Action.ToString(),
            ["kind"] = r.Kind is { } kind ? kind.ToString() : BsonValue.Null,
            ["id"] = r.Id is null ? BsonValue.Null : r.Id,
            ["subject"] = r.Kind is { } k && r.Id is not null ? Subject(k, r.Id) : BsonValue.Null,
            ["outcome"] = r.Outcome.ToString(),
            ["reason"] = r.Reason,
        })).ToList());
    });

    public IReadOnlyList<AccessRecord> Find(AccessQuery query) => damage.Read(Collection, null, () =>
    {
        var from = (query.From ?? DateTimeOffset.MinValue).UtcDateTime;
        var until = (query.Until ?? DateTimeOffset.MaxValue).UtcDateTime;
        IEnumerable<BsonDocument> found = query.Kind is { } kind && query.Id is not null ? _log.Find(Where.Eq("subject", Subject(kind, query.Id)))
            : query.Actor is not null ? _log.Find(Where.Eq("actor", query.Actor))
            : _log.Find(Where.Between("at", from, until));
        return found
            .Select(d => (Id: d["_id"].AsInt64, Record: ToRecord(d)))
            .Where(e => (query.Actor is null || e.Record.Actor == query.Actor)
                && (query.Kind is null || e.Record.Kind == query.Kind)
                && (query.Id is null || e.Record.Id == query.Id)
                && e.Record.At.UtcDateTime >= from && e.Record.At.UtcDateTime <= until)
            .OrderByDescending(e => e.Record.At).ThenByDescending(e => e.Id)
            .Take(query.Limit)
            .Select(e => e.Record)
            .ToList();
    });

    public IReadOnlyList<Numbered<AccessRecord>> ReadAfter(long after, int limit)
    {
        Guard.Page(0, limit);
        return after == long.MaxValue
            ? []
            : damage.Read(Collection, after, () => _log.Find(Where.Between("_id", after + 1, long.MaxValue), 0, limit)
                .Select(d => new Numbered<AccessRecord>(Fields.Long(d, "_id"), ToRecord(d))).ToList());
    }

    /// <summary>Every document, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> All() => damage.Each(Collection, _log.FindAll());

    internal static AccessRecord ToRecord(BsonDocument doc) => Fields.Decode(doc, Collection, d => new AccessRecord(
        Fields.Instant(d, "at"),
        Fields.Str(d, "actor"),
        Fields.Strs(d, "roles").Select(UserDocuments.RoleNamed).ToList(),
        Fields.Bool(d, "host"),
        Fields.Enum<RegistryAction>(d, "action"),
        Fields.OptEnum<AggregateKind>(d, "kind"),
        Fields.OptStr(d, "id"),
        Fields.Enum<AccessOutcome>(d, "outcome"),
        Fields.Str(d, "reason")));

    private static string Subject(AggregateKind kind, string id) => $"{kind}:{id}";
}
