using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.Persistence;

/// <summary>An execution-log entry reads as one line (not <c>StepRun { ... }</c>), in any culture.</summary>
[SetCulture("de-DE")]
public sealed class StepRunTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 2, 16, 0, 0, TimeSpan.FromHours(8));

    [Test]
    public void AStepRun_NamesItsNumberDriveStepOutcomeTimeDurationAndDetail() =>
        new StepRun(12, "PKU-2026-11", "wf-1", "OpenEnrolment", Started, Started.AddMilliseconds(400), StepOutcome.Completed, "enrolment open").ToString()
            .Should().Be("#12 PKU-2026-11 OpenEnrolment Completed at 2026-11-02T08:00:00Z (0.4 s): enrolment open");

    [Test]
    public void AStepRunWithoutDetail_EndsWithItsDuration() =>
        new StepRun(3, "PKU-2026-11", "wf-1", "WaitForLecture", Started, Started, StepOutcome.WaitingForEvent, null).ToString()
            .Should().Be("#3 PKU-2026-11 WaitForLecture WaitingForEvent at 2026-11-02T08:00:00Z (0.0 s)");
}
