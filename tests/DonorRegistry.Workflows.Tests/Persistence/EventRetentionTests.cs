using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.Persistence.Contract;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.Persistence;

/// <summary>The retention rule on LiteDB.</summary>
public sealed class EventRetentionTests : EventRetentionContract
{
    private LiteDatabase _db = null!;

    private protected override IWorkflowStore OpenStore(TimeSpan keepProcessedEvents)
    {
        _db = new LiteDatabase(":memory:");
        return new LiteDbPersistenceProvider(_db) { KeepProcessedEvents = keepProcessedEvents };
    }

    private protected override void CloseStore(IWorkflowStore store)
    {
        ((LiteDbPersistenceProvider)store).Dispose();
    }

    [TearDown]
    public void DisposeDatabase() => _db?.Dispose();

    protected override void MarkCompleteWithoutTheRule(string reference) =>
        _db.GetCollection("wf_workflows").UpdateMany("{ status: 2 }", BsonExpression.Create("reference = @0", reference));
}
