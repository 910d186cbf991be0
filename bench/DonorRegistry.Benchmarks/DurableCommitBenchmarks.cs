using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using DonorRegistry.Donors;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// A persisted transition (Defer / EndDeferral with its audit record) committed <see cref="Durability.Durable"/>
/// against <see cref="Durability.OsBuffered"/>, with 1 and 4 writers committing at the same time, each on its own
/// donor (target: Durable ≤ 2× OsBuffered at 4 writers, through group commit). One invocation is 32 commits shared
/// among the writers.
/// </summary>
[SimpleJob(warmupCount: 2, iterationCount: 10)]
public class DurableCommitBenchmarks
{
    private const int Commits = 32;
    private DurableCommitWorkload _durable = null!;
    private DurableCommitWorkload _buffered = null!;

    [Params(1, 4)]
    public int Writers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _durable = new DurableCommitWorkload(Durability.Durable, Writers);
        _buffered = new DurableCommitWorkload(Durability.OsBuffered, Writers);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _durable.Dispose();
        _buffered.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Commits, Description = "transition, OsBuffered")]
    public void OsBuffered() => _buffered.Run(Commits);

    [Benchmark(OperationsPerInvoke = Commits, Description = "transition, Durable")]
    public void Durable() => _durable.Run(Commits);
}

/// <summary>
/// A registry file with one listed donor per writer; <see cref="Run"/> has the writers commit transitions at the same
/// time, on threads of their own, and returns the wall time.
/// </summary>
internal sealed class DurableCommitWorkload : IDisposable
{
    private readonly string _folder = Workloads.NewFolder();
    private readonly Registry _registry;
    private readonly DonorId[] _donors;
    private readonly bool[] _deferred;

    public DurableCommitWorkload(Durability durability, int writers)
    {
        var options = Workloads.Options(_folder, RegistryKey.Generate());
        options.Durability = durability;
        _registry = Registry.Open(options);
        Workloads.EnrolInBatches(_registry, Workloads.Volunteers(writers), writers);
        _donors = Enumerable.Range(1, writers).Select(i => Workloads.ListedDonor(_registry, new DonorId(i))).ToArray();
        _deferred = new bool[writers];
    }

    public int Writers => _donors.Length;

    /// <summary>How many times the log was forced to the disk for commits so far.</summary>
    public long Flushes => _registry.Store.Commits.Flushes;

    public TimeSpan Run(int commits)
    {
        using var start = new Barrier(Writers + 1);
        var threads = Enumerable.Range(0, Writers).Select(w => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = w; i < commits; i += Writers)
            {
                Workloads.Transition(_registry, _donors[w], ref _deferred[w]);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        start.SignalAndWait();
        var watch = Stopwatch.StartNew();
        threads.ForEach(t => t.Join());
        return watch.Elapsed;
    }

    public void Dispose()
    {
        _registry.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>
/// The same comparison outside BenchmarkDotNet, interleaved: each round measures every (writers, durability) pair
/// once, alternating which durability goes first, so a disk or a neighbour that slows down mid-run slows both sides.
/// Prints µs per commit, commits per flush and the Durable / OsBuffered ratio per round.
/// </summary>
internal static class DurableCommits
{
    public static int Run(int rounds, int commits = 256)
    {
        int[] writerCounts = [1, 4];
        var workloads = writerCounts.ToDictionary(w => w, w => (Durable: new DurableCommitWorkload(Durability.Durable, w), Buffered: new DurableCommitWorkload(Durability.OsBuffered, w)));
        try
        {
            foreach (var (durable, buffered) in workloads.Values)
            {
                durable.Run(32); // warm-up: JIT, LiteDB's caches
                buffered.Run(32);
            }

            var ratios = writerCounts.ToDictionary(w => w, _ => new List<double>());
            var micros = writerCounts.ToDictionary(w => w, _ => (Durable: new List<double>(), Buffered: new List<double>()));
            var perFlush = writerCounts.ToDictionary(w => w, _ => new List<double>());
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var writers in writerCounts)
                {
                    var (durable, buffered) = workloads[writers];
                    var flushes = durable.Flushes;
                    TimeSpan d, b;
                    if (round % 2 == 1)
                    {
                        d = durable.Run(commits);
                        b = buffered.Run(commits);
                    }
                    else
                    {
                        b = buffered.Run(commits);
                        d = durable.Run(commits);
                    }

                    var dm = d.TotalMicroseconds / commits;
                    var bm = b.TotalMicroseconds / commits;
                    var share = commits / (double)(durable.Flushes - flushes);
                    micros[writers].Durable.Add(dm);
                    micros[writers].Buffered.Add(bm);
                    ratios[writers].Add(dm / bm);
                    perFlush[writers].Add(share);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}, {writers} writer(s): Durable {dm:F1} µs/commit ({share:F2} commits per flush), OsBuffered {bm:F1} µs/commit, ratio {dm / bm:F2}"));
                }
            }

            StreamsAgainstFileName(rounds, commits);
            foreach (var writers in writerCounts)
            {
                var r = ratios[writers];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{writers} writer(s), {rounds} rounds of {commits} commits: Durable median {Median(micros[writers].Durable):F1} µs/commit, OsBuffered median {Median(micros[writers].Buffered):F1} µs/commit, ratio median {Median(r):F2} (min {r.Min():F2}, max {r.Max():F2}), commits per flush median {Median(perFlush[writers]):F2}"));
            }

            return 0;
        }
        finally
        {
            foreach (var (durable, buffered) in workloads.Values)
            {
                durable.Dispose();
                buffered.Dispose();
            }
        }
    }

    /// <summary>
    /// What opening LiteDB over the registry's streams costs by itself: a bare read + update + commit, LiteDB opened by
    /// file name (as before durable commits) against opened over <see cref="Storage.DatabaseFiles"/> with OsBuffered.
    /// </summary>
    private static void StreamsAgainstFileName(int rounds, int commits)
    {
        var folder = Workloads.NewFolder();
        try
        {
            using var byName = new LiteDB.LiteDatabase(new LiteDB.ConnectionString { Filename = Path.Combine(folder, "by-name.db"), Collation = LiteDB.Collation.Binary });
            using var overStreams = Storage.LiteDb.DatabaseFiles.Open(Path.Combine(folder, "streams.db"), false, null, LiteDB.Collation.Binary, Storage.LiteDb.LiteDbStorage.CreateMapper(), Durability.OsBuffered, Storage.LocalDisk.Instance);
            var ratios = new List<double>();
            var first = new List<double>();
            var second = new List<double>();
            foreach (var db in new[] { byName, overStreams.Database })
            {
                db.GetCollection("d").Insert(new LiteDB.BsonDocument { ["_id"] = 1, ["n"] = 0, ["pad"] = new string('x', 300) });
                Update(db, commits);
            }

            for (var round = 1; round <= rounds; round++)
            {
                var a = round % 2 == 1 ? Update(byName, commits) : TimeSpan.Zero;
                var b = Update(overStreams.Database, commits);
                if (round % 2 == 0)
                {
                    a = Update(byName, commits);
                }

                first.Add(a.TotalMicroseconds / commits);
                second.Add(b.TotalMicroseconds / commits);
                ratios.Add(b / a);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bare LiteDB read + update + commit, {rounds} rounds of {commits}: by file name median {Median(first):F1} µs, over the registry's streams (OsBuffered) median {Median(second):F1} µs, ratio median {Median(ratios):F2} (min {ratios.Min():F2}, max {ratios.Max():F2})"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static TimeSpan Update(LiteDB.LiteDatabase db, int commits)
        {
            var collection = db.GetCollection("d");
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < commits; i++)
            {
                db.BeginTrans();
                var document = collection.FindById(1);
                document["n"] = document["n"].AsInt32 + 1;
                collection.Update(document);
                db.Commit();
            }

            return watch.Elapsed;
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
