using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using NUnit.Framework;
using static DonorRegistry.Workflows.Tests.CampusDrive.DriveFixture;

namespace DonorRegistry.Workflows.Tests.CampusDrive;

public sealed class DriveDeadlineTests
{
    private static async Task<StepRun> NoticeAsync(DriveFixture fx, string text)
    {
        for (var i = 0; i < 200; i++)
        {
            if (fx.Drives.GetExecutionLog(Pku).FirstOrDefault(r => r.Outcome == StepOutcome.Notice && r.Detail!.Contains(text, StringComparison.Ordinal)) is { } notice)
            {
                return notice;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"No notice containing '{text}' in 10 s. Log: {string.Join(" | ", fx.Drives.GetExecutionLog(Pku).Select(r => $"{r.Step} {r.Outcome} {r.Detail}"))}");
        return null!;
    }

    [Test]
    public async Task SamplesNotShippedInTime_RaiseAReminderInTheLog()
    {
        using var fx = new DriveFixture(o => o.ShipWithin = TimeSpan.FromMilliseconds(300));
        await fx.ToCollectedAsync(3);
        await fx.Drives.CloseEnrolmentAsync(Pku, By);

        var reminder = await NoticeAsync(fx, "Reminder");

        reminder.Step.Should().Be("Remind to ship");
        reminder.Detail.Should().Contain("3 sample(s)").And.Contain(Lab);
        (await fx.Drives.DispatchShipmentAsync(Pku, By))!.Barcodes.Should().HaveCount(3, "the drive goes on after the reminder");
    }

    [Test]
    public async Task ResultsNotInByTheDeadline_FlagTheShipmentOverdue()
    {
        using var fx = new DriveFixture(o => o.ResultsWithin = TimeSpan.FromMilliseconds(300));
        var samples = await fx.ToCollectedAsync(2);
        await fx.Drives.CloseEnrolmentAsync(Pku, By);
        var shipment = await fx.Drives.DispatchShipmentAsync(Pku, By);

        var overdue = await NoticeAsync(fx, "Overdue");

        overdue.Detail.Should().Contain(shipment!.Id).And.Contain(samples[0].Barcode);
    }

    [Test]
    public async Task SamplesShippedInTime_RaiseNoReminder()
    {
        using var fx = new DriveFixture(o => o.ShipWithin = TimeSpan.FromMilliseconds(400));
        await fx.ToCollectedAsync(2);
        await fx.Drives.CloseEnrolmentAsync(Pku, By);
        await fx.Drives.DispatchShipmentAsync(Pku, By);

        await Task.Delay(1000);

        fx.Drives.GetExecutionLog(Pku).Should().Contain(r => r.Step == "Remind to ship").And.NotContain(r => r.Outcome == StepOutcome.Notice);
    }
}
