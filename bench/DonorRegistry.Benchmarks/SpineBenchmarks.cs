using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DonorRegistry.Donors;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// A persisted transition with its audit record, against a bare LiteDB update of the same document writing the
/// same fields (target ratio ≤ 1.5). <see cref="Donors"/> = 1 changes one donor all run long; 1,000 spreads the
/// changes over a registry, as real use does.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 12)]
public class TransitionBenchmarks
{
    private string _folder = null!;
    private Registry _registry = null!;
    private DonorId[] _ids = null!;
    private bool[] _deferred = null!;
    private bool[] _flags = null!;
    private int _next;

    [Params(1, 1_000)]
    public int Donors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Workloads.NewFolder();
        _registry = Registry.Open(Workloads.Options(_folder, RegistryKey.Generate()));
        Workloads.EnrolInBatches(_registry, Workloads.Volunteers(1_000), 1_000);
        _ids = Enumerable.Range(1, Donors).Select(i => Workloads.ListedDonor(_registry, new DonorId(i))).ToArray();
        _deferred = new bool[Donors];
        _flags = new bool[Donors];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _registry.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "bare LiteDB read + update")]
    public void BareLiteDbUpdate()
    {
        var i = _next++ % Donors;
        Workloads.BareUpdate(_registry, _ids[i], ref _flags[i]);
    }

    [Benchmark(Description = "transition + audit, one transaction")]
    public void PersistedTransition()
    {
        var i = _next++ % Donors;
        Workloads.Transition(_registry, _ids[i], ref _deferred[i]);
    }
}

/// <summary>Enrolling 100,000 donors in batches of 1,000 with encryption on (target ≥ 20,000 donors/s).</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class EnrolBenchmarks
{
    public const int Donors = 100_000;
    private List<EnrolmentRequest> _requests = null!;
    private string _folder = null!;
    private Registry _registry = null!;

    [GlobalSetup]
    public void Setup() => _requests = Workloads.Volunteers(Donors);

    [IterationSetup]
    public void OpenEmpty()
    {
        _folder = Workloads.NewFolder();
        _registry = Registry.Open(Workloads.Options(_folder, RegistryKey.Generate()));
    }

    [IterationCleanup]
    public void Close()
    {
        _registry.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Description = "enrol 100,000 in batches of 1,000")]
    public void Enrol100k() => Workloads.EnrolInBatches(_registry, _requests, 1_000);
}

/// <summary>Opening a registry of 100,000 donors and reading one (target ≤ 1 s).</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 10)]
public class OpenBenchmarks
{
    private string _folder = null!;
    private RegistryOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Workloads.NewFolder();
        _options = Workloads.Options(_folder, RegistryKey.Generate());
        using var registry = Registry.Open(_options);
        Workloads.EnrolInBatches(registry, Workloads.Volunteers(100_000), 5_000);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Description = "open 100,000-donor registry, read one")]
    public int OpenAndReadOne()
    {
        using var registry = Registry.Open(_options);
        return registry.Donors.Get(new DonorId(54_321)).Version;
    }
}
