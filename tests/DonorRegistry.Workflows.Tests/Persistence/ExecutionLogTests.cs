using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.Persistence.Contract;
using FluentAssertions;
using LiteDB;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.Persistence;

/// <summary>The execution log on LiteDB, in a file of its own per test; and LiteDB's own index and old files.</summary>
public sealed class ExecutionLogTests : ExecutionLogContract
{
    private string _folder = null!;
    private LiteDatabase? _db;

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("execution-log-tests-").FullName;

    [TearDown]
    public void TearDown()
    {
        _db?.Dispose();
        _db = null;
        Directory.Delete(_folder, recursive: true);
    }

    protected override ExecutionLog OpenLog()
    {
        _db = Open();
        return new ExecutionLog(_db, Clock);
    }

    protected override void CloseLog()
    {
        _db?.Dispose();
        _db = null;
    }

    protected override long CountEntries() => _db!.GetCollection("wf_log").Count();

    private LiteDatabase Open() => new(new ConnectionString { Filename = Path.Combine(_folder, "log.db") }) { UtcDate = true };

    [Test]
    public void Notice_KeyIsAUniqueIndexInTheFile()
    {
        OpenLog().Notice("D-1", "wf-1", "Review care", "follow-up W1", "Follow-up W1 is due").Should().BeTrue();

        _db!.GetCollection("$indexes").Find(BsonExpression.Create("collection = 'wf_log' AND name = 'occasion'")).Should().ContainSingle().Which["unique"].AsBoolean.Should().BeTrue();
    }

    [Test]
    public void Notice_ALogWrittenBeforeNoticesHadKeys_GetsTheUniqueIndexOverItsOldEntries()
    {
        _db = Open();
        var old = _db.GetCollection("wf_log", BsonAutoId.Int64);
        old.Insert(new BsonDocument { ["reference"] = "D-1", ["workflow"] = "wf-1", ["step"] = "Remind to ship", ["started"] = 1L, ["ended"] = 1L, ["outcome"] = "Notice", ["detail"] = "old" });
        old.Insert(new BsonDocument { ["reference"] = "D-1", ["workflow"] = "wf-1", ["step"] = "Remind to ship", ["started"] = 1L, ["ended"] = 1L, ["outcome"] = "Notice", ["detail"] = "old twice" });

        var log = new ExecutionLog(_db, Clock);

        log.For("D-1").Should().HaveCount(2, "old entries without a key are each their own");
        log.Notice("D-1", "wf-1", "Remind to ship", "shipping deadline", "new").Should().BeTrue();
    }

    [Test]
    public void For_AnEntryWrittenBeforeCodes_ReadsAsUnspecified_WithItsEnglishText()
    {
        _db = Open();
        var old = _db.GetCollection("wf_log", BsonAutoId.Int64);
        old.Insert(new BsonDocument { ["reference"] = "D-1", ["workflow"] = "wf-1", ["step"] = "Close drive", ["started"] = 1L, ["ended"] = 1L, ["outcome"] = "Notice", ["detail"] = "Drive D-1 closed: 24 listed.", ["occasion"] = "wf-1\u001fClose drive\u001fclosed" });
        old.Insert(new BsonDocument { ["reference"] = "D-1", ["workflow"] = "wf-1", ["step"] = "Close drive", ["started"] = 1L, ["ended"] = 1L, ["outcome"] = "Notice", ["detail"] = "a code from a later library", ["code"] = "SomethingNew", ["args"] = new BsonDocument { ["x"] = "1" } });

        var runs = new ExecutionLog(_db, Clock).For("D-1");

        runs.Select(r => (r.Code, r.Arguments.Count, r.Detail)).Should().Equal((LogCode.Unspecified, 0, "Drive D-1 closed: 24 listed."), (LogCode.Unspecified, 1, "a code from a later library"));
    }
}
