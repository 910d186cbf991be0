using BenchmarkDotNet.Attributes;
using DonorRegistry.Workflows;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// A 1,000-volunteer campus drive end to end (enrol, sample, ship, receive, import results, list, close), through
/// the workflow against the same work through direct core calls, each on a fresh registry file.
/// Targets: workflow / direct ≤ 3×, and the workflow drive ≤ 10 s.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
[MemoryDiagnoser]
public class DriveBenchmarks
{
    private DriveWorkloads _work = null!;
    private string _folder = null!;
    private Registry _registry = null!;
    private RegistryWorkflowHost? _host;

    [Params(1_000)]
    public int Volunteers { get; set; }

    [GlobalSetup]
    public void Prepare() => _work = new DriveWorkloads(Volunteers);

    [IterationSetup(Target = nameof(DirectCoreCalls))]
    public void FreshRegistry()
    {
        _folder = Workloads.NewFolder();
        _registry = Registry.Open(Workloads.Options(_folder, RegistryKey.Generate()));
    }

    [IterationSetup(Target = nameof(ThroughWorkflow))]
    public void FreshRegistryAndHost()
    {
        FreshRegistry();
        _host = RegistryWorkflowHost.Start(_registry);
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _host?.Dispose();
        _host = null;
        _registry.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int DirectCoreCalls() => _work.Direct(_registry).DonorsListed;

    [Benchmark]
    public async Task<int> ThroughWorkflow() => (await _work.ThroughWorkflow(_host!)).DonorsListed;
}
