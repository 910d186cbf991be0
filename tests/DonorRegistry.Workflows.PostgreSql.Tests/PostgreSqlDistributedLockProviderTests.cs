using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Workflows.PostgreSql.Tests;

/// <summary>Two lock providers on two pools, as two processes would have, sharing one server.</summary>
public sealed class PostgreSqlDistributedLockProviderTests
{
    private string _scope = null!;
    private PostgreSqlDistributedLockProvider _first = null!;
    private PostgreSqlDistributedLockProvider _second = null!;

    [SetUp]
    public void SetUp()
    {
        var connectionString = PostgreSqlTestDatabase.ConnectionString;
        _scope = PostgreSqlTestDatabase.NewSchema(); // a scope of its own, so no other test's keys collide
        _first = new PostgreSqlDistributedLockProvider(connectionString, _scope);
        _second = new PostgreSqlDistributedLockProvider(connectionString, _scope);
    }

    [TearDown]
    public void TearDown()
    {
        _first?.Dispose();
        _second?.Dispose();
    }

    [Test]
    public async Task TwoProviders_CannotBothHoldTheSameResource()
    {
        (await _first.AcquireLock("workflow-1", CancellationToken.None)).Should().BeTrue();

        (await _second.AcquireLock("workflow-1", CancellationToken.None)).Should().BeFalse();
        (await _first.AcquireLock("workflow-1", CancellationToken.None)).Should().BeFalse("a lock is not re-entrant");
        (await _second.AcquireLock("workflow-2", CancellationToken.None)).Should().BeTrue("another resource is free");
    }

    [Test]
    public async Task ManyAttemptsAtOnce_FromBothProviders_GiveTheLockToExactlyOne()
    {
        var taken = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? _first : _second).AcquireLock("workflow-1", CancellationToken.None))));

        taken.Count(t => t).Should().Be(1);
    }

    [Test]
    public async Task AReleasedLock_CanBeTakenByTheOther()
    {
        await _first.AcquireLock("workflow-1", CancellationToken.None);

        await _first.ReleaseLock("workflow-1");

        (await _second.AcquireLock("workflow-1", CancellationToken.None)).Should().BeTrue();
        (await _first.AcquireLock("workflow-1", CancellationToken.None)).Should().BeFalse();
        _first.Held.Should().BeEmpty();
    }

    [Test]
    public async Task ALock_IsFreedWhenItsHoldersConnectionDies()
    {
        await _first.AcquireLock("workflow-1", CancellationToken.None);
        var session = _first.SessionOf("workflow-1");

        PostgreSqlTestDatabase.Scalar("SELECT pg_terminate_backend(@pid)", ("pid", session!.Value)).Should().Be(true);

        var taken = false;
        for (var i = 0; i < 50 && !taken; i++)
        {
            taken = await _second.AcquireLock("workflow-1", CancellationToken.None);
            if (!taken)
            {
                await Task.Delay(100);
            }
        }

        taken.Should().BeTrue("the server frees a session's advisory locks when the session ends");
        var release = () => _first.ReleaseLock("workflow-1");
        await release.Should().ThrowAsync<WorkflowStoreUnavailableException>("the dead holder learns it at release");
        _first.Held.Should().BeEmpty();
    }

    [Test]
    public async Task Stop_ReleasesEveryLockHeld()
    {
        await _first.AcquireLock("workflow-1", CancellationToken.None);
        await _first.AcquireLock("workflow-2", CancellationToken.None);

        await _first.Stop();

        (await _second.AcquireLock("workflow-1", CancellationToken.None)).Should().BeTrue();
        (await _second.AcquireLock("workflow-2", CancellationToken.None)).Should().BeTrue();
    }
}
