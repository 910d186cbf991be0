using DonorRegistry.Drives;
using DonorRegistry.Workflows.CampusDrive;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.DependencyInjection;

public sealed class AddWorkflowsTests
{
    [Test]
    public async Task AddWorkflows_OnTheRegistryBuilder_GivesTheFacadeOnTheRegistrysFile()
    {
        var key = RegistryKey.Generate();
        var services = new ServiceCollection();
        services.AddDonorRegistry(o =>
        {
            o.DatabasePath = RegistryOptions.InMemoryPath;
            o.RegistryKey = key;
        }).AddWorkflows(o => o.PollInterval = TimeSpan.FromMilliseconds(100));
        await using var provider = services.BuildServiceProvider();
        var drives = provider.GetRequiredService<DriveWorkflows>();
        var registry = provider.GetRequiredService<Registry>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        await drives.StartDriveAsync(new DrivePlan(new("THU-2026"), "清华招募", DriveKind.Campus, "红会", "清华", today, today, 50), "lab", "organizer");
        await drives.RecordLectureAsync(new("THU-2026"), "清华三教", today, 30, "王老师", "organizer");
        await drives.OpenEnrolmentAsync(new("THU-2026"), "organizer");

        registry.Drives.Get(new("THU-2026")).State.Should().Be(DriveState.EnrolmentOpen);
        drives.GetProgress(new("THU-2026")).NextEvent.Should().Be(DriveEvents.EnrolmentClosed);
    }

    [Test]
    public async Task AddWorkflows_WithAFileOfItsOwn_KeepsWorkflowsOutOfTheRegistryFile()
    {
        var folder = Directory.CreateTempSubdirectory("wf-own-file-").FullName;
        try
        {
            var key = RegistryKey.Generate();
            var services = WorkflowServices.In(folder, key);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            await using (var provider = services.BuildServiceProvider())
            {
                var drives = provider.GetRequiredService<DriveWorkflows>();
                provider.GetRequiredService<DonorRegistry.Workflows.DonorCare.CareWorkflows>().Should().NotBeNull();
                await drives.StartDriveAsync(new DrivePlan(new("BNU-2026"), "北师大招募", DriveKind.Campus, "红会", "北师大", today, today, 50), "lab", "organizer");
                await drives.RecordLectureAsync(new("BNU-2026"), "英东楼", today, 40, "王老师", "organizer");
                await drives.OpenEnrolmentAsync(new("BNU-2026"), "organizer");
            }

            using var workflows = new LiteDB.LiteDatabase(Path.Combine(folder, "workflows.db"));
            workflows.GetCollectionNames().Should().Contain(["wf_workflows", "wf_events", "wf_log"]);
            using var registry = Registry.Open(new RegistryOptions { DatabasePath = Path.Combine(folder, "registry.db"), RegistryKey = key });
            registry.Drives.Get(new("BNU-2026")).State.Should().Be(DriveState.EnrolmentOpen);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task AddWorkflows_InAGenericHost_PublishesAtStartTheEventsTheRegistryImplies()
    {
        // ADR 24: the lecture was written, then the process stopped before publishing its event; the hosted service
        // that starts the workflows with the next process publishes it, before any facade call.
        var folder = Directory.CreateTempSubdirectory("wf-resume-").FullName;
        try
        {
            var key = RegistryKey.Generate();
            var drive = new DonorRegistry.Donors.DriveId("PKU-2026-09");
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            ServiceCollection Services() => WorkflowServices.In(folder, key);

            await using (var provider = Services().BuildServiceProvider())
            {
                await provider.GetRequiredService<DriveWorkflows>().StartDriveAsync(new DrivePlan(drive, "北大招募", DriveKind.Campus, "红会", "北大", today, today, 50), "lab", "organizer");
                provider.GetRequiredService<Registry>().Drives.RecordLecture(drive, "二教", today, 40, "李医生", "organizer"); // and the process stopped
            }

            await using (var provider = Services().BuildServiceProvider())
            {
                foreach (var hosted in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
                {
                    await hosted.StartAsync(CancellationToken.None);
                }

                provider.GetRequiredService<DonorRegistry.Workflows.Persistence.IWorkflowStore>().FindEventsByKey(drive.Value!).Select(e => e.EventName)
                    .Should().Equal(DriveEvents.LectureHeld);
                foreach (var hosted in provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
                {
                    await hosted.StopAsync(CancellationToken.None);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void AddWorkflows_WithANonPositiveInterval_IsRejectedNamingTheOption()
    {
        var services = new ServiceCollection();
        var builder = services.AddDonorRegistry(o => o.DatabasePath = RegistryOptions.InMemoryPath);

        var act = () => builder.AddWorkflows(o => o.PollInterval = TimeSpan.Zero);

        act.Should().Throw<RegistryValidationException>().WithMessage("*PollInterval*positive*");
    }
}
