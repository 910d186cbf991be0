using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Search;
using DonorRegistry.Testing;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>
/// The crash harness: a child process (tests/DonorRegistry.CrashWorkload) runs a mixed workload on one registry and
/// prints each acknowledged operation; it is SIGKILLed at a random point, the registry is opened again here and
/// checked: every acknowledged operation is in its record's audit trail, every state has its audit record and the
/// files are sound (<see cref="Registry.Verify"/> clean), and the search index gives what the linear scan gives.
/// The rounds run on the same registry, one after another, up to <see cref="RoundsPerRegistry"/>; a longer run goes on
/// with a new registry for each further block of rounds, because every round ends with a full Verify of the registry
/// and a single registry's checks would grow with the square of the rounds. DONORREGISTRY_CRASH_ROUNDS sets how many
/// (CI: 10; the long mode: 500, five registries of 100 rounds).
/// </summary>
[NonParallelizable]
public sealed class CrashHarnessTests
{
    /// <summary>The rounds run on one registry before the next block starts on a new one.</summary>
    private const int RoundsPerRegistry = 100;

    [Test]
    public void KilledAtRandomPoints_TheRegistryKeepsEveryAcknowledgedOperation_AndVerifiesClean()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("DONORREGISTRY_CRASH_ROUNDS"), CultureInfo.InvariantCulture, out var n) ? n : 10;
        var total = 0;
        var kills = 0;
        var records = 0;
        for (var block = 0; block * RoundsPerRegistry < rounds; block++)
        {
            var (acknowledged, killed, checkedRecords) = RunOnOneRegistry(block, Math.Min(RoundsPerRegistry, rounds - (block * RoundsPerRegistry)));
            total += acknowledged;
            kills += killed;
            records += checkedRecords;
        }

        var registries = (rounds + RoundsPerRegistry - 1) / RoundsPerRegistry;
        var onRegistries = registries == 1 ? "one registry" : $"{registries} registries";
        TestContext.Out.WriteLine($"Crash rounds: {rounds} on {onRegistries}, killed mid-workload {kills}, operations acknowledged {total}, lost 0 (records checked: {records})");
        kills.Should().BeGreaterThan(rounds / 2, "the kills land while the workload runs");
        ReliabilityTable.Add(
            "crash (kill -9), core workload",
            $"{ReliabilityTable.N(rounds)} rounds on {onRegistries}, {ReliabilityTable.N(kills)} killed mid-workload, {ReliabilityTable.N(total)} operations acknowledged",
            $"every acknowledged operation in its trail, Verify clean, index = scan after every round ({ReliabilityTable.N(records)} records)",
            "0 lost",
            "0");
    }

    private static (int Acknowledged, int Kills, int Records) RunOnOneRegistry(int block, int rounds)
    {
        var folder = Directory.CreateTempSubdirectory("donor-registry-crash-").FullName;
        try
        {
            var path = Path.Combine(folder, "registry.db");
            var key = RegistryKey.Generate();
            using (Registry.Create(new RegistryOptions { DatabasePath = path, RegistryKey = key }))
            {
                // Created here; the child opens it.
            }

            var random = new Random(20261202 + block);
            var acknowledged = new Dictionary<(string Kind, string Id), (int Version, string State)>();
            var total = 0;
            var kills = 0;
            for (var round = 0; round < rounds; round++)
            {
                var (lines, killed) = RunAndKill(path, key, (block * RoundsPerRegistry) + round, TimeSpan.FromMilliseconds(random.Next(100, 1500)));
                kills += killed ? 1 : 0;
                foreach (var line in lines)
                {
                    var parts = line.Split(' ');
                    acknowledged[(parts[1], parts[2])] = (int.Parse(parts[3], CultureInfo.InvariantCulture), parts[4]);
                    total++;
                }

                Check(path, key, acknowledged, (block * RoundsPerRegistry) + round);
            }

            TestContext.Out.WriteLine($"Registry {block + 1}: {rounds} rounds, killed mid-workload {kills}, operations acknowledged {total}, records checked {acknowledged.Count}");
            return (total, kills, acknowledged.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (List<string> Acknowledged, bool Killed) RunAndKill(string path, RegistryKey key, int seed, TimeSpan after)
    {
        var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        var dll = Path.Combine(Approvals.RepositoryRoot(), "tests", "DonorRegistry.CrashWorkload", "bin", testDirectory.Parent!.Name, testDirectory.Name, "DonorRegistry.CrashWorkload.dll");
        File.Exists(dll).Should().BeTrue($"the workload is built with the tests (a project reference of DonorRegistry.Tests), so {dll} exists");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(key.ToBase64());
        start.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));

        var lines = new ConcurrentQueue<string>();
        using var ready = new ManualResetEventSlim();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is "READY")
            {
                ready.Set();
            }
            else if (e.Data is { } line && line.StartsWith("ACK ", StringComparison.Ordinal) && line.Split(' ').Length == 5)
            {
                lines.Enqueue(line); // a line cut by the kill has fewer parts and was not acknowledged
            }
        };
        var error = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                error.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!ready.Wait(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            Assert.Fail($"the workload did not open the registry: {string.Join(Environment.NewLine, error)}");
        }

        Thread.Sleep(after);
        var killed = !process.HasExited;
        if (killed)
        {
            process.Kill(); // SIGKILL on Unix
        }

        process.WaitForExit();
        if (!killed)
        {
            Assert.Fail($"the workload stopped by itself (exit {process.ExitCode}): {string.Join(Environment.NewLine, error)}");
        }

        return (lines.ToList(), killed);
    }

    private static void Check(string path, RegistryKey key, Dictionary<(string Kind, string Id), (int Version, string State)> acknowledged, int round)
    {
        using var registry = Registry.Open(new RegistryOptions { DatabasePath = path, RegistryKey = key });
        foreach (var ((kind, id), (version, state)) in acknowledged)
        {
            var history = registry.GetHistory(kind switch { "donor" => AggregateKind.Donor, "sample" => AggregateKind.Sample, _ => AggregateKind.Case }, id);
            history.Should().Contain(r => r.Version == version && r.To == state, $"round {round}: {kind} {id} was acknowledged at version {version} ({state})");
        }

        var report = registry.Verify();
        report.IsClean.Should().BeTrue($"round {round}: {report}");

        var patient = registry.Donors.FindByState(DonorState.Available, limit: 1).FirstOrDefault()?.Typing;
        if (patient is not null)
        {
            var request = new SearchRequest(HlaTyping.FromLoci(patient.Loci)) { MaxMismatches = 4, Limit = 10_000 };
            registry.Search.Find(request).Matches.Select(m => (m.DonorId, m.Mismatches))
                .Should().Equal(registry.Search.FindByLinearScan(request).Matches.Select(m => (m.DonorId, m.Mismatches)), $"round {round}: the index gives what the scan gives");
        }
    }
}
