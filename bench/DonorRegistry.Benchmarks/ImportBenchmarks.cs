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

/// <summary>
/// The streaming import against a 50 MB file, outside BenchmarkDotNet: time and memory growth of importing a
/// generated 50 MB typing-results file, against an "empty" import (the same registry, a file of only the real rows)
/// in the same run, interleaved, each on a fresh copy of one prepared registry of shipped samples. Memory is sampled
/// every 5 ms during the import (managed heap and working set); growth is the peak minus the value just before.
/// Two shapes of 50 MB: <c>wide</c> (every real row carries a long ignored Remarks column) and <c>long</c> (the real
/// rows, then well-formed rows for barcodes the registry does not hold, each a per-row error).
/// </summary>
/// <remarks><c>dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --import-50mb [rounds] [wide|long]</c></remarks>
internal static class Import50Mb
{
    private const int Rows = 2_000;
    private const long Target = 50L * 1024 * 1024;

    public static int Run(int rounds, string? shape)
    {
        var work = new DriveWorkloads(Rows);
        var key = RegistryKey.Generate();
        var template = Workloads.NewFolder();
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using (var registry = Registry.Open(Workloads.Options(template, key)))
            {
                ImportBenchmarks.ShippedDrive(registry, work);
            }

            Console.WriteLine($"fixture: {Rows:N0} shipped samples in {watch.Elapsed.TotalSeconds:F1} s");
            var files = new List<(string Name, string Path)> { ("empty (real rows only)", Write(template, "small.csv", work.Csv, null)) };
            if (shape is null or "wide")
            {
                files.Add(("50 MB wide", Write(template, "wide.csv", work.Csv, "wide")));
            }

            if (shape is null or "long")
            {
                files.Add(("50 MB long", Write(template, "long.csv", work.Csv, "long")));
            }

            foreach (var (name, path) in files)
            {
                Console.WriteLine($"file {name}: {new FileInfo(path).Length / 1048576.0:F1} MiB");
            }

            if (Environment.GetEnvironmentVariable("IMPORT_PHASES") is "1")
            {
                Phases(template, key, files[^1].Path);
            }

            for (var round = 1; round <= rounds; round++)
            {
                foreach (var (name, path) in files)
                {
                    Once(template, key, name, path, round);
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(template, recursive: true);
        }
    }

    /// <summary>Where the time of the last file goes: reading the rows, checking their typings (each row on its own, then as the import does, remembering genotypes), looking barcodes up one by one.</summary>
    private static void Phases(string template, RegistryKey key, string path)
    {
        using var registry = Registry.Open(Workloads.Options(template, key));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using (var stream = File.OpenRead(path))
        using (var file = DonorRegistry.Samples.TypingResultsFile.Open(stream, "f", 1L << 30))
        {
            Console.WriteLine($"phases: first pass {watch.Elapsed.TotalSeconds:F2} s");
            watch.Restart();
            var rows = file.Read().ToList();
            Console.WriteLine($"phases: second pass, {rows.Count:N0} rows kept {watch.Elapsed.TotalSeconds:F2} s");
            watch.Restart();
            foreach (var row in rows)
            {
                registry.Donors.ValidateTyping(new DonorRegistry.Donors.TypingResult(DriveWorkloads.Lab, Workloads.Today(), row.Genotypes));
            }

            Console.WriteLine($"phases: typings checked {watch.Elapsed.TotalSeconds:F2} s");
            watch.Restart();
            var genotypes = new GenotypeChecks(DonorRegistry.Hla.HlaReference.None);
            foreach (var row in rows)
            {
                registry.Donors.ValidateTyping(new DonorRegistry.Donors.TypingResult(DriveWorkloads.Lab, Workloads.Today(), row.Genotypes), genotypes.Check);
            }

            Console.WriteLine($"phases: typings checked with the import's genotype memory {watch.Elapsed.TotalSeconds:F2} s ({genotypes.Remembered:N0} of the checks remembered)");
            watch.Restart();
            foreach (var row in rows)
            {
                registry.Samples.TryGet(row.Barcode, out _);
            }

            Console.WriteLine($"phases: barcodes looked up {watch.Elapsed.TotalSeconds:F2} s");
            watch.Restart();
            var found = 0;
            foreach (var batch in rows.Chunk(500))
            {
                found += registry.Store.Samples.FindMany(batch.Select(r => r.Barcode).ToList()).Count;
            }

            Console.WriteLine($"phases: barcodes looked up 500 at a time {watch.Elapsed.TotalSeconds:F2} s ({found:N0} found)");
        }
    }

    private static void Once(string template, RegistryKey key, string name, string path, int round)
    {
        var folder = Workloads.NewFolder();
        try
        {
            foreach (var file in Directory.GetFiles(template, "registry.db*").Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }

            using var registry = Registry.Open(Workloads.Options(folder, key));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            process.Refresh();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var setBefore = process.WorkingSet64;
            long heapPeak = heapBefore, setPeak = setBefore;
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(() =>
            {
                using var self = System.Diagnostics.Process.GetCurrentProcess();
                while (!stop.IsCancellationRequested)
                {
                    self.Refresh();
                    heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
                    setPeak = Math.Max(setPeak, self.WorkingSet64);
                    Thread.Sleep(5);
                }
            });
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var result = registry.Samples.ImportTypingResults(path, DriveWorkloads.Lab, Workloads.Today(), Workloads.By);
            var elapsed = watch.Elapsed;
            stop.Cancel();
            sampler.Wait();
            if (result.Imported != Rows)
            {
                throw new InvalidOperationException($"imported {result.Imported} of {Rows}: {string.Join("; ", result.Errors.Take(3))}");
            }

            Console.WriteLine(
                $"round {round} {name}: {elapsed.TotalSeconds:F2} s, {result.Rows:N0} rows ({result.Imported:N0} imported, {result.Errors.Count:N0} bad), "
                + $"managed heap +{(heapPeak - heapBefore) / 1048576.0:F0} MiB at peak, working set +{(setPeak - setBefore) / 1048576.0:F0} MiB at peak");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The real rows as they are, or grown to 50 MB: a Remarks column on each (wide), or rows for unknown barcodes after them (long).</summary>
    private static string Write(string folder, string name, byte[] csv, string? shape)
    {
        var path = Path.Combine(folder, name);
        var lines = System.Text.Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        switch (shape)
        {
            case null:
                writer.Write(string.Join('\n', lines) + "\n");
                break;
            case "wide":
            {
                var remark = new string('x', (int)(Target / lines.Length) - lines[1].Length - 3);
                writer.Write(lines[0] + ",Remarks\n");
                foreach (var line in lines.Skip(1))
                {
                    writer.Write(line + ",\"" + remark + "\"\n");
                }

                break;
            }

            default:
            {
                writer.Write(string.Join('\n', lines) + "\n");
                writer.Flush();
                var body = lines.Skip(1).Select(l => l[l.IndexOf(',', StringComparison.Ordinal)..]).ToArray();
                for (var i = 0; writer.BaseStream.Length < Target; i++)
                {
                    writer.Write($"U-{i:D7}{body[i % body.Length]}\n");
                    if (i % 10_000 == 0)
                    {
                        writer.Flush();
                    }
                }

                break;
            }
        }

        return path;
    }
}
