using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>What the reports read in LiteDB: per-day counts (one document per day, drive and metric), re-collections and the search log.</summary>
internal sealed class LiteDbReportData(LiteDatabase db, Damage damage) : IReportData
{
    private readonly ILiteCollection<BsonDocument> _counts = db.GetCollection(DailyCounts.Collection);
    private readonly ILiteCollection<BsonDocument> _recollections = db.GetCollection(DailyCounts.RecollectionCollection);
    private const string SearchLogCollection = "search_log";
    private readonly ILiteCollection<BsonDocument> _searchLog = db.GetCollection(SearchLogCollection, BsonAutoId.Int64);

    public void EnsureIndexes()
    {
        _counts.EnsureIndex("day");
        _searchLog.EnsureIndex("at");
        _recollections.EnsureIndex("at");
    }

    public void AddCount(DateOnly day, DriveId? drive, string metric, int n) => damage.Write(DailyCounts.Collection, DailyCounts.Id(day, drive, metric), () =>
    {
        var document = _counts.FindOneById(DailyCounts.Id(day, drive, metric)) is { } found
            ? Fields.Decode(found, DailyCounts.Collection, c => { _ = Fields.Int(c, "n"); return c; })
            : DailyCounts.New(day, drive, metric);
        document["n"] = document["n"].AsInt32 + n;
        _counts.Upsert(Seal.Apply(document));
    });

    public IReadOnlyDictionary<string, int> SumCounts(DateOnly from, DateOnly to, DriveId? drive) => damage.Read(DailyCounts.Collection, null, () =>
        _counts.Find(Where.Between("day", from.DayNumber, to.DayNumber))
            .Select(c => Fields.Decode(c, DailyCounts.Collection, d => (Drive: Fields.Str(d, "drive"), Metric: Fields.Str(d, "metric"), N: Fields.Int(d, "n"))))
            .Where(c => drive is null || c.Drive == drive.Value.Value)
            .GroupBy(c => c.Metric)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.N), StringComparer.Ordinal));

    public void InsertRecollection(Recollection r) => damage.Write(DailyCounts.RecollectionCollection, r.Barcode, () => _recollections.Insert(Seal.Apply(new BsonDocument
    {
        ["_id"] = r.Barcode,
        ["donor"] = r.Donor.Value,
        ["drive"] = r.Drive is { } d ? d.Value : BsonValue.Null,
        ["at"] = r.At.UtcDateTime,
        ["firstSampledOn"] = r.FirstSampledOn.DayNumber,
    })));

    public IReadOnlyList<Recollection> FindRecollections(DateTimeOffset from, DateTimeOffset until) => damage.Read(DailyCounts.RecollectionCollection, null, () =>
        _recollections.Find(Where.Between("at", from.UtcDateTime, until.UtcDateTime)).Select(doc => Fields.Decode(doc, DailyCounts.RecollectionCollection, r => new Recollection(
            Fields.Str(r, "_id"),
            new DonorId(Fields.Long(r, "donor")),
            Fields.OptStr(r, "drive") is { } drive ? new DriveId(drive) : null,
            Fields.Instant(r, "at"),
            Fields.Day(r, "firstSampledOn")))).ToList());

    // Search-log entries get their ids from LiteDB on insert, after a seal would be made: they are checked field by field only.
    public void AppendSearchLog(IReadOnlyList<SearchLogEntry> entries) => damage.Write(SearchLogCollection, null, () =>
        _searchLog.InsertBulk(entries.Select(e => new BsonDocument
        {
            ["at"] = e.At.UtcDateTime,
            ["candidates"] = e.Candidates,
            ["matches"] = e.Matches,
            ["maxMismatches"] = e.MaxMismatches,
        })));

    public IReadOnlyList<SearchLogEntry> FindSearchLog(DateTimeOffset from, DateTimeOffset until) => damage.Read(SearchLogCollection, null, () =>
        _searchLog.Find(Where.Between("at", from.UtcDateTime, until.UtcDateTime))
            .Select(doc => Fields.Decode(doc, SearchLogCollection, l => new SearchLogEntry(Fields.Instant(l, "at"), Fields.Int(l, "candidates"), Fields.Int(l, "matches"), Fields.OptInt(l, "maxMismatches") ?? -1))).ToList());

    /// <summary>Every document of one of this store's collections, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> All(string collection) => damage.Each(collection, collection switch
    {
        DailyCounts.Collection => _counts.FindAll(),
        DailyCounts.RecollectionCollection => _recollections.FindAll(),
        _ => _searchLog.FindAll(),
    });
}
