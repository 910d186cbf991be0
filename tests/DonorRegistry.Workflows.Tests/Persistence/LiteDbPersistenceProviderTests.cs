using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.Persistence.Contract;
using FluentAssertions;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.Persistence;

/// <summary>The workflow store's contract on LiteDB (in memory, sharing a database as the registry's file is shared), and LiteDB's own file.</summary>
public sealed class LiteDbPersistenceProviderTests : WorkflowStoreContract
{
    private LiteDatabase _db = null!;

    private protected override IWorkflowStore OpenStore()
    {
        _db = new LiteDatabase(":memory:");
        return new LiteDbPersistenceProvider(_db);
    }

    private protected override void CloseStore(IWorkflowStore store)
    {
        ((LiteDbPersistenceProvider)store).Dispose(); // leaves the shared database open
    }

    [TearDown]
    public void DisposeDatabase() => _db?.Dispose();

    protected override long CountSubscriptions() => ((LiteDbPersistenceProvider)Store).Subscriptions.Count();

    [Test]
    public async Task OwnFile_KeepsWorkflowsAcrossReopen()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wf-{Guid.NewGuid():N}.db");
        try
        {
            string id;
            using (var own = LiteDbPersistenceProvider.Open(path))
            {
                id = await own.CreateNewWorkflow(NewWorkflow());
            }

            using var reopened = LiteDbPersistenceProvider.Open(path);
            (await reopened.GetWorkflowInstance(id)).Reference.Should().Be("PKU-2026");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
