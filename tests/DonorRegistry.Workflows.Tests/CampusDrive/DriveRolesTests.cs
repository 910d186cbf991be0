using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.CampusDrive;

/// <summary>A drive's workflow under a registry that requires roles: its steps act as the user who raised each event.</summary>
public sealed class DriveRolesTests
{
    private static readonly Actor Organizer = Actor.For("organizer.wang", Role.Organizer);
    private static readonly Actor LabUser = Actor.For("lab.chen", Role.Lab);
    private static readonly Actor Admin = Actor.For("admin.zhao", Role.Administrator);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));
    private string _folder = null!;
    private Registry _registry = null!;
    private RegistryWorkflowHost _host = null!;

    private DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    [SetUp]
    public void SetUp()
    {
        _folder = Directory.CreateTempSubdirectory("drive-roles-tests-").FullName;
        _registry = Registry.Create(new RegistryOptions
        {
            DatabasePath = Path.Combine(_folder, "registry.db"),
            RegistryKey = RegistryKey.Generate(),
            TimeProvider = _clock,
            RequireRoles = true,
        });
        _host = RegistryWorkflowHost.Start(_registry, o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.ErrorRetryInterval = TimeSpan.FromMilliseconds(100);
            o.StepTimeout = TimeSpan.FromSeconds(20);
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        await _host.DisposeAsync();
        _registry.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task UnderRequiredRoles_TheStepOfAnOrganizersEvent_ActsAsTheOrganizer()
    {
        var drive = new DriveId("BISU-2026-11");
        await _host.Drives.StartDriveAsync(Plan(drive), "HLA 实验室", Organizer);
        await _host.Drives.RecordLectureAsync(drive, "报告厅", Today, 120, "李医生", Organizer);

        var opened = await _host.Drives.OpenEnrolmentAsync(drive, Organizer);

        opened.State.Should().Be(DriveState.EnrolmentOpen);
        _registry.Drives.GetHistory(drive).Should().Contain(r => r.To == nameof(DriveState.EnrolmentOpen) && r.Actor == "organizer.wang");
    }

    [Test]
    public async Task UnderRequiredRoles_ALabUserOpeningEnrolment_IsRefusedAtOnce_AndTheRefusalIsLogged()
    {
        var drive = new DriveId("BISU-2026-12");
        await _host.Drives.StartDriveAsync(Plan(drive), "HLA 实验室", Organizer);

        var open = () => _host.Drives.OpenEnrolmentAsync(drive, LabUser);

        (await open.Should().ThrowAsync<AccessDeniedException>()).Which.Message.Should().Contain("lab.chen").And.Contain(nameof(RegistryAction.OpenDriveEnrolment));
        _registry.Drives.Get(drive).State.Should().Be(DriveState.Planned);
        _registry.Access.History(new AccessQuery(Actor: "lab.chen"), Admin).Should().ContainSingle(r => r.Outcome == AccessOutcome.Denied && r.Action == RegistryAction.OpenDriveEnrolment);
    }

    private DrivePlan Plan(DriveId id) => new(id, "北京第二外国语学院 秋季招募", DriveKind.Campus, "朝阳区红十字会", "北二外报告厅", Today, Today.AddDays(1), 200);
}
