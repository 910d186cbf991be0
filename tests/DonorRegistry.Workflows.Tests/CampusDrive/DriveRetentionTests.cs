using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using NUnit.Framework;
using static DonorRegistry.Workflows.Tests.CampusDrive.DriveFixture;

namespace DonorRegistry.Workflows.Tests.CampusDrive;

public sealed class DriveRetentionTests
{
    [Test]
    public async Task AYearOfDrives_WithSecondLecturesAndPartialImports_LeavesNoDueEventOfAFinishedWorkflow_BeforeOrAfterARestart()
    {
        using var fx = new DriveFixture();
        for (var quarter = 0; quarter < 4; quarter++)
        {
            var drive = new DriveId($"PKU-2026-Q{quarter + 1}");
            await fx.Drives.StartDriveAsync(fx.Plan(drive), Lab, By);
            await fx.Drives.RecordLectureAsync(drive, "北大二教 203", fx.Today, 120, "李医生", By);
            await fx.Drives.RecordLectureAsync(drive, "北大二教 205", fx.Today, 60, "王医生", By); // taken by no subscription
            await fx.Drives.OpenEnrolmentAsync(drive, By);
            var donors = fx.Drives.Enrol(drive, fx.Volunteers.Many(4, fx.Today), By);
            var samples = donors.Select((d, i) => fx.Drives.CollectSample(drive, d.Id, $"Q{quarter + 1}-{i:D3}", SampleKind.BloodEdta, "nurse.chen")).ToList();
            await fx.Drives.CloseEnrolmentAsync(drive, By);
            await fx.Drives.DispatchShipmentAsync(drive, By);
            await fx.Drives.RecordSamplesReceivedAsync(drive, "lab.reception");
            await fx.Drives.ImportTypingResultsAsync(drive, Utf8(fx.ResultsCsv(samples.Take(2))), Lab, fx.Today, "lab.import");
            await fx.Drives.ImportTypingResultsAsync(drive, Utf8(fx.ResultsCsv(samples.Skip(2))), Lab, fx.Today, "lab.import");
            (await fx.Drives.WaitUntilClosedAsync(drive, TimeSpan.FromSeconds(20))).Drive.State.Should().Be(DriveState.Closed);
            fx.Clock.Advance(TimeSpan.FromDays(91));
        }

        await Task.Delay(500); // WorkflowCore's consumers settle what they take
        fx.Host.Store.FindDueEventsOfFinishedWorkflows().Should().BeEmpty();
        ((LiteDbPersistenceProvider)fx.Host.Store).Events.Count().Should().BeGreaterThan(0, "processed events are kept for KeepProcessedEvents");

        await fx.RestartAsync();

        fx.Host.Store.FindDueEventsOfFinishedWorkflows().Should().BeEmpty();
    }
}
