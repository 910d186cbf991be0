using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>What the reports read in LiteDB: per-day counts (one document per day, drive and metric), re-collections and the search log.</summary>
internal sealed class LiteDbReportData(LiteDatabase db, Damage damage) : IReportData
{
    private readonly ILiteCollection<BsonDocument> _counts = db.GetCollection(DailyCounts.Collection);
    private readonly ILiteCollection<BsonDocument> _recollections = db.GetCollection(DailyCounts.RecollectionCollection);
    public const string SearchLogCollection = "search_log";
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

    public void AddCounts(IReadOnlyList<DailyCount> counts)
    {
        foreach (var count in counts)
        {
            AddCount(count.Day, count.Drive, count.Metric, count.N);
        }
    }

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
        _recollections.Find(Where.Between("at", from.UtcDateTime, until.UtcDateTime)).Select(ToRecollection).ToList());

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
            .Select(ToSearchLogEntry).ToList());

    public IReadOnlyList<DailyCount> ReadCounts(DailyCount? after, int limit)
    {
        Guard.Page(0, limit);
        return damage.Read(DailyCounts.Collection, null, () =>
        {
            // The index on the day gives whole days in order; the rows of a day are put in order here. A page ends
            // with a whole day, so the rows of the last day read are all there before they are sorted.
            var rows = new List<DailyCount>();
            foreach (var document in _counts.Query().Where(Where.Between("day", after?.Day.DayNumber ?? int.MinValue, int.MaxValue)).OrderBy("day").ToEnumerable())
            {
                var count = ToCount(document);
                if (after is { } a && DailyCount.Order(count, a) <= 0)
                {
                    continue;
                }

                if (rows.Count >= limit && count.Day != rows[^1].Day)
                {
                    break;
                }

                rows.Add(count);
            }

            rows.Sort(DailyCount.Order);
            return rows.Take(limit).ToList();
        });
    }

    public IReadOnlyList<Recollection> ReadRecollections(string after, int limit)
    {
        Guard.Page(0, limit);
        after ??= "";
        return damage.Read(DailyCounts.RecollectionCollection, after, () => _recollections.Find(Where.Between("_id", after, "\uFFFF"), 0, limit + 1)
            .Where(document => string.CompareOrdinal(document["_id"].AsString, after) > 0)
            .Take(limit)
            .Select(ToRecollection)
            .ToList());
    }

    public IReadOnlyList<Numbered<SearchLogEntry>> ReadSearchLog(long after, int limit)
    {
        Guard.Page(0, limit);
        return after == long.MaxValue
            ? []
            : damage.Read(SearchLogCollection, after, () => _searchLog.Find(Where.Between("_id", after + 1, long.MaxValue), 0, limit)
                .Select(document => new Numbered<SearchLogEntry>(Fields.Long(document, "_id"), ToSearchLogEntry(document))).ToList());
    }

    private static DailyCount ToCount(BsonDocument document) => Fields.Decode(document, DailyCounts.Collection, c => new DailyCount(
        DateOnly.FromDayNumber(Fields.Int(c, "day")),
        Fields.Str(c, "drive") is { Length: > 0 } drive ? new DriveId(drive) : null,
        Fields.Str(c, "metric"),
        Fields.Int(c, "n")));

    private static Recollection ToRecollection(BsonDocument document) => Fields.Decode(document, DailyCounts.RecollectionCollection, r => new Recollection(
        Fields.Str(r, "_id"),
        new DonorId(Fields.Long(r, "donor")),
        Fields.OptStr(r, "drive") is { } drive ? new DriveId(drive) : null,
        Fields.Instant(r, "at"),
        Fields.Day(r, "firstSampledOn")));

    private static SearchLogEntry ToSearchLogEntry(BsonDocument document) => Fields.Decode(document, SearchLogCollection, l =>
        new SearchLogEntry(Fields.Instant(l, "at"), Fields.Int(l, "candidates"), Fields.Int(l, "matches"), Fields.OptInt(l, "maxMismatches") ?? -1));

    /// <summary>Every document of one of this store's collections, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> All(string collection) => damage.Each(collection, collection switch
    {
        DailyCounts.Collection => _counts.FindAll(),
        DailyCounts.RecollectionCollection => _recollections.FindAll(),
        _ => _searchLog.FindAll(),
    });
}
