using System.Diagnostics;
using BenchmarkDotNet.Running;
using DonorRegistry;
using DonorRegistry.Benchmarks;

// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --filter '*'   (BenchmarkDotNet)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --quick        (each workload once, small sizes; CI smoke)
if (args.Contains("--quick"))
{
    return Quick.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(TransitionBenchmarks).Assembly).Run(args);
return 0;

internal static class Quick
{
    public static int Run()
    {
        var folder = Workloads.NewFolder();
        try
        {
            var options = Workloads.Options(folder, RegistryKey.Generate());
            var requests = Workloads.Volunteers(10_000);
            var watch = Stopwatch.StartNew();
            using (var registry = Registry.Open(options))
            {
                Workloads.EnrolInBatches(registry, requests, 1_000);
                Report("enrol 10,000 in batches of 1,000", watch, requests.Count, "donors");

                var id = Workloads.ListedDonor(registry);
                bool deferred = false, flag = false;
                const int Ops = 2_000;
                watch.Restart();
                for (var i = 0; i < Ops; i++)
                {
                    Workloads.BareUpdate(registry, id, ref flag);
                }

                var bare = watch.Elapsed;
                Report("bare LiteDB read + update", watch, Ops, "updates");
                watch.Restart();
                for (var i = 0; i < Ops; i++)
                {
                    Workloads.Transition(registry, id, ref deferred);
                }

                Report("transition + audit", watch, Ops, "transitions");
                Console.WriteLine($"  ratio transition / bare update: {watch.Elapsed / bare:F2}");
            }

            watch.Restart();
            using (var registry = Registry.Open(options))
            {
                _ = registry.Donors.Get(new DonorRegistry.Donors.DonorId(5_432));
            }

            Report("open 10,000-donor registry, read one", watch, 1, "opens");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Report(string what, Stopwatch watch, int count, string unit) =>
        Console.WriteLine($"quick: {what}: {watch.Elapsed.TotalMilliseconds:F0} ms ({count / watch.Elapsed.TotalSeconds:F0} {unit}/s)");
}
