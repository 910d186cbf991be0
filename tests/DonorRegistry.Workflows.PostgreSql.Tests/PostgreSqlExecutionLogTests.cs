using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.Persistence.Contract;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Workflows.PostgreSql.Tests;

/// <summary>The execution log on PostgreSQL, in a schema of its own per test.</summary>
public sealed class PostgreSqlExecutionLogTests : ExecutionLogContract
{
    private readonly string _schema = PostgreSqlTestDatabase.NewSchema();
    private PostgreSqlWorkflowDatabase? _db;

    [SetUp]
    public void RequireServer() => _ = PostgreSqlTestDatabase.ConnectionString;

    [TearDown]
    public void DropSchema()
    {
        _db?.Dispose();
        _db = null;
        PostgreSqlTestDatabase.Drop(_schema);
    }

    protected override ExecutionLog OpenLog()
    {
        _db = new PostgreSqlWorkflowDatabase(PostgreSqlTestDatabase.ConnectionString, _schema);
        _db.EnsureMigrated();
        return new ExecutionLog(new PostgreSqlExecutionLogStore(_db), Clock);
    }

    protected override void CloseLog()
    {
        _db?.Dispose();
        _db = null;
    }

    protected override long CountEntries() => (long)PostgreSqlTestDatabase.Scalar($"SELECT count(*) FROM \"{_schema}\".execution_log")!;

    [Test]
    public async Task Notice_RaisedByTwoProcessesAtOnce_IsWrittenOnce()
    {
        var first = OpenLog();
        using var otherDb = new PostgreSqlWorkflowDatabase(PostgreSqlTestDatabase.ConnectionString, _schema);
        var second = new ExecutionLog(new PostgreSqlExecutionLogStore(otherDb), Clock);

        var written = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).Notice("PKU-2026", "wf-1", "Remind to ship", "shipping deadline", $"Reminder {i}"))));

        written.Count(w => w).Should().Be(1);
        first.For("PKU-2026").Should().ContainSingle();
    }

    [Test]
    public void For_AnEntryWrittenBeforeMigration2_ReadsAsUnspecified_WithItsEnglishText()
    {
        var log = OpenLog();
        PostgreSqlTestDatabase.Scalar($"INSERT INTO \"{_schema}\".execution_log (reference, workflow_id, step, started_ticks, ended_ticks, outcome, detail, occasion) VALUES ('D-1', 'wf-1', 'Close drive', 1, 1, 'Notice', 'Drive D-1 closed: 24 listed.', 'old')");

        log.For("D-1").Should().ContainSingle().Which.Should().Match<StepRun>(r => r.Code == LogCode.Unspecified && r.Arguments.Count == 0 && r.Detail == "Drive D-1 closed: 24 listed.");
        PostgreSqlTestDatabase.Scalar($"SELECT max(version) FROM \"{_schema}\".schema_version").Should().Be(2);
    }
}
