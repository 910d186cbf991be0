using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DonorRegistry.Hla;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// 20,000 random patient–donor pairs of IMGT/HLA 3.58.0 two-field typings at A, B, C, DRB1 and DQB1, graded on one
/// thread: the grader of issue 10 (cold: a freshly loaded release with an empty pair cache; warm: the same pairs
/// again) against <see cref="PreviousGrader"/>, the pre-change algorithm, in the same run.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class GraderBenchmarks
{
    private HlaReference _reference = null!;
    private (HlaTyping Patient, HlaTyping Donor)[] _pairs = null!;

    [GlobalSetup]
    public void Setup()
    {
        _reference = GraderPairs.Load();
        _pairs = GraderPairs.Draw(_reference, GraderPairs.Count, seed: 10);
    }

    /// <summary>A fresh release for the cold runs: nothing resolved or cached yet.</summary>
    [IterationSetup(Target = nameof(CurrentGraderColdCache))]
    public void FreshRelease() => _reference = GraderPairs.Load();

    [Benchmark(Baseline = true, Description = "previous grader (37616f2), 20,000 pairs")]
    public int PreviousGrader()
    {
        var grader = new PreviousGrader(_reference);
        return _pairs.Sum(p => grader.Mismatches(p.Patient, p.Donor));
    }

    [Benchmark(Description = "current grader, cold pair cache, 20,000 pairs")]
    public int CurrentGraderColdCache() => Current();

    [Benchmark(Description = "current grader, warm pair cache, 20,000 pairs")]
    public int CurrentGraderWarmCache() => Current();

    private int Current()
    {
        var grader = new MatchGrader(_reference);
        return _pairs.Sum(p => grader.Grade(p.Patient, p.Donor).TotalMismatches);
    }
}

/// <summary>
/// <c>--grader-pairs [current]</c>: times every one of the 20,000 pairs with a stopwatch, for the previous grader and the
/// current one (cold, then warm), and prints total, median, p99 and worst per pair; <c>current</c> skips the previous grader,
/// <c>uniform</c> the synthetic-population set (whose previous-grader pass alone takes minutes).
/// </summary>
internal static class GraderPairs
{
    public const int Count = 20_000;

    public static HlaReference Load() => HlaReference.Load(FolderOf());

    /// <summary>Random typings: two distinct two-field expressed names per locus, drawn uniformly from the release's current names.</summary>
    public static (HlaTyping Patient, HlaTyping Donor)[] Draw(HlaReference reference, int count, int seed)
    {
        var random = new Random(seed);
        var names = File.ReadLines(Path.Combine(FolderOf(), "hla_nom.txt"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(';'))
            .Where(parts => parts[3].Length == 0 && parts[0] is "A*" or "B*" or "C*" or "DRB1*" or "DQB1*" && !parts[1].EndsWith('N'))
            .Select(parts => AlleleName.Parse(parts[0] + parts[1]))
            .Select(name => name.Truncate(2))
            .Distinct()
            .GroupBy(name => name.Locus)
            .ToDictionary(g => g.Key, g => g.ToArray());
        HlaTyping Next() => reference.ParseTyping(string.Join('^', names.Select(kv => $"{kv.Value[random.Next(kv.Value.Length)]}+{kv.Value[random.Next(kv.Value.Length)]}")));
        return Enumerable.Range(0, count).Select(_ => (Next(), Next())).ToArray();
    }

    /// <summary>Random typings of a population: two-field names drawn by the frequencies of <see cref="FakeData.SyntheticHla"/> (many pairs share a family).</summary>
    public static (HlaTyping Patient, HlaTyping Donor)[] DrawPopulation(HlaReference reference, int count, int seed)
    {
        var synthetic = new FakeData.SyntheticHla(seed) { ThreeLocusShare = 0 };
        var day = new DateOnly(2026, 1, 1);
        return Enumerable.Range(0, count).Select(_ => (reference.FromLoci(synthetic.Next(day).Loci), reference.FromLoci(synthetic.Next(day).Loci))).ToArray();
    }

    public static int Run(bool currentOnly, bool uniformOnly = false)
    {
        var watch = Stopwatch.StartNew();
        var reference = Load();
        var uniform = Draw(reference, Count, seed: 10);
        var population = DrawPopulation(reference, Count, seed: 10);
        Console.WriteLine($"release {reference.Release} loaded and 2 x {Count:N0} pairs drawn in {watch.Elapsed.TotalSeconds:F1} s");
        var sets = new[] { ("uniform over the release's two-field names", uniform), ("synthetic population (SyntheticHla frequencies)", population) };
        foreach (var (label, pairs) in uniformOnly ? sets[..1] : sets)
        {
            Console.WriteLine(label + ":");
            var fresh = Load(); // each set starts with an empty pair cache
            if (!currentOnly)
            {
                var previous = new PreviousGrader(fresh);
                Time("  previous grader (37616f2)", pairs, p => previous.Mismatches(p.Patient, p.Donor));
            }

            var current = new MatchGrader(fresh);
            Time("  current grader, cold pair cache", pairs, p => current.Grade(p.Patient, p.Donor).TotalMismatches);
            Time("  current grader, warm pair cache", pairs, p => current.Grade(p.Patient, p.Donor).TotalMismatches);
            Time("  current grader, warm, every locus and reason read", pairs, p => ReadAll(current.Grade(p.Patient, p.Donor)));

            // A second fresh release in the same process: nothing resolved or cached, but the grading code already compiled
            // (as when a running service loads a new release): separates the just-in-time compilation from the names' resolution.
            var again = new MatchGrader(Load());
            Time("  current grader, cold pair cache, second release (code compiled)", pairs, p => again.Grade(p.Patient, p.Donor).TotalMismatches);

            // The reason-free bulk path on a fresh release (cold pair cache), then warm; its counts must equal the full grades'.
            var bulkReference = Load();
            var bulk = new MatchGrader(bulkReference);
            TimeBulk("  bulk CountMismatches, cold pair cache", pairs, bulk);
            var counts = TimeBulk("  bulk CountMismatches, warm pair cache", pairs, bulk);
            var differing = pairs.Where((p, i) => current.Grade(p.Patient, p.Donor).TotalMismatches != counts[i]).Count();
            Console.WriteLine($"  bulk counts differing from the full grade's: {differing}");
        }

        return 0;
    }

    private static void Time(string label, (HlaTyping Patient, HlaTyping Donor)[] pairs, Func<(HlaTyping Patient, HlaTyping Donor), int> grade)
    {
        var each = new double[pairs.Length];
        Settle();
        var gc = GcWindow.Start();
        var total = Stopwatch.StartNew();
        var sum = 0;
        for (var i = 0; i < pairs.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sum += grade(pairs[i]);
            each[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        total.Stop();
        var collections = gc.Stop(pairs.Length);
        Array.Sort(each);
        Console.WriteLine($"{label}: {total.Elapsed.TotalSeconds:F3} s for {pairs.Length:N0} pairs; per pair median {each[pairs.Length / 2]:F4} ms, p99 {each[(int)(pairs.Length * 0.99)]:F4} ms, worst {each[^1]:F3} ms (mismatches summed {sum:N0}); {collections}");
    }

    private static int[] TimeBulk(string label, (HlaTyping Patient, HlaTyping Donor)[] pairs, MatchGrader grader)
    {
        Settle();
        var gc = GcWindow.Start();
        var total = Stopwatch.StartNew();
        var counts = grader.CountMismatches(pairs);
        total.Stop();
        var collections = gc.Stop(pairs.Length);
        Console.WriteLine($"{label}: {total.Elapsed.TotalSeconds:F3} s for {pairs.Length:N0} pairs in one call, {total.Elapsed.TotalMilliseconds * 1000 / pairs.Length:F1} µs a pair on average (mismatches summed {counts.Sum():N0}); {collections}");
        return counts;
    }

    /// <summary>
    /// A full collection before every timed pass, as BenchmarkDotNet does before each iteration: the release just loaded
    /// (hundreds of thousands of table entries) is promoted here, not by the first collection inside the pass (one such
    /// gen0 collection paused 283 ms in a cold pass at load average 17).
    /// </summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Reads every locus, position and reason of a grade, as a caller showing the whole grade would.</summary>
    private static int ReadAll(MatchGrade grade)
    {
        var length = 0;
        foreach (var locus in grade.Loci)
        {
            length += locus.First.Reason.Length + locus.Second.Reason.Length;
        }

        return grade.TotalMismatches + (length > 0 ? 0 : 1);
    }

    /// <summary>../shared/data/imgt-hla-3.58.0 beside the repository, found from the build output or the working folder.</summary>
    private static string FolderOf()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "..", "shared", "data", "imgt-hla-3.58.0");
                if (File.Exists(Path.Combine(directory.FullName, "DonorRegistry.sln")) && Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new DirectoryNotFoundException("The IMGT/HLA 3.58.0 files are expected in ../shared/data/imgt-hla-3.58.0 beside the repository.");
    }
}

/// <summary>What the collector did during one timed pass: bytes allocated on this thread per pair, collections by generation, and their pause time.</summary>
internal readonly record struct GcWindow(long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    public static GcWindow Start() =>
        new(GC.GetAllocatedBytesForCurrentThread(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    /// <summary>The difference since <see cref="Start"/>, as text.</summary>
    public string Stop(int pairs) =>
        $"allocated {(GC.GetAllocatedBytesForCurrentThread() - Allocated) / (double)pairs:N0} B a pair, collections gen0/1/2 {GC.CollectionCount(0) - Gen0}/{GC.CollectionCount(1) - Gen1}/{GC.CollectionCount(2) - Gen2}, paused {(GC.GetTotalPauseDuration() - Paused).TotalMilliseconds:F0} ms";
}
