using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.Persistence.Contract;
using FluentAssertions;
using NUnit.Framework;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.PostgreSql.Tests;

/// <summary>The workflow store's contract (the LiteDB provider's tests) on PostgreSQL, each test in a schema of its own; and what only a server shows.</summary>
public sealed class PostgreSqlWorkflowStoreTests : WorkflowStoreContract
{
    private string? _schema;

    private protected override IWorkflowStore OpenStore()
    {
        var connectionString = PostgreSqlTestDatabase.ConnectionString;
        _schema = PostgreSqlTestDatabase.NewSchema();
        return new PostgreSqlWorkflowStore(new PostgreSqlWorkflowDatabase(connectionString, _schema));
    }

    private protected override void CloseStore(IWorkflowStore store)
    {
        (store as IDisposable)?.Dispose();
        PostgreSqlTestDatabase.Drop(_schema);
    }

    protected override long CountSubscriptions() => (long)PostgreSqlTestDatabase.Scalar($"SELECT count(*) FROM \"{_schema}\".subscription")!;

    [Test]
    public async Task Migrations_AreAppliedOnce_EvenByStoresStartingTogether()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgreSqlWorkflowStore(new PostgreSqlWorkflowDatabase(PostgreSqlTestDatabase.ConnectionString, _schema!))).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(s.EnsureStoreExists)));

            PostgreSqlTestDatabase.Scalar($"SELECT string_agg(version::text, ',' ORDER BY version) FROM \"{_schema}\".schema_version").Should().Be(string.Join(',', Enumerable.Range(1, PostgreSqlWorkflowDatabase.LatestVersion)));
        }
        finally
        {
            stores.ForEach(s => s.Dispose());
        }
    }

    [Test]
    public async Task SetSubscriptionToken_FromManyWorkersAtOnce_IsTakenByExactlyOne()
    {
        var id = await Store.CreateEventSubscription(new EventSubscription { WorkflowId = "w", EventName = "E", EventKey = "K", SubscribeAsOf = Now });
        using var other = new PostgreSqlWorkflowStore(new PostgreSqlWorkflowDatabase(PostgreSqlTestDatabase.ConnectionString, _schema!));

        var taken = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).SetSubscriptionToken(id, $"t{i}", $"worker-{i}", Now.AddMinutes(5)))));

        taken.Count(t => t).Should().Be(1);
        var held = await other.GetSubscription(id);
        held.ExternalToken.Should().Be("t" + held.ExternalWorkerId!["worker-".Length..]);
    }
}
