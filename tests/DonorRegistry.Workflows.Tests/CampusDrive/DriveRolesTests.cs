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
    private static readonly Actor Service = Actor.For("workflow.campus-drive", Role.Organizer, Role.Coordinator);
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
            o.ServiceActor = Service;
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

    [Test]
    public async Task UnderRequiredRoles_AfterTheLabsResults_TheWorkflowListsAndCloses_AsItsServiceActor()
    {
        var drive = new DriveId("BISU-2026-13");
        await _host.Drives.StartDriveAsync(Plan(drive) with { ListAutomatically = false }, "HLA 实验室", Organizer);
        await _host.Drives.RecordLectureAsync(drive, "报告厅", Today, 120, "李医生", Organizer);
        await _host.Drives.OpenEnrolmentAsync(drive, Organizer);
        var donors = _host.Drives.Enrol(drive, new DonorRegistry.FakeData.Volunteers().Many(2, Today), Organizer);
        var samples = donors.Select((d, i) => _host.Drives.CollectSample(drive, d.Id, $"BISU13-{i:D4}", DonorRegistry.Samples.SampleKind.BloodEdta, Organizer)).ToList();
        await _host.Drives.CloseEnrolmentAsync(drive, Organizer);
        await _host.Drives.DispatchShipmentAsync(drive, Organizer);
        await _host.Drives.RecordSamplesReceivedAsync(drive, LabUser);
        var csv = DonorRegistry.FakeData.LabResults.Csv(samples.Select(s => (s.Barcode, DonorRegistry.FakeData.Volunteers.Typing(Today) with { Lab = "HLA 实验室" })));

        await _host.Drives.ImportTypingResultsAsync(drive, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "HLA 实验室", Today, LabUser);

        (await _host.Drives.WaitUntilClosedAsync(drive, TimeSpan.FromSeconds(20))).Drive.State.Should().Be(DriveState.Closed);
        _registry.Drives.GetHistory(drive).Should().Contain(r => r.To == nameof(DriveState.Closed) && r.Actor == Service.Name);
        donors.Select(d => _registry.Donors.Get(d.Id).State).Should().OnlyContain(s => s == DonorState.Available);
        _registry.Access.History(new AccessQuery(Actor: "lab.chen"), Admin).Should().BeEmpty("nothing acted as the lab user that the lab may not do");
    }

    private DrivePlan Plan(DriveId id) => new(id, "北京第二外国语学院 秋季招募", DriveKind.Campus, "朝阳区红十字会", "北二外报告厅", Today, Today.AddDays(1), 200);
}
