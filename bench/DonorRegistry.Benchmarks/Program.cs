using System.Diagnostics;
using BenchmarkDotNet.Running;
using DonorRegistry;
using DonorRegistry.Benchmarks;
using DonorRegistry.Storage.LiteDb;

// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --filter '*'   (BenchmarkDotNet)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --quick        (each workload once, small sizes; CI smoke)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --durable-commits 10   (Durable vs OsBuffered, interleaved rounds)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --search-speed 1000000 [--rounds 20] [--hla FOLDER|none] [--limit K]   (the search index alone, median and p95)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --pg-fixture 1000000 bench_1m   (a registry on PostgreSQL, DONORREGISTRY_PG; issue 13)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --pg-search bench_1m [--rounds R] [--peer P]   (index build, memory, searches, the SQL peer)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --pg-ratios 5 20000   (transitions and enrolment on PostgreSQL against bare Npgsql, interleaved)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --pg-instances 3 5     (8 writers over 3 instances against 1 instance, interleaved; build tests/DonorRegistry.MultiInstance.Worker first)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --import-50mb 2 [wide|long]   (streaming import: time and memory of a 50 MB file against an empty import)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --pg-migrate 100000 | --pg-migrate FILE KEYFILE   (a branch into PostgreSQL: donors/s; DONORREGISTRY_PG)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --litedb-race 30 4   (LiteDB's page-cache race: bare LiteDB against the gated engine, alternating rounds; ADR 27)
// dotnet run -c Release --project bench/DonorRegistry.Benchmarks -- --pg-migrate-workflows 5000   (a branch's workflows into PostgreSQL: workflows/s; DONORREGISTRY_PG)
if (args.Contains("--litedb-race"))
{
    var at = Array.IndexOf(args, "--litedb-race");
    var seconds = at + 1 < args.Length && int.TryParse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 30;
    var rounds = at + 2 < args.Length && int.TryParse(args[at + 2], System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : 4;
    var readers = at + 3 < args.Length && int.TryParse(args[at + 3], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 2;
    return LiteDbRace.Run(seconds, rounds, readers);
}

if (args.Contains("--pg-migrate-workflows"))
{
    return PgMigrateWorkflows.Run(args, Array.IndexOf(args, "--pg-migrate-workflows"));
}

if (args.Contains("--pg-migrate"))
{
    return PgMigrate.Run(args, Array.IndexOf(args, "--pg-migrate"));
}

if (args.Contains("--quick"))
{
    return Quick.Run();
}

if (args.Contains("--spine-ratios"))
{
    var at = Array.IndexOf(args, "--spine-ratios");
    return SpineRatios.Run(at + 1 < args.Length && int.TryParse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture, out var rounds) ? rounds : 7, enrolment: !args.Contains("transitions"), transitions: !args.Contains("enrolment"));
}

if (args.Contains("--spine-profile"))
{
    var at = Array.IndexOf(args, "--spine-profile");
    var bare = at + 1 < args.Length && args[at + 1] == "bare";
    var count = at + 2 < args.Length ? int.Parse(args[at + 2], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
    return SpineRatios.Profile(bare, count);
}

if (args.Contains("--enrol-profile"))
{
    var at = Array.IndexOf(args, "--enrol-profile");
    return SpineRatios.EnrolProfile(at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
}

if (args.Contains("--pg-fixture"))
{
    var at = Array.IndexOf(args, "--pg-fixture");
    return PgFixture.Run(int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture), args[at + 2]);
}

if (args.Contains("--pg-enrol-profile"))
{
    var at = Array.IndexOf(args, "--pg-enrol-profile");
    int Arg(int k, int fallback) => at + k < args.Length && int.TryParse(args[at + k], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : fallback;
    return PgRatios.EnrolProfile(Arg(1, 5), Arg(2, 20_000));
}

if (args.Contains("--pg-ratios"))
{
    var at = Array.IndexOf(args, "--pg-ratios");
    int Arg(int k, int fallback) => at + k < args.Length && int.TryParse(args[at + k], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : fallback;
    return PgRatios.Run(Arg(1, 5), Arg(2, 20_000));
}

if (args.Contains("--pg-instances"))
{
    var at = Array.IndexOf(args, "--pg-instances");
    int Arg(int k, int fallback) => at + k < args.Length && int.TryParse(args[at + k], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : fallback;
    return PgInstances.Run(Arg(1, 3), Arg(2, 5));
}

if (args.Contains("--pg-search"))
{
    return PgSearch.Run(args);
}

if (args.Contains("--search-speed"))
{
    return SearchSpeed.Run(args);
}

if (args.Contains("--drive-direct"))
{
    // One drive of N volunteers through direct core calls, R times on new registries, for a profiler
    // (DONORREGISTRY_BENCH_DURABILITY=OsBuffered to leave out the flushes).
    var at = Array.IndexOf(args, "--drive-direct");
    var volunteers = at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 1_000;
    var rounds = at + 2 < args.Length && !args[at + 2].StartsWith("--", StringComparison.Ordinal) ? int.Parse(args[at + 2], System.Globalization.CultureInfo.InvariantCulture) : 5;
    using var ticks = args.Contains("--alloc") ? new AllocationTicks() : null;
    for (var round = 0; round < rounds; round++)
    {
        var folder = Workloads.NewFolder();
        try
        {
            using var registry = Registry.Open(Workloads.Options(folder, RegistryKey.Generate()));
            var watch = Stopwatch.StartNew();
            new DriveWorkloads(volunteers).Direct(registry, (phase, took, bytes) => Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {phase,-22} {took.TotalMilliseconds,8:F0} ms {bytes / 1_048_576.0,8:F1} MiB")));
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"drive of {volunteers:N0}, direct core calls: {watch.Elapsed.TotalMilliseconds:F0} ms"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    foreach (var (type, bytes) in ticks?.Top(40) ?? [])
    {
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {bytes / 1_048_576.0,8:F1} MiB  {type}"));
    }

    return 0;
}

if (args.Contains("--portal-fixture"))
{
    var at = Array.IndexOf(args, "--portal-fixture");
    return PortalFixture.Run(int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture), args[at + 2]);
}

if (args.Contains("--index-memory"))
{
    return IndexMemory.Run(int.Parse(args[Array.IndexOf(args, "--index-memory") + 1], System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Contains("--import-50mb"))
{
    var at = Array.IndexOf(args, "--import-50mb");
    var rounds = at + 1 < args.Length && int.TryParse(args[at + 1], out var r) ? r : 2;
    return Import50Mb.Run(rounds, args.FirstOrDefault(a => a is "wide" or "long"));
}

if (args.Contains("--durable-commits"))
{
    return DurableCommits.Run(int.Parse(args[Array.IndexOf(args, "--durable-commits") + 1], System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Contains("--grader-pairs"))
{
    return GraderPairs.Run(currentOnly: args.Contains("current"), uniformOnly: args.Contains("uniform"));
}

if (args.Contains("--year-sample"))
{
    return YearSample.Run(int.Parse(args[Array.IndexOf(args, "--year-sample") + 1], System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Contains("--report-once"))
{
    // Builds (or reuses) the report fixture and times one registry-wide report per period, outside BenchmarkDotNet.
    var size = int.Parse(args[Array.IndexOf(args, "--report-once") + 1], System.Globalization.CultureInfo.InvariantCulture);
    var watch = Stopwatch.StartNew();
    var options = ReportFixture.Options(size);
    Console.WriteLine($"fixture of {size:N0} donors ready in {watch.Elapsed.TotalSeconds:F1} s");
    using var registry = Registry.Open(options);
    foreach (var period in new[] { DonorRegistry.Reporting.ReportPeriod.Year(2026), new DonorRegistry.Reporting.ReportPeriod(new DateOnly(2022, 1, 1), new DateOnly(2026, 12, 31)) })
    {
        watch.Restart();
        var report = registry.Reports.Build(period);
        Console.WriteLine($"report {period}: {watch.Elapsed.TotalSeconds:F2} s (enrolled {report.Enrolled:N0}, samples entered {report.SamplesEntered:N0}, donations {report.Donations})");
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(TransitionBenchmarks).Assembly).Run(args);
return 0;

/// <summary>Managed memory the index keeps per donor, measured around BuildIndex with full collections.</summary>
internal static class IndexMemory
{
    public static int Run(int donors)
    {
        using var registry = Registry.Open(SearchFixture.Options(donors));

        // Read the same search rows once first: LiteDB keeps the pages it reads in its own cache, which is not the index.
        var warm = registry.Store.Collection(DonorSearchRows.Collection).FindAll().Count();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var indexed = registry.Search.BuildIndex();
        var built = watch.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"(warmed LiteDB's cache with {warm:N0} search rows)");
        Console.WriteLine($"index of {indexed:N0} donors: built in {built.TotalSeconds:F2} s, retains {(after - before) / (double)indexed:F1} bytes per donor ({(after - before) / 1048576.0:F1} MiB), rows+map estimate {registry.Search.IndexBytesPerDonor} bytes");
        GC.KeepAlive(registry);
        return 0;
    }
}

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

                var id = Workloads.ListedDonor(registry, new DonorRegistry.Donors.DonorId(1));
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

            DurableCommits.Run(rounds: 1, commits: 64);

            var searchOptions = SearchFixture.Options(5_000);
            using (var registry = Registry.Open(searchOptions))
            {
                var searches = SearchFixture.TenOfTenRequests(20);
                watch.Restart();
                registry.Search.BuildIndex();
                Report("build index of 5,000 donors", watch, 1, "builds");
                watch.Restart();
                foreach (var request in searches)
                {
                    registry.Search.Find(request);
                }

                Report("10/10 search on the index, 5,000 donors", watch, searches.Count, "searches");
                watch.Restart();
                registry.Search.FindByLinearScan(searches[0]);
                Report("10/10 search by linear scan, 5,000 donors", watch, 1, "searches");
            }

            var drive = new DriveWorkloads(200);
            using (var registry = Registry.Open(Workloads.Options(Path.Combine(folder, "direct"), RegistryKey.Generate())))
            {
                watch.Restart();
                drive.Direct(registry);
                Report("200-volunteer drive, direct core calls", watch, 200, "volunteers");
            }

            using (var registry = Registry.Open(Workloads.Options(Path.Combine(folder, "workflow"), RegistryKey.Generate())))
            using (var host = DonorRegistry.Workflows.RegistryWorkflowHost.Start(registry))
            {
                watch.Restart();
                drive.ThroughWorkflow(host).GetAwaiter().GetResult();
                Report("200-volunteer drive through the workflow", watch, 200, "volunteers");
            }

            var rows = new DriveWorkloads(2_000);
            using (var registry = Registry.Open(Workloads.Options(Path.Combine(folder, "import"), RegistryKey.Generate())))
            {
                ImportBenchmarks.ShippedDrive(registry, rows);
                watch.Restart();
                var imported = registry.Samples.ImportTypingResults(new MemoryStream(rows.Csv), DriveWorkloads.Lab, Workloads.Today(), Workloads.By);
                Report($"import 2,000 typing rows ({imported.Imported} imported, {imported.Listed} listed)", watch, 2_000, "rows");
            }

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
