using DonorRegistry.Storage.LiteDb;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>
/// The registry suppresses the finalizer of a LiteDB transaction whose rollback failed (see
/// <see cref="AbandonedTransaction"/>); the power-loss tests collect after every cut, so a finalizer left armed ends
/// the test process there.
/// </summary>
public sealed class AbandonedTransactionTests
{
    [Test]
    public void TheLiteDbMembersItReads_ArePresentInThePinnedLiteDb()
    {
        AbandonedTransaction.CanReachTheEngine.Should().BeTrue("a LiteDB upgrade that renames them would silently bring back the finalizer crash");
    }

    [TestCase(false, TestName = "AnOpenTransaction_IsFound_AndNoneWhenThereIsNone")]
    [TestCase(true, TestName = "AnOpenTransaction_IsFound_AndNoneWhenThereIsNone_BehindTheGate")]
    public void AnOpenTransaction_IsFound_AndNoneWhenThereIsNone(bool gated)
    {
        var folder = Directory.CreateTempSubdirectory("abandoned-transaction-").FullName;
        try
        {
            var path = Path.Combine(folder, "t.db");
            using var database = gated
                ? new LiteDB.LiteDatabase(new GatedEngine(new LiteDB.Engine.LiteEngine(new LiteDB.Engine.EngineSettings { Filename = path })))
                : new LiteDB.LiteDatabase(path);
            AbandonedTransaction.Forget(database).Should().BeFalse();
            database.BeginTrans().Should().BeTrue();
            database.GetCollection("c").Insert(new LiteDB.BsonDocument { ["_id"] = 1 });

            AbandonedTransaction.Forget(database).Should().BeTrue();
            database.Rollback();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
