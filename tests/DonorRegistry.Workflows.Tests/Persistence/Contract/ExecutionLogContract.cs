using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.Persistence.Contract;

/// <summary>The execution log on every store: notices once per occasion, runs never colliding, values checked.</summary>
public abstract class ExecutionLogContract
{
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));

    /// <summary>Opens the log on this test's storage (the same storage each time, so a second open is a reopen).</summary>
    protected abstract ExecutionLog OpenLog();

    /// <summary>Closes what <see cref="OpenLog"/> opened, if anything is open.</summary>
    protected abstract void CloseLog();

    /// <summary>How many entries the storage keeps, counted behind the log's back.</summary>
    protected abstract long CountEntries();

    [TearDown]
    public void CloseTheLog() => CloseLog();

    [Test]
    public void Notice_TheSameOccasionTwice_IsWrittenOnce_WhateverTheSecondText()
    {
        var log = OpenLog();

        var first = log.Notice("PKU-2026", "wf-1", "Remind to ship", "shipping deadline", "Reminder: 3 sample(s) ...");
        Clock.Advance(TimeSpan.FromMinutes(5));
        var second = log.Notice("PKU-2026", "wf-1", "Remind to ship", "shipping deadline", "Reminder: 2 sample(s) ...");

        (first, second).Should().Be((true, false));
        log.For("PKU-2026").Should().ContainSingle().Which.Should().Match<StepRun>(r => r.Outcome == StepOutcome.Notice && r.Detail == "Reminder: 3 sample(s) ..." && r.EndedAt == new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
        log.HasNotice("wf-1", "Remind to ship", "shipping deadline").Should().BeTrue();
    }

    [Test]
    public void Notice_AnotherOccasionStepOrWorkflow_IsANoticeOfItsOwn_AndStepRunsNeverCollide()
    {
        var log = OpenLog();
        log.Record("PKU-2026", "wf-1", "Plan", Clock.GetUtcNow(), Clock.GetUtcNow(), StepOutcome.Completed, null);
        log.Record("PKU-2026", "wf-1", "Plan", Clock.GetUtcNow(), Clock.GetUtcNow(), StepOutcome.Completed, null);

        log.Notice("PKU-2026", "wf-1", "Flag overdue shipment", "overdue SHP-1", "Overdue: SHP-1").Should().BeTrue();
        log.Notice("PKU-2026", "wf-1", "Flag overdue shipment", "overdue SHP-2", "Overdue: SHP-2").Should().BeTrue();
        log.Notice("PKU-2026", "wf-1", "Close drive", "overdue SHP-1", "not an overdue flag").Should().BeTrue();
        log.Notice("PKU-2026", "wf-2", "Flag overdue shipment", "overdue SHP-1", "Overdue: SHP-1 again").Should().BeTrue();

        log.For("PKU-2026").Select(r => r.Outcome).Should().Equal(StepOutcome.Completed, StepOutcome.Completed, StepOutcome.Notice, StepOutcome.Notice, StepOutcome.Notice, StepOutcome.Notice);
    }

    [Test]
    public void Record_KeepsTheRunAsWritten_InOrder()
    {
        var log = OpenLog();
        var started = Clock.GetUtcNow();
        log.Record("PKU-2026", "wf-1", "Plan", started, started.AddSeconds(2), StepOutcome.WaitingForEvent, "LectureHeld for PKU-2026");
        log.Record("PKU-2026", "wf-1", "Open enrolment", started.AddSeconds(3), started.AddSeconds(4), StepOutcome.Failed, null);
        log.Record("THU-2026", "wf-2", "Plan", started, started, StepOutcome.Completed, null);

        var runs = log.For("PKU-2026");

        runs.Select(r => (r.Reference, r.WorkflowId, r.Step, r.StartedAt, r.EndedAt, r.Outcome, r.Detail)).Should().Equal(
            ("PKU-2026", "wf-1", "Plan", started, started.AddSeconds(2), StepOutcome.WaitingForEvent, "LectureHeld for PKU-2026"),
            ("PKU-2026", "wf-1", "Open enrolment", started.AddSeconds(3), started.AddSeconds(4), StepOutcome.Failed, (string?)null));
        runs[0].Sequence.Should().BeLessThan(runs[1].Sequence);
    }

    [Test]
    public void Notice_KeyIsKept_SoAReopenedLogStillWritesItOnce()
    {
        OpenLog().Notice("D-1", "wf-1", "Review care", "follow-up W1", "Follow-up W1 is due").Should().BeTrue();
        CloseLog();

        var log = OpenLog();

        log.Notice("D-1", "wf-1", "Review care", "follow-up W1", "Follow-up W1 is due").Should().BeFalse();
        log.For("D-1").Should().ContainSingle();
    }

    [TestCase("", "wf", "step", "occasion", "text", "reference")]
    [TestCase("ref", " ", "step", "occasion", "text", "workflowId")]
    [TestCase("ref", "wf", null, "occasion", "text", "step")]
    [TestCase("ref", "wf", "step", "", "text", "occasion")]
    [TestCase("ref", "wf", "step", "occasion", "\t", "text")]
    public void Notice_ABlankValue_IsRefusedNamingItAndNothingIsWritten(string reference, string workflowId, string? step, string occasion, string text, string field)
    {
        var log = OpenLog();

        var act = () => log.Notice(reference, workflowId, step!, occasion, text);

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be(field);
        CountEntries().Should().Be(0);
    }

    [Test]
    public void Notice_AnOccasionOver200Characters_IsRefused()
    {
        var act = () => OpenLog().Notice("ref", "wf", "step", new string('x', 201), "text");

        act.Should().Throw<RegistryValidationException>().WithMessage("occasion 'xxxx*' has 201 characters; give at most 200.");
    }

    [Test]
    public void Notice_KeepsItsCodeAndArguments_BesideItsEnglishText_AndAReopenedLogReadsThem()
    {
        var arguments = new Dictionary<string, string> { ["count"] = "3", ["drive"] = "PKU-2026", ["within"] = "3.00:00:00", ["lab"] = "中华骨髓库 HLA 实验室" };
        OpenLog().Notice("PKU-2026", "wf-1", "Remind to ship", "shipping deadline", "Reminder: 3 sample(s) ...", LogCode.ShippingReminder, arguments).Should().BeTrue();
        CloseLog();

        var notice = OpenLog().For("PKU-2026").Should().ContainSingle().Subject;

        notice.Code.Should().Be(LogCode.ShippingReminder);
        notice.Arguments.Should().BeEquivalentTo(arguments);
        notice.Detail.Should().Be("Reminder: 3 sample(s) ...");
    }

    [Test]
    public void Record_KeepsACodedRunsCode_AndAnUncodedEntryReadsAsUnspecifiedWithoutArguments()
    {
        var log = OpenLog();
        var at = Clock.GetUtcNow();
        log.Record("PKU-2026", "wf-1", "Plan", at, at, StepOutcome.WaitingForEvent, "LectureHeld for PKU-2026", LogCode.WaitingForEvent, new Dictionary<string, string> { ["event"] = "LectureHeld", ["key"] = "PKU-2026" });
        log.Record("PKU-2026", "wf-1", "Plan", at, at, StepOutcome.Completed, null);
        log.Notice("PKU-2026", "wf-1", "Close drive", "closed", "Drive PKU-2026 closed").Should().BeTrue();

        var runs = log.For("PKU-2026");

        runs.Select(r => r.Code).Should().Equal(LogCode.WaitingForEvent, LogCode.Unspecified, LogCode.Unspecified);
        runs[0].Arguments.Should().BeEquivalentTo(new Dictionary<string, string> { ["event"] = "LectureHeld", ["key"] = "PKU-2026" });
        runs[1].Arguments.Should().BeEmpty();
        runs[2].Arguments.Should().BeEmpty();
    }
}
