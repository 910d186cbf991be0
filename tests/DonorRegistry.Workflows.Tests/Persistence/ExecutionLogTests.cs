using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using LiteDB;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.Persistence;

public sealed class ExecutionLogTests
{
    private string _folder = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));

    [SetUp]
    public void SetUp() => _folder = Directory.CreateTempSubdirectory("execution-log-tests-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private LiteDatabase Open() => new(new ConnectionString { Filename = Path.Combine(_folder, "log.db") }) { UtcDate = true };

    [Test]
    public void Notice_TheSameOccasionTwice_IsWrittenOnce_WhateverTheSecondText()
    {
        using var db = Open();
        var log = new ExecutionLog(db, _clock);

        var first = log.Notice("PKU-2026", "wf-1", "Remind to ship", "shipping deadline", "Reminder: 3 sample(s) ...");
        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = log.Notice("PKU-2026", "wf-1", "Remind to ship", "shipping deadline", "Reminder: 2 sample(s) ...");

        (first, second).Should().Be((true, false));
        log.For("PKU-2026").Should().ContainSingle().Which.Should().Match<StepRun>(r => r.Outcome == StepOutcome.Notice && r.Detail == "Reminder: 3 sample(s) ..." && r.EndedAt == new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
        log.HasNotice("wf-1", "Remind to ship", "shipping deadline").Should().BeTrue();
    }

    [Test]
    public void Notice_AnotherOccasionStepOrWorkflow_IsANoticeOfItsOwn_AndStepRunsNeverCollide()
    {
        using var db = Open();
        var log = new ExecutionLog(db, _clock);
        log.Record("PKU-2026", "wf-1", "Plan", _clock.GetUtcNow(), _clock.GetUtcNow(), StepOutcome.Completed, null);
        log.Record("PKU-2026", "wf-1", "Plan", _clock.GetUtcNow(), _clock.GetUtcNow(), StepOutcome.Completed, null);

        log.Notice("PKU-2026", "wf-1", "Flag overdue shipment", "overdue SHP-1", "Overdue: SHP-1").Should().BeTrue();
        log.Notice("PKU-2026", "wf-1", "Flag overdue shipment", "overdue SHP-2", "Overdue: SHP-2").Should().BeTrue();
        log.Notice("PKU-2026", "wf-1", "Close drive", "overdue SHP-1", "not an overdue flag").Should().BeTrue();
        log.Notice("PKU-2026", "wf-2", "Flag overdue shipment", "overdue SHP-1", "Overdue: SHP-1 again").Should().BeTrue();

        log.For("PKU-2026").Select(r => r.Outcome).Should().Equal(StepOutcome.Completed, StepOutcome.Completed, StepOutcome.Notice, StepOutcome.Notice, StepOutcome.Notice, StepOutcome.Notice);
    }

    [Test]
    public void Notice_KeyIsKeptInTheFile_SoAReopenedLogStillWritesItOnce()
    {
        using (var db = Open())
        {
            new ExecutionLog(db, _clock).Notice("D-1", "wf-1", "Review care", "follow-up W1", "Follow-up W1 is due").Should().BeTrue();
        }

        using var again = Open();
        var log = new ExecutionLog(again, _clock);

        log.Notice("D-1", "wf-1", "Review care", "follow-up W1", "Follow-up W1 is due").Should().BeFalse();
        log.For("D-1").Should().ContainSingle();
        again.GetCollection("$indexes").Find(BsonExpression.Create("collection = 'wf_log' AND name = 'occasion'")).Should().ContainSingle().Which["unique"].AsBoolean.Should().BeTrue();
    }

    [Test]
    public void Notice_ALogWrittenBeforeNoticesHadKeys_GetsTheUniqueIndexOverItsOldEntries()
    {
        using var db = Open();
        var old = db.GetCollection("wf_log", BsonAutoId.Int64);
        old.Insert(new BsonDocument { ["reference"] = "D-1", ["workflow"] = "wf-1", ["step"] = "Remind to ship", ["started"] = 1L, ["ended"] = 1L, ["outcome"] = "Notice", ["detail"] = "old" });
        old.Insert(new BsonDocument { ["reference"] = "D-1", ["workflow"] = "wf-1", ["step"] = "Remind to ship", ["started"] = 1L, ["ended"] = 1L, ["outcome"] = "Notice", ["detail"] = "old twice" });

        var log = new ExecutionLog(db, _clock);

        log.For("D-1").Should().HaveCount(2, "old entries without a key are each their own");
        log.Notice("D-1", "wf-1", "Remind to ship", "shipping deadline", "new").Should().BeTrue();
    }

    [TestCase("", "wf", "step", "occasion", "text", "reference")]
    [TestCase("ref", " ", "step", "occasion", "text", "workflowId")]
    [TestCase("ref", "wf", null, "occasion", "text", "step")]
    [TestCase("ref", "wf", "step", "", "text", "occasion")]
    [TestCase("ref", "wf", "step", "occasion", "\t", "text")]
    public void Notice_ABlankValue_IsRefusedNamingItAndNothingIsWritten(string reference, string workflowId, string? step, string occasion, string text, string field)
    {
        using var db = Open();
        var log = new ExecutionLog(db, _clock);

        var act = () => log.Notice(reference, workflowId, step!, occasion, text);

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be(field);
        db.GetCollection("wf_log").Count().Should().Be(0);
    }

    [Test]
    public void Notice_AnOccasionOver200Characters_IsRefused()
    {
        using var db = Open();

        var act = () => new ExecutionLog(db, _clock).Notice("ref", "wf", "step", new string('x', 201), "text");

        act.Should().Throw<RegistryValidationException>().WithMessage("occasion 'xxxx*' has 201 characters; give at most 200.");
    }
}
