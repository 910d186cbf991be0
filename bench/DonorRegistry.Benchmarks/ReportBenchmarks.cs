using BenchmarkDotNet.Attributes;
using DonorRegistry.Reporting;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// The registry-wide report over a registry of a million donors with five years of history: for one year and
/// for all five. Target ≤ 5 s.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class ReportBenchmarks
{
    private Registry _registry = null!;

    [Params(1_000_000)]
    public int Donors { get; set; }

    [Params("2026", "2022-2026")]
    public string Period { get; set; } = "2026";

    [GlobalSetup]
    public void Open() => _registry = Registry.Open(ReportFixture.Options(Donors));

    [GlobalCleanup]
    public void Close() => _registry.Dispose();

    [Benchmark]
    public int RegistryWideReport()
    {
        var period = Period == "2026" ? ReportPeriod.Year(2026) : new ReportPeriod(new DateOnly(2022, 1, 1), new DateOnly(2026, 12, 31));
        return _registry.Reports.Build(period).SamplesEntered;
    }
}
