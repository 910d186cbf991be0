using System.Diagnostics;
using System.Globalization;
using DonorRegistry.Storage.LiteDb;
using LiteDB;
using LiteDB.Engine;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// <c>--litedb-race [seconds] [rounds] [readers]</c>: LiteDB 5's page-cache race between threads (LiteDB issue 2817; ADR 27), on
/// bare LiteDB and behind <see cref="GatedEngine"/>, in alternating rounds of the same length. One writer inserts and
/// updates documents in transactions of 300 (as an enrolment does) while readers (2 unless told) look documents up by id and by an
/// index and check each against what its id says it holds. Every exception and every wrong document is counted; on bare
/// LiteDB the race shows as "pages in memory store must be non-shared" and its kin, or as documents of another page.
/// </summary>
internal static class LiteDbRace
{
    private const int Seeded = 20_000;

    public static int Run(int seconds, int rounds, int readerCount)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"litedb-race: {rounds} rounds of {seconds} s per side, {readerCount} readers, {Environment.ProcessorCount} processors, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {Load()}"));
        var totals = new Dictionary<bool, (long Reads, long Writes, int Failures, int Wrong)> { [false] = default, [true] = default };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var gated in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                var result = Round(gated, TimeSpan.FromSeconds(seconds), readerCount);
                var t = totals[gated];
                totals[gated] = (t.Reads + result.Reads, t.Writes + result.Writes, t.Failures + result.Failures.Count, t.Wrong + result.Wrong);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round + 1} {(gated ? "gated" : "bare "):-5}: {result.Reads:N0} reads, {result.Writes:N0} documents written, {result.Failures.Count} failures, {result.Wrong} wrong documents{(result.Failures.Count > 0 ? "; kinds: " + string.Join(" | ", result.Failures.GroupBy(f => f).OrderByDescending(g => g.Count()).Take(4).Select(g => $"{g.Count()}× {g.Key}")) : string.Empty)}"));
            }
        }

        foreach (var (gated, t) in totals)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(gated ? "gated" : "bare")}: {t.Reads:N0} reads, {t.Writes:N0} documents written, {t.Failures} failures, {t.Wrong} wrong documents"));
        }

        return 0;
    }

    private static (long Reads, long Writes, List<string> Failures, int Wrong) Round(bool gated, TimeSpan length, int readerCount)
    {
        var folder = Directory.CreateTempSubdirectory("litedb-race-").FullName;
        var failures = new List<string>();
        long reads = 0, writes = 0;
        var wrong = 0;
        try
        {
            var engine = new LiteEngine(new EngineSettings { Filename = Path.Combine(folder, "race.db") });
            using var db = new LiteDatabase(gated ? new GatedEngine(engine) : engine);
            var docs = db.GetCollection("d", BsonAutoId.Int64);
            docs.EnsureIndex("k");
            docs.InsertBulk(Enumerable.Range(1, Seeded).Select(i => Document(i, 0)));
            var highest = (long)Seeded;
            var stop = Stopwatch.StartNew();
            void Failed(Exception e)
            {
                lock (failures)
                {
                    failures.Add($"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
                }
            }

            var writer = new Thread(() =>
            {
                var random = new Random(1);
                var version = 0;
                while (stop.Elapsed < length)
                {
                    try
                    {
                        version++;
                        db.BeginTrans();
                        var from = Interlocked.Read(ref highest) + 1;
                        docs.InsertBulk(Enumerable.Range(0, 250).Select(i => Document(from + i, 0)));
                        docs.Update(Enumerable.Range(0, 50).Select(_ => Document(random.NextInt64(1, from), version)));
                        db.Commit();
                        Interlocked.Exchange(ref highest, from + 249);
                        Interlocked.Add(ref writes, 300);
                    }
#pragma warning disable CA1031 // every failure is counted
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        Failed(e);
                        try
                        {
                            db.Rollback();
                        }
#pragma warning disable CA1031
                        catch (Exception)
#pragma warning restore CA1031
                        {
                            return; // the engine is broken: LiteDB refuses every call from now on
                        }
                    }
                }
            });
            var readers = Enumerable.Range(0, readerCount).Select(r => new Thread(() =>
            {
                var random = new Random(100 + r);
                while (stop.Elapsed < length)
                {
                    try
                    {
                        var id = random.NextInt64(1, Interlocked.Read(ref highest) + 1);
                        var found = r % 2 == 0 ? docs.FindById(id) : docs.FindOne(Query.EQ("k", Key(id)));
                        Interlocked.Increment(ref reads);
                        if (found is null || !Holds(found, id))
                        {
                            Interlocked.Increment(ref wrong);
                        }
                    }
#pragma warning disable CA1031
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        Failed(e);
                        if (failures.Count > 1_000)
                        {
                            return;
                        }
                    }
                }
            })).ToList();
            writer.Start();
            readers.ForEach(t => t.Start());
            writer.Join();
            readers.ForEach(t => t.Join());

            // Reads that failed leave their transactions open; LiteDB's finalizers for them would end the process (ADR 8's
            // AbandonedTransaction says why), so they are forgotten before the file is closed.
            AbandonedTransaction.ForgetAll(db);
        }
#pragma warning disable CA1031 // a broken engine may also fail to close
        catch (Exception e)
#pragma warning restore CA1031
        {
            failures.Add($"closing: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return (reads, writes, failures, wrong);
    }

    private static string Key(long id) => "k" + id.ToString("D9", CultureInfo.InvariantCulture);

    // About 1 KB, every byte a function of the id and version, so a document decoded from another page's bytes shows.
    private static BsonDocument Document(long id, int version)
    {
        var payload = new byte[1_000];
        new Random(HashCode.Combine(id, version)).NextBytes(payload);
        return new BsonDocument { ["_id"] = id, ["k"] = Key(id), ["v"] = version, ["p"] = payload };
    }

    private static bool Holds(BsonDocument document, long id) =>
        document["_id"].IsInt64 && document["_id"].AsInt64 == id && document["k"].AsString == Key(id) && document["p"].IsBinary
        && document["p"].AsBinary.AsSpan().SequenceEqual(Document(id, document["v"].AsInt32)["p"].AsBinary);

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
