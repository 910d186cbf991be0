using System.Collections.Concurrent;
using System.Diagnostics;
using DonorRegistry.Donors;
using DonorRegistry.MultiInstance.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.MultiInstance.Tests.PostgreSql;

/// <summary>
/// Issue 13: PostgreSQL stopped and started again during a burst of writes. Every acknowledged write is stored afterwards,
/// every failed call is the library's <see cref="RegistryUnavailableException"/>, and a second instance's search follows
/// again once its listener is back. The server is one of this test's own (<see cref="OwnCluster"/>).
/// </summary>
[NonParallelizable]
public sealed class ServerRestartTests
{
    private const string By = SharedRegistry.By;

    [Test]
    public void PostgreSqlStoppedAndStartedDuringABurstOfWrites_KeepsEveryAcknowledgedWrite_AndTheFailedCallsAreStoreUnavailable()
    {
        PgServer.Required(); // a server is installed where the variable is given
        using var cluster = new OwnCluster();
        using var shared = new SharedRegistry(40, server: cluster.ConnectionString);
        using var a = shared.Open("instance-a");
        using var b = shared.Open("instance-b");
        shared.Found(b).Should().HaveCount(40);

        // Four writers on A, each on 10 donors of its own (no conflicts), for 5 s; the server stops after 1 s for 1.5 s.
        var acked = new ConcurrentBag<(DonorId Id, int Version, string Action)>();
        var failures = new ConcurrentBag<Exception>();
        var clock = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, 4).Select(w => new Thread(() =>
        {
            var random = new Random(w);
            while (clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                var id = new DonorId(1 + (w * 10) + random.Next(10));
                try
                {
                    var donor = a.Donors.Get(id);
                    var stored = donor.State == DonorState.Available
                        ? a.Donors.Defer(id, shared.Today.AddDays(30), "出差", By, donor.Version)
                        : a.Donors.EndDeferral(id, By, donor.Version);
                    acked.Add((id, stored.Version, stored.State == DonorState.Available ? nameof(DonorTrigger.EndDeferral) : nameof(DonorTrigger.Defer)));
                }
                catch (Exception e)
                {
                    failures.Add(e);
                    Thread.Sleep(20);
                }
            }
        })).ToList();
        writers.ForEach(t => t.Start());
        Thread.Sleep(1000);
        cluster.Pause();
        Thread.Sleep(1500);
        cluster.Resume();
        writers.ForEach(t => t.Join());

        TestContext.Out.WriteLine($"acknowledged {acked.Count}, failed {failures.Count}: {string.Join(", ", failures.GroupBy(f => f.GetType().Name).Select(g => $"{g.Key} × {g.Count()}"))}");
        failures.Should().NotBeEmpty("the server was down for 1.5 s of the burst");
        failures.Should().AllBeOfType<RegistryUnavailableException>("a failed call is the library's typed 'store unavailable', never the driver's");
        acked.Should().NotBeEmpty();
        foreach (var (id, version, action) in acked)
        {
            a.Donors.GetHistory(id).Should().ContainSingle(r => r.Version == version).Which.Action.Should().Be(action, $"donor {id}'s acknowledged version {version} is stored");
        }

        var store = SharedRegistry.AvailableInStore(a);
        var clockB = Stopwatch.StartNew();
        while (!shared.Found(b).SetEquals(store) && clockB.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(50);
        }

        shared.Found(b).Should().BeEquivalentTo(store, "B's listener connected again and read what it missed from the change table");
    }
}
