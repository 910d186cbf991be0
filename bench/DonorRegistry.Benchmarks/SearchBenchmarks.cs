using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DonorRegistry.Search;

namespace DonorRegistry.Benchmarks;

/// <summary>A registry fixture of <see cref="Donors"/> listed donors and 64 patients' 10/10 requests, taken in turn.</summary>
public abstract class SearchFixtureBenchmarks
{
    private int _next;

    [Params(100_000, 1_000_000)]
    public int Donors { get; set; }

    protected Registry Registry { get; private set; } = null!;

    protected IReadOnlyList<SearchRequest> Requests { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Registry = Registry.Open(SearchFixture.Options(Donors));
        Requests = SearchFixture.TenOfTenRequests(64);
        Prepare();
    }

    [GlobalCleanup]
    public void Cleanup() => Registry.Dispose();

    protected virtual void Prepare()
    {
    }

    protected SearchRequest NextRequest() => Requests[_next++ % Requests.Count];
}

/// <summary>A 10/10 search allowing 2 mismatches, top 100, on the index (target median ≤ 20 ms at 1,000,000 donors).</summary>
[MemoryDiagnoser]
[MedianColumn]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class SearchBenchmarks : SearchFixtureBenchmarks
{
    [Benchmark(Description = "10/10, <= 2 mismatches, top 100, index")]
    public int Indexed() => Registry.Search.Find(NextRequest()).Matches.Count;

    protected override void Prepare() => Registry.Search.BuildIndex();
}

/// <summary>The same searches by the plain linear scan over the store (the ratio to the index: target ≥ 20×).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 3)]
public class LinearScanBenchmarks : SearchFixtureBenchmarks
{
    [Benchmark(Description = "10/10, <= 2 mismatches, top 100, linear scan")]
    public int LinearScan() => Registry.Search.FindByLinearScan(NextRequest()).Matches.Count;
}

/// <summary>Building the index from the LiteDB store (target ≤ 15 s at 1,000,000 donors).</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class IndexBuildBenchmarks
{
    private RegistryOptions _options = null!;
    private Registry _registry = null!;

    [Params(100_000, 1_000_000)]
    public int Donors { get; set; }

    [GlobalSetup]
    public void Setup() => _options = SearchFixture.Options(Donors);

    [IterationSetup]
    public void Open() => _registry = Registry.Open(_options);

    [IterationCleanup]
    public void Close() => _registry.Dispose();

    [Benchmark(Description = "build index from the store")]
    public int Build() => _registry.Search.BuildIndex();
}
