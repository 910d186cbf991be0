using DonorRegistry.Donors;
using DonorRegistry.Storage;
using NpgsqlTypes;

namespace DonorRegistry.PostgreSql;

/// <summary>What the reports read: per-day counts (one row per day, drive and metric, added to with an upsert), re-collections and the search log.</summary>
internal sealed class PgReportData(PgDatabase db) : IReportData
{
    /// <summary>The drive column of donors who came from no drive.</summary>
    private const string NoDrive = "";

    // Deferred (PgDatabase.Later): sent with the write's other statements in one batch.
    public void AddCount(DateOnly day, DriveId? drive, string metric, int n) =>
        db.Later($"adding to the count of {metric}",
            "INSERT INTO daily_counts (day, drive, metric, n) VALUES ($1, $2, $3, $4) ON CONFLICT (day, drive, metric) DO UPDATE SET n = daily_counts.n + EXCLUDED.n",
            [day, drive?.Value ?? NoDrive, metric, n]);

    // One upsert per page: the keys are summed first, as one statement may not update a row twice.
    public void AddCounts(IReadOnlyList<DailyCount> counts)
    {
        var summed = counts.GroupBy(c => (c.Day, Drive: c.Drive?.Value ?? NoDrive, c.Metric)).Select(g => (g.Key.Day, g.Key.Drive, g.Key.Metric, N: g.Sum(c => c.N))).ToList();
        if (summed.Count == 0)
        {
            return;
        }

        db.Execute("adding to the daily counts",
            "INSERT INTO daily_counts (day, drive, metric, n) SELECT * FROM unnest($1, $2, $3, $4) ON CONFLICT (day, drive, metric) DO UPDATE SET n = daily_counts.n + EXCLUDED.n",
            Column.Typed(summed.Select(c => c.Day).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Date),
            Column.Typed(summed.Select(c => c.Drive).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            Column.Typed(summed.Select(c => c.Metric).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            Column.Typed(summed.Select(c => c.N).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer));
    }

    public IReadOnlyDictionary<string, int> SumCounts(DateOnly from, DateOnly to, DriveId? drive) =>
        db.List("summing the daily counts",
                "SELECT metric, sum(n) FROM daily_counts WHERE day BETWEEN $1 AND $2 AND ($3::text IS NULL OR drive = $3::text) GROUP BY metric",
                r => (Metric: r.GetString(0), N: (int)r.GetInt64(1)), from, to, Column.Typed(drive?.Value, NpgsqlDbType.Text))
            .ToDictionary(x => x.Metric, x => x.N, StringComparer.Ordinal);

    public void InsertRecollection(Recollection recollection) =>
        db.Execute($"storing the re-collection of sample '{recollection.Barcode}'", "INSERT INTO recollections (barcode, donor, drive, at, first_sampled_on) VALUES ($1, $2, $3, $4, $5)",
            recollection.Barcode, recollection.Donor.Value, recollection.Drive?.Value, PgDatabase.Instant(recollection.At), recollection.FirstSampledOn);

    public IReadOnlyList<Recollection> FindRecollections(DateTimeOffset from, DateTimeOffset until) =>
        db.List("reading re-collections", "SELECT barcode, donor, drive, at, first_sampled_on FROM recollections WHERE at BETWEEN $1 AND $2 ORDER BY at, barcode",
            ToRecollection,
            PgDatabase.Instant(from), PgDatabase.Instant(until));

    // Outside a write (the search log's own writer) this is a statement of its own, committed at once.
    public void AppendSearchLog(IReadOnlyList<SearchLogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        db.Execute("appending to the search log",
            "INSERT INTO search_log (at, candidates, matches, max_mismatches) SELECT * FROM unnest($1, $2, $3, $4)",
            Column.Typed(entries.Select(e => PgDatabase.Instant(e.At)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz),
            Column.Typed(entries.Select(e => e.Candidates).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
            Column.Typed(entries.Select(e => e.Matches).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
            Column.Typed(entries.Select(e => e.MaxMismatches).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer));
    }

    public IReadOnlyList<DailyCount> ReadCounts(DailyCount? after, int limit)
    {
        Guard.Page(0, limit);
        return db.List("reading the daily counts in order",
            """
            SELECT day, drive, metric, n FROM daily_counts
            WHERE $1::date IS NULL OR (day, drive COLLATE "C", metric COLLATE "C") > ($1::date, $2::text COLLATE "C", $3::text COLLATE "C")
            ORDER BY day, drive COLLATE "C", metric COLLATE "C" LIMIT $4
            """,
            r => new DailyCount(r.GetFieldValue<DateOnly>(0), r.GetString(1) is { Length: > 0 } drive ? new DriveId(drive) : null, r.GetString(2), r.GetInt32(3)),
            Column.Typed(after?.Day, NpgsqlDbType.Date), after?.Drive?.Value ?? NoDrive, after?.Metric ?? "", limit);
    }

    public IReadOnlyList<Recollection> ReadRecollections(string after, int limit)
    {
        Guard.Page(0, limit);
        return db.List("reading re-collections in order", "SELECT barcode, donor, drive, at, first_sampled_on FROM recollections WHERE barcode COLLATE \"C\" > $1 ORDER BY barcode COLLATE \"C\" LIMIT $2",
            ToRecollection, after ?? "", limit);
    }

    public IReadOnlyList<Numbered<SearchLogEntry>> ReadSearchLog(long after, int limit)
    {
        Guard.Page(0, limit);
        return db.List("reading the search log in order", "SELECT at, candidates, matches, max_mismatches, id FROM search_log WHERE id > $1 ORDER BY id LIMIT $2",
            r => new Numbered<SearchLogEntry>(r.GetInt64(4), new SearchLogEntry(PgDatabase.Instant(r, 0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3))), after, limit);
    }

    private static Recollection ToRecollection(Npgsql.NpgsqlDataReader r) =>
        new(r.GetString(0), new DonorId(r.GetInt64(1)), r.IsDBNull(2) ? null : new DriveId(r.GetString(2)), PgDatabase.Instant(r, 3), r.GetFieldValue<DateOnly>(4));

    public IReadOnlyList<SearchLogEntry> FindSearchLog(DateTimeOffset from, DateTimeOffset until) =>
        db.List("reading the search log", "SELECT at, candidates, matches, max_mismatches FROM search_log WHERE at BETWEEN $1 AND $2 ORDER BY at, id",
            r => new SearchLogEntry(PgDatabase.Instant(r, 0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3)),
            PgDatabase.Instant(from), PgDatabase.Instant(until));
}
