using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>What the reports read in LiteDB: per-day counts (one document per day, drive and metric), re-collections and the search log.</summary>
internal sealed class LiteDbReportData(LiteDatabase db) : IReportData
{
    private readonly ILiteCollection<BsonDocument> _counts = db.GetCollection(DailyCounts.Collection);
    private readonly ILiteCollection<BsonDocument> _recollections = db.GetCollection(DailyCounts.RecollectionCollection);
    private readonly ILiteCollection<BsonDocument> _searchLog = db.GetCollection("search_log", BsonAutoId.Int64);

    public void EnsureIndexes()
    {
        _counts.EnsureIndex("day");
        _searchLog.EnsureIndex("at");
        _recollections.EnsureIndex("at");
    }

    public void AddCount(DateOnly day, DriveId? drive, string metric, int n)
    {
        var document = _counts.FindById(DailyCounts.Id(day, drive, metric)) ?? DailyCounts.New(day, drive, metric);
        document["n"] = document["n"].AsInt32 + n;
        _counts.Upsert(document);
    }

    public IReadOnlyDictionary<string, int> SumCounts(DateOnly from, DateOnly to, DriveId? drive) =>
        _counts.Find(Query.Between("day", from.DayNumber, to.DayNumber))
            .Where(c => drive is null || c["drive"].AsString == drive.Value.Value)
            .GroupBy(c => c["metric"].AsString)
            .ToDictionary(g => g.Key, g => g.Sum(c => c["n"].AsInt32), StringComparer.Ordinal);

    public void InsertRecollection(Recollection r) => _recollections.Insert(new BsonDocument
    {
        ["_id"] = r.Barcode,
        ["donor"] = r.Donor.Value,
        ["drive"] = r.Drive is { } d ? d.Value : BsonValue.Null,
        ["at"] = r.At.UtcDateTime,
        ["firstSampledOn"] = r.FirstSampledOn.DayNumber,
    });

    public IReadOnlyList<Recollection> FindRecollections(DateTimeOffset from, DateTimeOffset until) =>
        _recollections.Find(Query.Between("at", from.UtcDateTime, until.UtcDateTime)).Select(r => new Recollection(
            r["_id"].AsString,
            new DonorId(r["donor"].AsInt64),
            r["drive"].IsNull ? null : new DriveId(r["drive"].AsString),
            AuditDocuments.Instant(r["at"]),
            DateOnly.FromDayNumber(r["firstSampledOn"].AsInt32))).ToList();

    public void AppendSearchLog(IReadOnlyList<SearchLogEntry> entries) =>
        _searchLog.InsertBulk(entries.Select(e => new BsonDocument
        {
            ["at"] = e.At.UtcDateTime,
            ["candidates"] = e.Candidates,
            ["matches"] = e.Matches,
            ["maxMismatches"] = e.MaxMismatches,
        }));

    public IReadOnlyList<SearchLogEntry> FindSearchLog(DateTimeOffset from, DateTimeOffset until) =>
        _searchLog.Find(Query.Between("at", from.UtcDateTime, until.UtcDateTime))
            .Select(l => new SearchLogEntry(AuditDocuments.Instant(l["at"]), l["candidates"].AsInt32, l["matches"].AsInt32, l["maxMismatches"].IsNull ? -1 : l["maxMismatches"].AsInt32)).ToList();
}
