using System.Diagnostics;
using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.MultiInstance.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.MultiInstance.Tests.PostgreSql;

/// <summary>
/// Issue 13, "several app instances on one database" (ADR 21): three application instances in three processes
/// (tests/DonorRegistry.MultiInstance.Worker) on one registry of 200 listed donors. Writers spread over them lose no
/// update; a change made through one instance reaches another's search within a second (measured); an instance killed
/// with SIGKILL and started again finds what the others committed meanwhile and follows them again.
/// </summary>
[NonParallelizable]
public sealed class MultiInstanceTests
{
    private const int Donors = 200;
    private SharedRegistry? _registry;
    private WorkerProcess[] _workers = [];

    [OneTimeSetUp]
    public void StartThreeInstances()
    {
        _registry = new SharedRegistry(Donors);
        var keys = new[] { "a", "b", "c" }.Select(_registry.KeyStoreCopy).ToArray();
        _workers = keys.AsParallel().AsOrdered().Select(k => new WorkerProcess(_registry.Schema.ConnectionString, _registry.Key, k)).ToArray();
    }

    [OneTimeTearDown]
    public void StopThem()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        _registry?.Dispose();
    }

    [Test]
    public void EightWritersOverThreeInstances_OnTheSame200Donors_LoseNoUpdate_AndEverySearchEndsAsTheStore()
    {
        using var check = _registry!.Open("check-writers");
        var before = Enumerable.Range(1, Donors).ToDictionary(i => (long)i, i => check.Donors.Get(new DonorId(i)).Version);

        // 3 + 3 + 2 writers, each toggling random donors of the 200 at the version it read, for 6 seconds.
        var writers = new[] { 3, 3, 2 };
        for (var i = 0; i < 3; i++)
        {
            _workers[i].Send($"writers {writers[i]} 6 1 {Donors}");
        }

        var acked = new List<(long Id, int Version)>();
        var stats = new List<string>();
        foreach (var worker in _workers)
        {
            acked.AddRange(worker.Expect("acked ", TimeSpan.FromSeconds(60)).Split(' ').Skip(1)
                .Select(p => p.Split(':')).Select(p => (long.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture))));
            stats.Add(worker.Expect("stats "));
        }

        TestContext.Out.WriteLine(string.Join(Environment.NewLine, stats));
        stats.Should().AllSatisfy(s => s.Should().EndWith("unexpected="), "a conflict is the only refusal writers meet");
        acked.Should().HaveCountGreaterThan(100);
        acked.Should().OnlyHaveUniqueItems("two acknowledged changes never made the same version of a donor");
        foreach (var (id, versions) in acked.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.Count()))
        {
            var donor = check.Donors.Get(new DonorId(id));
            donor.Version.Should().Be(before[id] + versions, $"every acknowledged change of donor {id} is stored, once");
            check.Donors.GetHistory(donor.Id).Select(r => r.Version).Should().Equal(Enumerable.Range(1, donor.Version));
        }

        var store = SharedRegistry.AvailableInStore(check);
        foreach (var worker in _workers)
        {
            Eventually(() => Listed(worker).SetEquals(store), TimeSpan.FromSeconds(2)).Should().BeTrue("each instance's search follows every instance's commits");
        }
    }

    [Test]
    public void AChangeThroughInstanceA_ReachesInstanceBsSearch_WithinOneSecond_Measured()
    {
        var (a, b) = (_workers[0], _workers[1]);

        // The first change an instance applies from another compiles the feed's path (JIT): about 1 s on this loaded
        // 2-core machine. It is measured and printed, not counted with the 50.
        var first = Propagate(a, b, Donors);
        TestContext.Out.WriteLine(FormattableString.Invariant($"first change (warm-up): {first:F0} ms"));
        first.Should().BeLessThan(5000);
        var latencies = Enumerable.Range(1, 50).Select(id => Propagate(a, b, id)).ToList();

        TestContext.Out.WriteLine("in order (ms): " + string.Join(' ', latencies.Select(l => l.ToString("F0", CultureInfo.InvariantCulture))));
        latencies.Sort();
        var median = latencies[latencies.Count / 2];
        var p95 = latencies[(int)Math.Ceiling(latencies.Count * 0.95) - 1];
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        TestContext.Out.WriteLine(FormattableString.Invariant($"A→B propagation over {latencies.Count} changes: median {median:F1} ms, p95 {p95:F1} ms, max {latencies[^1]:F1} ms (from A's verb returning to B's search finding the change; {Environment.ProcessorCount} cores, load average {load})"));
        p95.Should().BeLessThan(1000, "a change reaches another instance's search within a second");

        // The odd change on a shared, overloaded machine (2 cores, load averages above 20 were seen) waits for a CPU:
        // the guard for every single change is looser than the requirement, which the 95th percentile holds.
        latencies[^1].Should().BeLessThan(3000);
    }

    [Test]
    public void AnInstanceKilledWithSigkill_AndStartedAgain_FindsWhatTheOthersCommittedMeanwhile_AndFollowsThemAgain()
    {
        var keys = Path.Combine(_registry!.Folder, "c.keys");
        _workers[2].Kill();
        _workers[0].Send($"writers 2 2 1 {Donors}");
        _workers[0].Expect("stats ", TimeSpan.FromSeconds(30));

        _workers[2].Dispose();
        _workers[2] = new WorkerProcess(_registry.Schema.ConnectionString, _registry.Key, keys);

        using (var check = _registry.Open("check-restart"))
        {
            Listed(_workers[2]).Should().BeEquivalentTo(SharedRegistry.AvailableInStore(check), "the restarted instance starts from the store");
        }

        var id = 7;
        var listedNow = Listed(_workers[2]).Contains(id);
        _workers[2].Send($"watch {id} {(listedNow ? 0 : 1)}");
        _workers[2].Expect("watching");
        _workers[0].Send($"change {id}");
        _workers[0].Expect("changed ");
        _workers[2].Expect("seen ", TimeSpan.FromSeconds(10));
    }

    /// <summary>One change of a donor through <paramref name="a"/>, in ms until <paramref name="b"/>'s search shows it.</summary>
    private static double Propagate(WorkerProcess a, WorkerProcess b, int id)
    {
        var listedNow = Listed(a).Contains(id);
        b.Send($"watch {id} {(listedNow ? 0 : 1)}");
        b.Expect("watching");
        a.Send($"change {id}");
        var changed = a.Expect("changed ").Split(' ');
        var seen = b.Expect("seen ", TimeSpan.FromSeconds(10));
        var from = long.Parse(changed[4], CultureInfo.InvariantCulture);
        var at = long.Parse(seen.Split(' ')[1], CultureInfo.InvariantCulture);
        return (at - from) * 1000.0 / Stopwatch.Frequency;
    }

    private static HashSet<long> Listed(WorkerProcess worker)
    {
        worker.Send("listed");
        return worker.Expect("listed").Split(' ', 2).ElementAtOrDefault(1) is { Length: > 0 } ids
            ? ids.Split(',').Select(i => long.Parse(i, CultureInfo.InvariantCulture)).ToHashSet()
            : [];
    }

    private static bool Eventually(Func<bool> condition, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > within)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }
}
