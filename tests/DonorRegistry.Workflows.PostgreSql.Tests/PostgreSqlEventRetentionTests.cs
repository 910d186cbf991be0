using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.Persistence.Contract;

namespace DonorRegistry.Workflows.PostgreSql.Tests;

/// <summary>The retention rule on PostgreSQL.</summary>
public sealed class PostgreSqlEventRetentionTests : EventRetentionContract
{
    private string? _schema;

    private protected override IWorkflowStore OpenStore(TimeSpan keepProcessedEvents)
    {
        var connectionString = PostgreSqlTestDatabase.ConnectionString;
        _schema = PostgreSqlTestDatabase.NewSchema();
        return new PostgreSqlWorkflowStore(new PostgreSqlWorkflowDatabase(connectionString, _schema)) { KeepProcessedEvents = keepProcessedEvents };
    }

    private protected override void CloseStore(IWorkflowStore store)
    {
        (store as IDisposable)?.Dispose();
        PostgreSqlTestDatabase.Drop(_schema);
    }

    protected override void MarkCompleteWithoutTheRule(string reference) =>
        PostgreSqlTestDatabase.Scalar($"UPDATE \"{_schema}\".workflow SET status = 2 WHERE reference = @reference", ("reference", reference));
}
