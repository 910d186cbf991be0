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

    [Test]
    public void AnOpenTransaction_IsFound_AndNoneWhenThereIsNone()
    {
        var folder = Directory.CreateTempSubdirectory("abandoned-transaction-").FullName;
        try
        {
            using var database = new LiteDB.LiteDatabase(Path.Combine(folder, "t.db"));
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
