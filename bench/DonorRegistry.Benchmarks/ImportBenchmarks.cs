using BenchmarkDotNet.Attributes;
using DonorRegistry.Samples;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// Importing a lab's typing-results file of 10,000 rows into a registry whose 10,000 samples are shipped: each row
/// types the sample and the donor and lists the donor. Each iteration starts from a copy of the prepared file.
/// Target ≤ 2 s.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
[MemoryDiagnoser]
public class ImportBenchmarks
{
    private DriveWorkloads _work = null!;
    private string _template = null!;
    private string _folder = null!;
    private RegistryKey _key = null!;
    private Registry _registry = null!;

    [Params(10_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Prepare()
    {
        _work = new DriveWorkloads(Rows);
        _key = RegistryKey.Generate();
        _template = Workloads.NewFolder();
        using var registry = Registry.Open(Workloads.Options(_template, _key));
        ShippedDrive(registry, _work);
    }

    /// <summary>A drive whose every volunteer gave a sample that is now with the lab.</summary>
    internal static void ShippedDrive(Registry registry, DriveWorkloads work)
    {
        registry.Drives.Plan(DriveWorkloads.Plan(), Workloads.By);
        registry.Drives.OpenEnrolment(DriveWorkloads.Drive, Workloads.By);
        var donors = registry.Drives.EnrolMany(DriveWorkloads.Drive, work.Requests, Workloads.By);
        for (var i = 0; i < donors.Count; i++)
        {
            registry.Samples.Collect(donors[i].Id, work.Barcodes[i], SampleKind.BloodEdta, Workloads.By);
        }

        registry.Samples.Ship(DriveWorkloads.Lab, work.Barcodes, Workloads.By);
    }

    [IterationSetup]
    public void CopyPreparedRegistry()
    {
        _folder = Workloads.NewFolder();
        foreach (var file in Directory.GetFiles(_template).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }

        _registry = Registry.Open(Workloads.Options(_folder, _key));
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _registry.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [GlobalCleanup]
    public void RemoveTemplate() => Directory.Delete(_template, recursive: true);

    [Benchmark]
    public int Import()
    {
        var result = _registry.Samples.ImportTypingResults(new MemoryStream(_work.Csv), DriveWorkloads.Lab, Workloads.Today(), Workloads.By);
        return result.Imported == Rows && result.Errors.Count == 0 ? result.Listed : throw new InvalidOperationException($"Imported {result.Imported} of {Rows}: {string.Join("; ", result.Errors.Take(3))}");
    }
}
