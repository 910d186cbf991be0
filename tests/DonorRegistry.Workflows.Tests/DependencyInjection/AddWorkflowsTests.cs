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
    public void AddWorkflows_WithANonPositiveInterval_IsRejectedNamingTheOption()
    {
        var services = new ServiceCollection();
        var builder = services.AddDonorRegistry(o => o.DatabasePath = RegistryOptions.InMemoryPath);

        var act = () => builder.AddWorkflows(o => o.PollInterval = TimeSpan.Zero);

        act.Should().Throw<ArgumentException>().WithMessage("*PollInterval*positive*");
    }
}
