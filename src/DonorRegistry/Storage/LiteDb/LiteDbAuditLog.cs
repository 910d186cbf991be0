using System.Globalization;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Audit records in LiteDB: one collection per kind of record, ids that sort by record and version (a donor's
/// packed into one long, the others "key:000042"), so a history is one range read on the primary key.
/// </summary>
internal sealed class LiteDbAuditLog(LiteDatabase db, Damage damage) : IAuditLog
{
    private readonly Dictionary<AggregateKind, ILiteCollection<BsonDocument>> _collections = new()
    {
        [AggregateKind.Donor] = db.GetCollection(DonorDocuments.AuditCollection, BsonAutoId.Int64),
        [AggregateKind.Sample] = db.GetCollection(SampleDocuments.AuditCollection),
        [AggregateKind.Case] = db.GetCollection(CaseDocuments.AuditCollection),
        [AggregateKind.Drive] = db.GetCollection(DriveDocuments.AuditCollection),
        [AggregateKind.Donation] = db.GetCollection(CareDocuments.AuditCollection),
        [AggregateKind.Volunteer] = db.GetCollection(VolunteerDocuments.AuditCollection),
        [AggregateKind.User] = db.GetCollection(UserDocuments.AuditCollection),
    };

    public void Append(AuditRecord record, byte[] seal) =>
        damage.Write(_collections[record.Kind].Name, record.Id, () => _collections[record.Kind].Insert(ToDocument(record, seal)));

    // Documents made as the engine takes them, inside the insert, for the reason LiteDbDonorStore.PrepareEnrolled gives;
    // their seals computed here, from documents made and dropped at once.
    public PreparedRecords PrepareMany(IReadOnlyList<SealedAuditRecord> records)
    {
        var seals = new long[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            seals[i] = Seal.Compute(Unsealed(records[i].Record, records[i].Seal));
        }

        return new Prepared<Records>(new Records(records, seals));
    }

    public void AppendMany(PreparedRecords records)
    {
        var (all, seals) = Prepared<Records>.Of(records);
        foreach (var kind in all.Select(r => r.Record.Kind).Distinct())
        {
            var collection = _collections[kind];
            damage.Write(collection.Name, null, () => collection.InsertBulk(all
                .Select((r, i) => (r.Record, Chain: r.Seal, Seal: seals[i]))
                .Where(r => r.Record.Kind == kind)
                .Select(r => Seal.ApplyComputed(Unsealed(r.Record, r.Chain), r.Seal))));
        }
    }

    public byte[]? SealOf(AggregateKind kind, string id, int version)
    {
        var collection = _collections[kind];
        return damage.Read(collection.Name, id, () => collection.FindOneById(AuditId(kind, id, version)) is { } doc ? ChainOf(doc) : null);
    }

    public IEnumerable<SealedAuditRecord> Scan(AggregateKind kind)
    {
        // The primary key orders a record's trail together, oldest first (a donor's id is packed with the version;
        // the others are "key:000042", and no key holds a ':').
        var collection = _collections[kind];
        var subjectField = SubjectField(kind);
        foreach (var doc in damage.Each(collection.Name, collection.FindAll()))
        {
            var id = SubjectOf(kind, doc) ?? throw new RegistryDamagedException(damage.Path, collection.Name, doc["_id"].ToString(), $"field '{subjectField}' to name the record the audit record belongs to");
            yield return new SealedAuditRecord(FromDocument(kind, id, doc, collection.Name), ChainOf(doc));
        }
    }

    public IReadOnlyList<AuditRecord> History(AggregateKind kind, string id)
    {
        var collection = _collections[kind];
        return damage.Read(collection.Name, id, () => collection
            .Find(Where.Between("_id", AuditId(kind, id, 0), AuditId(kind, id, ChangePipeline.MaxVersion)))
            .Select(d => FromDocument(kind, id, d, collection.Name))
            .OrderBy(r => r.Version)
            .ToList());
    }

    /// <summary>Every audit record of a kind, in id order (record, then version), for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> All(AggregateKind kind) => damage.Each(_collections[kind].Name, _collections[kind].FindAll());

    internal string CollectionOf(AggregateKind kind) => _collections[kind].Name;

    /// <summary>Decodes one audit document of a kind whose subject is <paramref name="id"/> (for the verifier).</summary>
    internal static AuditRecord Decode(AggregateKind kind, string id, BsonDocument doc, string collection) => FromDocument(kind, id, doc, collection);

    /// <summary>The subject of an audit document as the record's id text, or null when it does not decode.</summary>
    internal static string? SubjectOf(AggregateKind kind, BsonDocument doc)
    {
        var subject = doc[SubjectField(kind)];
        return kind == AggregateKind.Donor
            ? subject.IsInt64 || subject.IsInt32 ? (subject.AsInt64 > 0 ? new DonorId(subject.AsInt64).ToString() : null) : null
            : subject.IsString ? subject.AsString : null;
    }

    /// <summary>The sealed document of an audit record whose link in its chain is <paramref name="chain"/>.</summary>
    public static BsonDocument ToDocument(AuditRecord r, byte[]? chain) => Seal.Apply(Unsealed(r, chain));

    private static BsonDocument Unsealed(AuditRecord r, byte[]? chain) => AuditDocuments.Unsealed(
        AuditId(r.Kind, r.Id, r.Version), SubjectField(r.Kind), Subject(r.Kind, r.Id), r.Version, r.From, r.To, r.Action, r.Actor, r.Reason, r.At, chain);

    /// <summary>Audit records made ready to insert: the records and each one's document seal.</summary>
    private sealed record Records(IReadOnlyList<SealedAuditRecord> All, long[] Seals);

    /// <summary>The link in its record's audit chain an audit document holds, or null (for the verifier too).</summary>
    internal static byte[]? ChainOf(BsonDocument doc) => doc.TryGetValue("chain", out var chain) && chain.IsBinary ? chain.AsBinary : null;

    private static AuditRecord FromDocument(AggregateKind kind, string id, BsonDocument doc, string collection) => Fields.Decode(doc, collection, d =>
    {
        // Donation audit records written before the shared shape have no states; they read as "Recorded".
        var from = Fields.OptStr(d, "from") ?? "Recorded";
        var to = Fields.OptStr(d, "to") ?? "Recorded";
        var reason = d.ContainsKey("reason") ? Fields.OptStr(d, "reason") : Fields.OptStr(d, "detail");
        return new AuditRecord(kind, id, Fields.Int(d, "v"), from, to, Fields.Str(d, "action"), Fields.Str(d, "actor"), reason, Fields.Instant(d, "at"));
    });

    private static BsonValue AuditId(AggregateKind kind, string id, int version) => kind switch
    {
        AggregateKind.Donor => DonorDocuments.AuditId(DonorId.Parse(id), version),
        _ => $"{id}:{version.ToString("D6", CultureInfo.InvariantCulture)}",
    };

    private static string SubjectField(AggregateKind kind) => kind switch
    {
        AggregateKind.Donor => "donor",
        AggregateKind.Sample => "sample",
        AggregateKind.Case => "case",
        AggregateKind.Drive => "drive",
        AggregateKind.Volunteer => "volunteer",
        AggregateKind.User => "user",
        _ => "donation",
    };

    private static BsonValue Subject(AggregateKind kind, string id) =>
        kind == AggregateKind.Donor ? DonorId.Parse(id).Value : id;
}
