using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DonorRegistry.Donors;
using DonorRegistry.PostgreSql;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// <c>--pg-instances [rounds] [seconds]</c>: issue 13's throughput with 8 writers spread over 3 application instances
/// (3 processes of tests/DonorRegistry.MultiInstance.Worker, 3 + 3 + 2 writers) on one PostgreSQL registry, against 1
/// instance with the 8 writers, interleaved in one run (each round runs every side once, in rotating order; the report
/// gives every round's figure and the median). The server is <c>DONORREGISTRY_PG</c>.
/// <list type="bullet">
/// <item>Transitions: each writer toggles random donors of 200 listed ones (Defer, or EndDeferral, at the version it
/// read; a conflict with another writer is refused and not counted) for SECONDS; the figure is acknowledged transitions
/// per second, all writers together.</item>
/// <item>Enrolment: each writer enrols batches of 100 new volunteers (<c>EnrolMany</c>, resident IDs unique by
/// construction) for SECONDS; the figure is donors enrolled per second. The registry keeps its keys on the server (ADR 20), so that every instance may enrol.</item>
/// </list>
/// Every side starts its own processes (each one first runs its writers for 1 s, unmeasured, to warm up) and stops them
/// after, so no idle instance follows the measured ones' changes. Build the worker first:
/// <c>dotnet build -c Release tests/DonorRegistry.MultiInstance.Worker</c>.
/// </summary>
internal static partial class PgInstances
{
    private const string Schema = "bench_instances";
    private const int Donors = 200;
    private const int EnrolBatch = 100;

    /// <summary>The next free region code for the enrolling threads' resident IDs (see the worker's "enrolers").</summary>
    private static int _region = 200_000;

    public static int Run(int rounds, double seconds)
    {
        var worker = WorkerDll();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pg-instances: {rounds} rounds of {seconds:F0} s, {Environment.ProcessorCount} processors, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load {PgBench.Load()}"));
        PgBench.Sql(PgBench.ConnectionString("public"), $"DROP SCHEMA IF EXISTS {Schema} CASCADE; DROP SCHEMA IF EXISTS {Schema}_keys CASCADE");
        var connection = PgBench.ConnectionString(Schema);
        var key = RegistryKey.Generate();
        using (var registry = Registry.Create(new RegistryOptions { RegistryKey = key }.UsePostgreSql(connection, keys: connection)))
        {
            Workloads.EnrolInBatches(registry, Workloads.Volunteers(Donors), Donors);
            for (var i = 1; i <= Donors; i++)
            {
                Workloads.ListedDonor(registry, new DonorId(i));
            }
        }

        var sides = new (string Name, int[] Writers, string Command)[]
        {
            ("transitions, 3 instances (3 + 3 + 2 writers)", [3, 3, 2], "writers"),
            ("transitions, 1 instance (8 writers)", [8], "writers"),
            ("enrolment, 3 instances (3 + 3 + 2 writers)", [3, 3, 2], "enrolers"),
            ("enrolment, 1 instance (8 writers)", [8], "enrolers"),
        };
        var figures = sides.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < sides.Length; k++)
            {
                var s = (round + k) % sides.Length;
                var (perSecond, stats) = Side(worker, connection, key, sides[s].Writers, sides[s].Command, seconds);
                figures[s].Add(perSecond);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round + 1}, {sides[s].Name}: {perSecond:N0}/s ({string.Join("; ", stats)}); load {PgBench.Load()}"));
            }
        }

        for (var s = 0; s < sides.Length; s++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sides[s].Name}: median {Interleaved.Median(figures[s]):N0}/s (rounds: {string.Join(" ", figures[s].Select(f => f.ToString("N0", CultureInfo.InvariantCulture)))})"));
        }

        for (var s = 0; s < sides.Length; s += 2)
        {
            var ratios = figures[s].Zip(figures[s + 1], (three, one) => three / one).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sides[s].Name[..sides[s].Name.IndexOf(',')]}: 3 instances / 1 instance median {Interleaved.Median(ratios):F2} (rounds: {string.Join(" ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}); load {PgBench.Load()}"));
        }

        return 0;
    }

    /// <summary>Starts one process per entry of <paramref name="writers"/>, runs them together for <paramref name="seconds"/>, stops them; the count per second over all, and each one's stats line.</summary>
    private static (double PerSecond, List<string> Stats) Side(string worker, string connection, RegistryKey key, int[] writers, string command, double seconds)
    {
        var processes = writers.AsParallel().AsOrdered().Select(_ => new WorkerProcess(worker, connection, key)).ToList();
        try
        {
            string Command(int n, double s)
            {
                if (command == "writers")
                {
                    return string.Create(CultureInfo.InvariantCulture, $"writers {n} {s} 1 {Donors}");
                }

                var region = _region;
                _region += n;
                return string.Create(CultureInfo.InvariantCulture, $"enrolers {n} {s} {EnrolBatch} {region}");
            }

            // Warm-up (JIT, pools), unmeasured; then every instance starts its writers at once.
            for (var i = 0; i < processes.Count; i++)
            {
                processes[i].Send(Command(writers[i], 1));
            }

            processes.ForEach(p => p.Expect("stats "));
            for (var i = 0; i < processes.Count; i++)
            {
                processes[i].Send(Command(writers[i], seconds));
            }

            var stats = processes.Select(p => p.Expect("stats ")).ToList();
            var counted = stats.Sum(line => long.Parse(Counted().Match(line).Groups[1].Value, CultureInfo.InvariantCulture));
            var bad = stats.FirstOrDefault(line => !line.EndsWith("unexpected=", StringComparison.Ordinal));
            if (bad is not null)
            {
                throw new InvalidOperationException($"a worker met an unexpected failure: {bad}");
            }

            return (counted / seconds, stats.Select(line => line["stats ".Length..]).ToList());
        }
        finally
        {
            processes.AsParallel().ForAll(p => p.Dispose());
        }
    }

    [GeneratedRegex(@"^stats (?:acked|enrolled)=(\d+)")]
    private static partial Regex Counted();

    /// <summary>The worker's build: Release, else Debug, of tests/DonorRegistry.MultiInstance.Worker.</summary>
    private static string WorkerDll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DonorRegistry.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? throw new InvalidOperationException("the repository root (DonorRegistry.sln) was not found above the bench");
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            var dll = Path.Combine(root, "tests", "DonorRegistry.MultiInstance.Worker", "bin", configuration, "net10.0", "DonorRegistry.MultiInstance.Worker.dll");
            if (File.Exists(dll))
            {
                return dll;
            }
        }

        throw new InvalidOperationException("build the worker first: dotnet build -c Release tests/DonorRegistry.MultiInstance.Worker");
    }

    /// <summary>One application instance in a process of its own: commands on its stdin, answers one line each on its stdout.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<string> _lines = [];
        private readonly ConcurrentQueue<string> _errors = new();

        public WorkerProcess(string dll, string connection, RegistryKey key)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add(connection);
            start.ArgumentList.Add(key.ToBase64());
            start.ArgumentList.Add("server");
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    _lines.Add(line);
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    _errors.Enqueue(line);
                }
            };
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Expect("ready");
        }

        public void Send(string command)
        {
            _process.StandardInput.WriteLine(command);
            _process.StandardInput.Flush();
        }

        public string Expect(string prefix)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                if (_lines.TryTake(out var line, TimeSpan.FromSeconds(1)) && line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }

                if (_process.HasExited && _lines.Count == 0)
                {
                    break;
                }
            }

            throw new InvalidOperationException($"the worker wrote no '{prefix}' line; its errors: {string.Join(Environment.NewLine, _errors)}");
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    Send("quit");
                    if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
                    {
                        _process.Kill();
                        _process.WaitForExit();
                    }
                }
            }
            catch (IOException)
            {
                _process.Kill();
            }
            finally
            {
                _process.Dispose();
                _lines.Dispose();
            }
        }
    }
}
