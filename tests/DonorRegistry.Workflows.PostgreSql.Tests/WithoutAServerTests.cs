using FluentAssertions;
using NUnit.Framework;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.PostgreSql.Tests;

/// <summary>What needs no server: driver failures surface as the library's exception naming the server and what failed; options; lock keys.</summary>
public sealed class WithoutAServerTests
{
    // Nothing listens on port 1 of the loopback address: the connection is refused at once.
    private const string Nowhere = "Host=127.0.0.1;Port=1;Database=registry;Username=registry;Password=secret;Timeout=2";

    [Test]
    public async Task TheStore_OnAServerThatIsNotThere_ThrowsWorkflowStoreUnavailable_NamingTheServerAndTheWork()
    {
        using var store = new PostgreSqlWorkflowStore(new PostgreSqlWorkflowDatabase(Nowhere));

        var act = () => store.GetWorkflowInstance("wf-1");

        var thrown = (await act.Should().ThrowAsync<WorkflowStoreUnavailableException>()).Which;
        thrown.Should().BeAssignableTo<DonorRegistryException>();
        thrown.Server.Should().Be("127.0.0.1:1/registry");
        thrown.Message.Should().StartWith("The workflow store on PostgreSQL at 127.0.0.1:1/registry could not apply the migrations of schema workflows:").And.NotContain("secret");
        thrown.InnerException.Should().BeAssignableTo<Npgsql.NpgsqlException>();
    }

    [Test]
    public async Task TheLockProvider_OnAServerThatIsNotThere_ThrowsWorkflowStoreUnavailable()
    {
        using var locks = new PostgreSqlDistributedLockProvider(Nowhere);

        var act = () => locks.AcquireLock("wf-1", CancellationToken.None);

        (await act.Should().ThrowAsync<WorkflowStoreUnavailableException>()).Which.Message.Should().StartWith("The workflow store on PostgreSQL at 127.0.0.1:1/registry could not lock wf-1:");
    }

    [Test]
    public void UsePostgreSql_WithADatabasePathToo_IsRefused()
    {
        var options = new WorkflowsOptions { DatabasePath = "workflows.db" }.UsePostgreSql(Nowhere);

        var act = () => options.Validate();

        act.Should().Throw<RegistryValidationException>().WithMessage("*DatabasePath names a LiteDB file, but the workflows are kept in PostgreSQL at 127.0.0.1:1/registry (schema workflows)*");
    }

    [Test]
    public void UsePostgreSql_NamesTheStoreForWorkflowCore()
    {
        var options = new WorkflowsOptions().UsePostgreSql(Nowhere);

        options.Backend.Should().NotBeNull();
        options.Backend!.Locks.Should().NotBeNull("two processes on one store need the lock provider");
    }

    [Test]
    public void Keys_AreStableAndScopedBySchema()
    {
        // The first 8 bytes of SHA-256("workflows\u001fworkflow-1"), big-endian: the same in every process and version.
        AdvisoryKey.For("workflows", "workflow-1").Should().Be(-1745763046878312006L);
        AdvisoryKey.For("workflows", "workflow-1").Should().NotBe(AdvisoryKey.For("other", "workflow-1"));
        AdvisoryKey.For("workflows", "workflow-1").Should().NotBe(AdvisoryKey.For("workflows", "workflow-2"));
    }

    [Test]
    public void StatusNumbers_AreWorkflowCores()
    {
        // The store's SQL names the statuses by number.
        ((int)WorkflowStatus.Runnable, (int)WorkflowStatus.Suspended, (int)WorkflowStatus.Complete, (int)WorkflowStatus.Terminated).Should().Be((0, 1, 2, 3));
    }

    [Test]
    public void ThePackagesPublicApi_IsUsePostgreSqlItsException_AndTheBranchImport_WithNoWorkflowCoreOrNpgsqlTypes()
    {
        var exported = typeof(WorkflowStoreUnavailableException).Assembly.GetExportedTypes();

        exported.Select(t => t.Name).Should().BeEquivalentTo(
            nameof(PostgreSqlWorkflowsOptionsExtensions), nameof(WorkflowStoreUnavailableException),
            nameof(PostgreSqlWorkflows), nameof(WorkflowImportProgress), nameof(WorkflowImportResult), nameof(WorkflowImportCheck), nameof(WorkflowImportVerification));
        exported.SelectMany(t => t.GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly))
            .OfType<System.Reflection.MethodInfo>()
            .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
            .Select(t => t.Namespace ?? string.Empty)
            .Should().NotContain(ns => ns.StartsWith("WorkflowCore", StringComparison.Ordinal) || ns.StartsWith("Npgsql", StringComparison.Ordinal));
    }
}
