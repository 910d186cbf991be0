using System.Diagnostics;
using DonorRegistry.Donors;
using DonorRegistry.MultiInstance.Tests.Support;
using DonorRegistry.PostgreSql;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace DonorRegistry.MultiInstance.Tests.PostgreSql;

/// <summary>
/// The change feed of ADR 21 (src/DonorRegistry.PostgreSql/PgChangeFeed.cs) with two instances in this process: a
/// listener whose connection the server ended catches up from the change table; changes pruned before an instance
/// read them make it build its search index again; the calendar applied by two instances at once runs once.
/// </summary>
[NonParallelizable]
public sealed class ChangeFeedTests
{
    private const string By = SharedRegistry.By;

    [Test]
    public void AListenerWhoseConnectionTheServerEnded_CatchesUpFromTheChangeTable()
    {
        using var shared = new SharedRegistry(40);
        using var a = shared.Open("instance-a");
        using var b = shared.Open("instance-b");
        shared.Found(b).Should().HaveCount(40);

        EndListener(shared, "instance-b");
        var changed = Enumerable.Range(1, 20).Select(i => a.Donors.Defer(new DonorId(i), shared.Today.AddDays(30), "出差", By)).ToList();

        var store = SharedRegistry.AvailableInStore(a);
        store.Should().HaveCount(20);
        Eventually(() => shared.Found(b).SetEquals(store)).Should().BeTrue("the changes made while B was not listening are read from the change table");
        Feed(b).Connections.Should().BeGreaterThan(1, "the listener connected again");
        Feed(b).Applied.Should().Be(Head(shared));
        changed.Should().HaveCount(20);
    }

    [Test]
    public void ChangesPrunedBeforeAnInstanceReadThem_MakeItBuildItsIndexAgain()
    {
        using var shared = new SharedRegistry(10);
        using var a = shared.Open("instance-a");
        using var b = shared.Open("instance-b");
        shared.Found(b).Should().HaveCount(10);

        // Five changes B never read, pruned (as a day-old change is, while B was cut off): their numbers are gone.
        PgServer.Scalar(shared.Schema.ConnectionString, "WITH taken AS (UPDATE sequences SET next = next + 5 WHERE name = 'change' RETURNING next) SELECT next FROM taken");
        a.Donors.Defer(new DonorId(2), shared.Today.AddDays(30), "出差", By);

        Eventually(() => Feed(b).Applied == Head(shared)).Should().BeTrue();
        b.Search.IndexSnapshot().Should().BeNull("B cannot know what the pruned changes were, so it dropped its index");
        shared.Found(b).Should().BeEquivalentTo(SharedRegistry.AvailableInStore(a), "the next search built it from the store");
    }

    [Test]
    public void ApplyCalendar_InTwoInstancesAtOnce_RunsOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
        using var shared = new SharedRegistry(30, clock);
        using var a = shared.Open("instance-a");
        using var b = shared.Open("instance-b");
        for (var i = 1; i <= 30; i++)
        {
            a.Donors.Defer(new DonorId(i), shared.Today.AddDays(2), "出差", By);
        }

        clock.Advance(TimeSpan.FromDays(4));
        using var start = new Barrier(2);
        var runs = new[] { a, b }.AsParallel().WithDegreeOfParallelism(2).Select(registry =>
        {
            start.SignalAndWait();
            return registry.Donors.ApplyCalendar(clock.GetUtcNow());
        }).ToList();

        runs.Sum(r => r.Count).Should().Be(30, "each deferral ended once, by whichever instance held the calendar's lock first");
        for (var i = 1; i <= 30; i++)
        {
            a.Donors.GetHistory(new DonorId(i)).Count(r => r.Action == nameof(DonorTrigger.EndDeferral)).Should().Be(1);
        }
    }

    private static PgChangeFeed Feed(Registry registry) => ((PgStorage)registry.Storage).Feed!;

    private static long Head(SharedRegistry shared) =>
        PgServer.Scalar(shared.Schema.ConnectionString, "SELECT next - 1 FROM sequences WHERE name = 'change'");

    /// <summary>The server ends an instance's listening connection (a network cut, a failover, an administrator).</summary>
    private static void EndListener(SharedRegistry shared, string application) =>
        PgServer.Scalar(shared.Schema.ConnectionString, "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE application_name = $1", application + " changes")
            .Should().Be(1);

    private static bool Eventually(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }
}
