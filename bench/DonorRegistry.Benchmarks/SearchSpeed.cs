using System.Diagnostics;
using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Hla;
using DonorRegistry.Search;
using DonorRegistry.Storage;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// <c>--search-speed DONORS [--rounds R] [--hla FOLDER|none] [--limit K] [--floor]</c>: the search index alone, without the store. DONORS listed
/// donors are generated straight into a <see cref="SearchIndex"/> (10 million through the verbs or the LiteDB fixture would
/// take hours) from the search fixture's generator (<see cref="SyntheticHla"/>, seed 2026, 10 % typed at A, B and DRB1
/// only; profiles as in <see cref="SearchFixture"/>), their names read against IMGT/HLA 3.58.0 unless <c>none</c>
/// (fields-only grading, as the BenchmarkDotNet fixture). 64 patients typed at all five loci (seed 424,242) each make a
/// 10/10 search at the PGroup threshold, at most 2 mismatches, top 100 (or K); every patient is searched once to warm up, then
/// R rounds of all 64 are timed one search at a time. Prints median, p95, mean, min and max per search, and a digest of
/// every ranked result (donor ids, mismatches and rank) so that two builds can be shown to rank alike; <c>--floor</c> then times plain sums over arrays shaped as the scan's
/// columns, the memory-bandwidth floor of a scan.
/// </summary>
internal static class SearchSpeed
{
    /// <summary>A fixed day, so that ages (and so the ranking) do not change between runs.</summary>
    private static readonly DateOnly Today = new(2026, 12, 6);

    public static int Run(string[] args)
    {
        var donors = int.Parse(args[Array.IndexOf(args, "--search-speed") + 1], CultureInfo.InvariantCulture);
        var rounds = Option(args, "--rounds") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 20;
        var limit = Option(args, "--limit") is { } l ? int.Parse(l, CultureInfo.InvariantCulture) : 100;
        var hla = Option(args, "--hla");
        var reference = hla == "none" ? HlaReference.None : HlaReference.Load(hla ?? ReleaseFolder());
        Console.WriteLine($"search-speed: {donors:N0} donors, {rounds} rounds of 64 patients, top {limit}, HLA {(hla == "none" ? "none (fields only)" : reference.Release)}, {Environment.ProcessorCount} processors, load {Load()}");

        var watch = Stopwatch.StartNew();
        var index = new SearchIndex(reference);
        Fill(index, donors);
        var built = watch.Elapsed;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"index of {index.Count:N0} donors generated in {built.TotalSeconds:F1} s; managed heap {heap / 1048576.0:F0} MiB");

        var requests = Requests(reference, limit);
        var grader = new MatchGrader(reference, MatchThreshold.PGroup);
        var digest = 14_695_981_039_346_656_037UL;
        long candidates = 0;
        foreach (var request in requests)
        {
            var result = index.Search(request, grader.WithThreshold(request.Threshold), Today);
            candidates += result.Candidates;
            foreach (var match in result.Matches)
            {
                digest = (digest ^ (ulong)match.DonorId.Value ^ ((ulong)match.Mismatches << 48) ^ ((ulong)match.Rank << 56)) * 1_099_511_628_211UL;
            }
        }

        Console.WriteLine($"results digest {digest:x16}; {candidates / requests.Count:N0} donors within the limits per search on average");

        var times = new List<double>(rounds * requests.Count);
        var gcBefore = GC.CollectionCount(0);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var request in requests)
            {
                var start = Stopwatch.GetTimestamp();
                _ = index.Search(request, grader.WithThreshold(request.Threshold), Today);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        var wall = watch.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        times.Sort();
        var p95 = times[(int)Math.Ceiling(0.95 * times.Count) - 1];
        Console.WriteLine(FormattableString.Invariant(
            $"searches {times.Count}: median {times[times.Count / 2]:F3} ms, p95 {p95:F3} ms, mean {times.Average():F3} ms, min {times[0]:F3} ms, max {times[^1]:F3} ms; {wall.TotalSeconds:F1} s wall, {cpu.TotalMilliseconds / times.Count:F3} ms of CPU per search, {GC.CollectionCount(0) - gcBefore} gen-0 collections; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB; load {Load()}"));
        GC.KeepAlive(index);
        if (args.Contains("--floor"))
        {
            Floor(donors);
        }

        return 0;
    }

    /// <summary>
    /// The memory floor of a scan: arrays shaped as the scan's columns (six 4-byte genotype ids, a 4-byte birth day,
    /// a state byte and a traits byte per row), summed by two partitions as the search splits its rows; the median of 64.
    /// </summary>
    private static void Floor(int rows)
    {
        var genotypes = new int[rows * 6];
        var birth = new int[rows];
        var state = new byte[rows];
        var traits = new byte[rows];
        Array.Fill(genotypes, 1);
        Array.Fill(birth, 19_900_101);
        Array.Fill(state, (byte)1);
        Array.Fill(traits, (byte)3);
        var times = new List<double>();
        long total = 0;
        for (var i = 0; i < 65; i++)
        {
            var sums = new long[2];
            var start = Stopwatch.GetTimestamp();
            Parallel.For(0, 2, p =>
            {
                int from = (int)((long)rows * p / 2), to = (int)((long)rows * (p + 1) / 2);
                var sum = Sum(genotypes.AsSpan(from * 6, (to - from) * 6)) + Sum(birth.AsSpan(from, to - from));
                for (var r = from; r < to; r += 64)
                {
                    sum += state[r] + traits[r]; // one read per cache line: the byte columns' lines are fetched whole
                }

                sums[p] = sum;
            });
            if (i > 0)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            total += sums[0] + sums[1];
        }

        times.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"memory floor: {(30.0 * rows) / 1_048_576:F0} MiB of columns read by 2 partitions, median {times[times.Count / 2]:F3} ms, min {times[0]:F3} ms (checksum {total}); load {Load()}"));
    }

    /// <summary>The 64 patients of <see cref="SearchFixture.TenOfTenRequests"/>, read against the release when one is loaded.</summary>
    private static List<SearchRequest> Requests(HlaReference reference, int limit)
    {
        var synthetic = new SyntheticHla(seed: 424_242) { ThreeLocusShare = 0 };
        return Enumerable.Range(0, 64)
            .Select(_ => synthetic.Next(Today).Loci)
            .Select(loci => new SearchRequest(reference.ParseTyping(string.Join('^', loci.Values))) { MaxMismatches = 2, Limit = limit, Threshold = MatchThreshold.PGroup })
            .ToList();
    }

    /// <summary>Listed donors as <see cref="SearchFixture"/> makes them, added as the store's search rows would add them.</summary>
    private static void Fill(SearchIndex index, int donors)
    {
        var synthetic = new SyntheticHla(seed: 2026);
        var random = new Random(2026);
        for (var i = 1; i <= donors; i++)
        {
            var sex = random.Next(2) == 0 ? Sex.Female : Sex.Male;
            var birth = Today.AddDays(-random.Next(18 * 365, 59 * 365));
            var abo = (AboGroup)random.Next(1, 5);
            var cmv = (CmvStatus)random.Next(0, 3);
            index.Add(new SearchRow(i, 4, DonorState.Available, birth, sex, cmv, abo, synthetic.Next(Today).Loci));
        }
    }

    private static long Sum(ReadOnlySpan<int> values)
    {
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<int, System.Numerics.Vector<int>>(values);
        var acc = System.Numerics.Vector<int>.Zero;
        foreach (var v in vectors)
        {
            acc += v;
        }

        long sum = System.Numerics.Vector.Sum(acc);
        for (var i = vectors.Length * System.Numerics.Vector<int>.Count; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>../shared/data/imgt-hla-3.58.0 beside the repository, found from the build output.</summary>
    private static string ReleaseFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "..", "shared", "data", "imgt-hla-3.58.0");
            if (File.Exists(Path.Combine(directory.FullName, "DonorRegistry.sln")) && Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new DirectoryNotFoundException("The IMGT/HLA 3.58.0 files are expected in ../shared/data/imgt-hla-3.58.0 beside the repository; give --hla FOLDER.");
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
