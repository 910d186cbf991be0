using System.Globalization;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Audit records in LiteDB: one collection per kind of record, ids that sort by record and version (a donor's
/// packed into one long, the others "key:000042"), so a history is one range read on the primary key.
/// </summary>
internal sealed class LiteDbAuditLog(LiteDatabase db) : IAuditLog
{
    private readonly Dictionary<AggregateKind, ILiteCollection<BsonDocument>> _collections = new()
    {
        [AggregateKind.Donor] = db.GetCollection(DonorDocuments.AuditCollection, BsonAutoId.Int64),
        [AggregateKind.Sample] = db.GetCollection(SampleDocuments.AuditCollection),
        [AggregateKind.Case] = db.GetCollection(CaseDocuments.AuditCollection),
        [AggregateKind.Drive] = db.GetCollection(DriveDocuments.AuditCollection),
        [AggregateKind.Donation] = db.GetCollection(CareDocuments.AuditCollection),
    };

    public void Append(AuditRecord record, byte[] seal) => _collections[record.Kind].Insert(ToDocument(record, seal));

    public void AppendMany(IReadOnlyList<SealedAuditRecord> records)
    {
        foreach (var kind in records.Select(r => r.Record.Kind).Distinct())
        {
            _collections[kind].InsertBulk(records.Where(r => r.Record.Kind == kind).Select(r => ToDocument(r.Record, r.Seal)));
        }
    }

    public byte[]? SealOf(AggregateKind kind, string id, int version) =>
        _collections[kind].FindById(AuditId(kind, id, version)) is { } doc ? Seal(doc) : null;

    public IEnumerable<SealedAuditRecord> Scan(AggregateKind kind)
    {
        // The primary key orders a record's trail together, oldest first (a donor's id is packed with the version;
        // the others are "key:000042", and no key holds a ':').
        var subjectField = SubjectField(kind);
        foreach (var doc in _collections[kind].FindAll())
        {
            var subject = doc[subjectField];
            var id = kind == AggregateKind.Donor ? new DonorId(subject.AsInt64).ToString() : subject.AsString;
            yield return new SealedAuditRecord(FromDocument(kind, id, doc), Seal(doc));
        }
    }

    public IReadOnlyList<AuditRecord> History(AggregateKind kind, string id) =>
        _collections[kind]
            .Find(Query.Between("_id", AuditId(kind, id, 0), AuditId(kind, id, ChangePipeline.MaxVersion)))
            .Select(d => FromDocument(kind, id, d))
            .OrderBy(r => r.Version)
            .ToList();

    /// <summary>The document of an audit record (also used by the enrolment pipeline, which inserts in bulk).</summary>
    public static BsonDocument ToDocument(AuditRecord r, byte[]? seal) => AuditDocuments.Write(
        AuditId(r.Kind, r.Id, r.Version), SubjectField(r.Kind), Subject(r.Kind, r.Id), r.Version, r.From, r.To, r.Action, r.Actor, r.Reason, r.At, seal);

    private static byte[]? Seal(BsonDocument doc) => doc.TryGetValue("seal", out var seal) && seal.IsBinary ? seal.AsBinary : null;

    private static AuditRecord FromDocument(AggregateKind kind, string id, BsonDocument doc)
    {
        // Donation audit records written before the shared shape have no states; they read as "Recorded".
        var from = doc["from"].IsNull ? "Recorded" : doc["from"].AsString;
        var to = doc["to"].IsNull ? "Recorded" : doc["to"].AsString;
        var reason = doc.ContainsKey("reason") ? AuditDocuments.Text(doc["reason"]) : AuditDocuments.Text(doc["detail"]);
        return new AuditRecord(kind, id, doc["v"].AsInt32, from, to, doc["action"].AsString, doc["actor"].AsString, reason, AuditDocuments.Instant(doc["at"]));
    }

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
        _ => "donation",
    };

    private static BsonValue Subject(AggregateKind kind, string id) =>
        kind == AggregateKind.Donor ? DonorId.Parse(id).Value : id;
}
