using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// The part of the copy (ADR 22) that moves what the reports and the care of donors read beside the records: publicity
/// consents with their history, re-collections, the per-day counts (added to any the national registry holds for the
/// same day, drive and metric), the access log and the search log. Each is read from the branch and written to the
/// target through the storage contract, a page per transaction with its checkpoint, like the records.
/// </summary>
internal sealed partial class PgImport
{
    private const int LogBatch = 5000;

    private void CopyCareAndLogs(Dictionary<string, long> counts)
    {
        IRegistryStorage from = _from;
        counts["publicity consents"] = CopyPages(
            "publicity consents", DocumentCodec.PublicityCollection, RecordBatch, "0",
            last => from.Donations.ReadPublicityConsents(Number(last), RecordBatch),
            c => c.Donor.Value.ToString(CultureInfo.InvariantCulture),
            page => _to.Donations.InsertPublicityConsents(page));
        counts["re-collections"] = CopyPages(
            "re-collections", DocumentCodec.RecollectionCollection, RecordBatch, "",
            last => from.Reports.ReadRecollections(last, RecordBatch),
            r => r.Barcode,
            page =>
            {
                foreach (var recollection in page)
                {
                    _to.Reports.InsertRecollection(recollection);
                }
            });

        // Added to the target's count of the same day, drive and metric: the national registry's own counts stay, and
        // the checkpoint in the same transaction adds each of the branch's exactly once.
        counts["daily counts"] = CopyPages(
            "daily counts", DocumentCodec.CountCollection, RecordBatch, "",
            last => from.Reports.ReadCounts(last.Length == 0 ? null : CountKey(last), RecordBatch),
            CountKey,
            page => _to.Reports.AddCounts(page));
        counts["access log"] = CopyPages(
            "access log", DocumentCodec.AccessLogCollection, LogBatch, "0",
            last => from.Access.ReadAfter(Number(last), LogBatch),
            e => e.Number.ToString(CultureInfo.InvariantCulture),
            page => _to.Access.Append(page.Select(e => e.Entry).ToList()));
        counts["search log"] = CopyPages(
            "search log", DocumentCodec.SearchLogCollection, LogBatch, "0",
            last => from.Reports.ReadSearchLog(Number(last), LogBatch),
            e => e.Number.ToString(CultureInfo.InvariantCulture),
            page => _to.Reports.AppendSearchLog(page.Select(e => e.Entry).ToList()));
    }

    /// <summary>A kind read a page at a time after the last key copied, each page written in one transaction with its checkpoint.</summary>
    private long CopyPages<T>(string step, string collection, int batch, string start, Func<string, IReadOnlyList<T>> read, Func<T, string> keyOf, Action<IReadOnlyList<T>> write)
    {
        var (last, copied, done) = Checkpoint(step, start);
        var total = LiteDbExport.Count(_from, collection);
        while (!done)
        {
            var page = read(last);
            done = page.Count < batch;
            var next = page.Count > 0 ? keyOf(page[^1]) : last;
            _to.Write(() =>
            {
                if (page.Count > 0)
                {
                    write(page);
                }

                return Save(step, next, copied + page.Count, done);
            });
            last = next;
            copied += page.Count;
            Report(step, copied, total);
        }

        return copied;
    }

    private static long Number(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    private static string CountKey(DailyCount count) => $"{count.Day.DayNumber}\u001f{count.Drive?.Value}\u001f{count.Metric}";

    private static DailyCount CountKey(string key)
    {
        var parts = key.Split('\u001f', 3);
        return new DailyCount(DateOnly.FromDayNumber(int.Parse(parts[0], CultureInfo.InvariantCulture)), parts[1].Length == 0 ? null : new DriveId(parts[1]), parts[2], 0);
    }

    /// <summary>
    /// The checks of consents, re-collections, counts and the two logs. Consents and re-collections are compared one by
    /// one (a SHA-256 of each, by donor or barcode). A count of the branch must be in the target at least as high (the
    /// national registry's own count for the same key is added to it); the digests are over the branch's counts and over
    /// what of them the target holds. The logs are immutable entries the target numbers anew: each branch entry must be
    /// in the target, field for field (entries of the national registry's own are not counted); the digests are an
    /// order-free sum of the entries' SHA-256s.
    /// </summary>
    private static IEnumerable<ImportCheck> VerifyCareAndLogs(IRegistryStorage from, IRegistryStorage to)
    {
        yield return Keyed("publicity consents", Consents(from), Consents(to));
        yield return Keyed("re-collections", Recollections(from), Recollections(to));
        yield return VerifyCounts(from, to);
        yield return Entries("access log", Access(from), Access(to));
        yield return Entries("search log", Searches(from), Searches(to));
    }

    private static IEnumerable<(string Key, string Content)> Consents(IRegistryStorage storage) =>
        Pages<PublicityConsent, long>(0, after => storage.Donations.ReadPublicityConsents(after, RecordBatch), c => c.Donor.Value)
            .Select(c => (c.Donor.Value.ToString(CultureInfo.InvariantCulture),
                $"{c.Consent}\u001f{Ms(c.Since)}\u001f{string.Join("\u001e", c.History.Select(h => $"{h.Consent}\u001f{h.Actor}\u001f{Ms(h.At)}"))}"));

    private static IEnumerable<(string Key, string Content)> Recollections(IRegistryStorage storage) =>
        Pages<Recollection, string>("", after => storage.Reports.ReadRecollections(after, RecordBatch), r => r.Barcode)
            .Select(r => (r.Barcode, $"{r.Donor.Value}\u001f{r.Drive?.Value ?? "\u0000"}\u001f{Ms(r.At)}\u001f{r.FirstSampledOn.DayNumber}"));

    private static IEnumerable<string> Access(IRegistryStorage storage) =>
        Pages<Numbered<AccessRecord>, long>(0, after => storage.Access.ReadAfter(after, LogBatch), e => e.Number)
            .Select(e => e.Entry)
            .Select(r => $"{Ms(r.At)}\u001f{r.Actor}\u001f{string.Join(",", r.Roles)}\u001f{r.IsHost}\u001f{r.Action}\u001f{r.Kind?.ToString() ?? "\u0000"}\u001f{r.Id ?? "\u0000"}\u001f{r.Outcome}\u001f{r.Reason}");

    private static IEnumerable<string> Searches(IRegistryStorage storage) =>
        Pages<Numbered<SearchLogEntry>, long>(0, after => storage.Reports.ReadSearchLog(after, LogBatch), e => e.Number)
            .Select(e => $"{Ms(e.Entry.At)}\u001f{e.Entry.Candidates}\u001f{e.Entry.Matches}\u001f{e.Entry.MaxMismatches}");

    private static IEnumerable<T> Pages<T, TKey>(TKey start, Func<TKey, IReadOnlyList<T>> read, Func<T, TKey> keyOf)
    {
        var last = start;
        while (true)
        {
            var page = read(last);
            foreach (var item in page)
            {
                yield return item;
            }

            if (page.Count == 0)
            {
                yield break;
            }

            last = keyOf(page[^1]);
        }
    }

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <summary>Records with a key on both sides: the same keys, each with the same content.</summary>
    private static ImportCheck Keyed(string what, IEnumerable<(string Key, string Content)> branch, IEnumerable<(string Key, string Content)> copy)
    {
        var expected = branch.ToDictionary(r => r.Key, r => Sha(r.Content), StringComparer.Ordinal);
        var actual = copy.ToDictionary(r => r.Key, r => Sha(r.Content), StringComparer.Ordinal);
        var missing = expected.Keys.Count(k => !actual.ContainsKey(k));
        var extra = actual.Keys.Count(k => !expected.ContainsKey(k));
        var changed = expected.Count(p => actual.TryGetValue(p.Key, out var a) && a != p.Value);
        var problem = missing + extra + changed == 0 ? null : $"{missing} missing, {changed} differ, {extra} not in the branch";
        return new ImportCheck(what, expected.Count, actual.Count, problem, Digest(expected), Digest(actual));
    }

    private static ImportCheck VerifyCounts(IRegistryStorage from, IRegistryStorage to)
    {
        var branch = Pages<DailyCount, DailyCount?>(null, after => from.Reports.ReadCounts(after, RecordBatch), c => c).ToList();
        var held = Pages<DailyCount, DailyCount?>(null, after => to.Reports.ReadCounts(after, RecordBatch), c => c).ToDictionary(CountKey, c => c.N, StringComparer.Ordinal);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        var actual = new Dictionary<string, string>(StringComparer.Ordinal);
        int missing = 0, lower = 0, merged = 0, found = 0;
        foreach (var count in branch)
        {
            var key = CountKey(count);
            expected[key] = Sha(count.N.ToString(CultureInfo.InvariantCulture));
            if (!held.TryGetValue(key, out var n))
            {
                missing++;
                continue;
            }

            lower += n < count.N ? 1 : 0;
            merged += n > count.N ? 1 : 0;
            found += n >= count.N ? 1 : 0;
            actual[key] = Sha(Math.Min(n, count.N).ToString(CultureInfo.InvariantCulture));
        }

        var problem = missing + lower == 0 ? null : $"{missing} missing, {lower} lower than the branch's";
        return new ImportCheck(merged == 0 ? "daily counts" : $"daily counts ({merged} added to the national registry's own)", branch.Count, found, problem, Digest(expected), Digest(actual));
    }

    /// <summary>Immutable entries the target numbers anew: every branch entry must be there, field for field, as often as in the branch.</summary>
    private static ImportCheck Entries(string what, IEnumerable<string> branch, IEnumerable<string> copy)
    {
        var wanted = new Dictionary<UInt128, int>();
        UInt128 expected = 0, actual = 0;
        long total = 0, found = 0;
        foreach (var entry in branch)
        {
            var hash = Hash128(entry);
            wanted[hash] = wanted.GetValueOrDefault(hash) + 1;
            expected += hash;
            total++;
        }

        foreach (var entry in copy)
        {
            var hash = Hash128(entry);
            if (wanted.TryGetValue(hash, out var left) && left > 0)
            {
                wanted[hash] = left - 1;
                actual += hash;
                found++;
            }
        }

        var problem = found == total ? null : $"{total - found} of the branch's entries are not in the target";
        return new ImportCheck(what, total, found, problem, Hex(expected), Hex(actual));
    }

    private static string Sha(string content) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static UInt128 Hash128(string content)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(content), hash);
        return new UInt128(BitConverter.ToUInt64(hash[..8]), BitConverter.ToUInt64(hash[8..16]));
    }

    private static string Hex(UInt128 sum) => sum.ToString("X32", CultureInfo.InvariantCulture)[..16];
}
