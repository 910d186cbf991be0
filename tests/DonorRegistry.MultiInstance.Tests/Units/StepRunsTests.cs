using DonorRegistry.MultiInstance.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.MultiInstance.Tests.Units;

/// <summary>The overlap check of the drive test (no server): it must see an overlap when there is one.</summary>
public sealed class StepRunsTests
{
    private static StepRunRecord Run(int process, string workflow, int step, long start, long end) => new(process, workflow, step, "Open_enrolment", start, end, Cut: false);

    [Test]
    public void TwoRunsOfTheSameStep_OneBeginningBeforeTheOtherEnds_Overlap()
    {
        var runs = new[] { Run(1, "w1", 4, 100, 200), Run(2, "w1", 4, 199, 300), Run(3, "w1", 4, 50, 101) };

        var overlaps = StepRuns.Overlapping(runs, r => (r.Workflow, r.Step));

        overlaps.Should().HaveCount(2);
        overlaps.Should().Contain((runs[2], runs[0])).And.Contain((runs[0], runs[1]));
    }

    [Test]
    public void RunsThatTouch_OrAreOfAnotherStepOrWorkflow_DoNotOverlap()
    {
        var runs = new[] { Run(1, "w1", 4, 100, 200), Run(2, "w1", 4, 200, 300), Run(2, "w1", 5, 150, 250), Run(2, "w2", 4, 150, 250) };

        StepRuns.Overlapping(runs, r => (r.Workflow, r.Step)).Should().BeEmpty();
        StepRuns.Overlapping(runs, r => r.Workflow).Should().HaveCount(2, "the third run is of the same workflow as the first two");
    }

    [Test]
    public void ARunWithoutItsEnd_InAProcessThatWasNotKilled_IsAnError_AndInTheKilledOne_EndsAtTheKill()
    {
        var folder = Directory.CreateTempSubdirectory("step-runs-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(folder, "steps-7.log"), ["start 7 1 w1 4 100 Open_enrolment", "end 7 1 150", "start 7 2 w1 5 160 Close_enrolment"]);

            StepRuns.Read(folder, killed: 7, killedAt: 170).Should().Equal(
                new StepRunRecord(7, "w1", 4, "Open_enrolment", 100, 150, Cut: false),
                new StepRunRecord(7, "w1", 5, "Close_enrolment", 160, 170, Cut: true));
            FluentActions.Invoking(() => StepRuns.Read(folder, killed: 8, killedAt: 170)).Should().Throw<InvalidOperationException>();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
