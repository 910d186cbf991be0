using DonorRegistry.Workflows.CampusDrive;
using FluentAssertions;
using NUnit.Framework;
using static DonorRegistry.Workflows.Tests.CampusDrive.DriveFixture;

namespace DonorRegistry.Workflows.Tests.CampusDrive;

/// <summary>What a host prints of a running drive: its progress and its execution log, as lines a person reads.</summary>
public sealed class DriveProgressTests
{
    private DriveFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new DriveFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public async Task AStartedDrive_PrintsItsStateTheEventItExpectsAndItsFunnel_AndItsLogAsLines()
    {
        await _fx.Drives.StartDriveAsync(_fx.Plan(), Lab, By);
        await _fx.Drives.RecordLectureAsync(Pku, "北大", _fx.Today, 50, "李医生", By);

        _fx.Drives.GetProgress(Pku).ToString().Should().Be(
            "PKU-2026-03 is Planned (workflow Runnable), expecting EnrolmentOpened; PKU-2026-03: 1 lecture, 50 attendees, 0 enrolled (0.0% of attendees), "
            + "0 sampled (n/a of enrolled; 0 samples, 0 rejected), 0 typed (n/a of sampled), 0 listed (n/a of typed)");
        _fx.Drives.GetExecutionLog(Pku).Should().NotBeEmpty()
            .And.OnlyContain(run => run.ToString().StartsWith($"#{run.Sequence} PKU-2026-03 {run.Step} {run.Outcome} at ", StringComparison.Ordinal));
    }
}
