using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Drives;

public sealed class DriveOperationsTests
{
    private const string By = "organizer.wang";
    private static readonly DriveId Pku = new("PKU-2026-03");
    private RegistryFixture _fx = null!;

    private DriveOperations Drives => _fx.Registry.Drives;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private DrivePlan Plan(DriveId? id = null, bool autoList = true) =>
        new(id ?? Pku, "北京大学 2026 春季招募", DriveKind.Campus, "海淀区红十字会", "北京大学百年纪念讲堂", _fx.Today, _fx.Today.AddDays(2), 300, autoList);

    [Test]
    public void Plan_ThenOpenCloseAndClose_WalksTheLifecycleWithAnAuditRecordEach()
    {
        Drives.Plan(Plan(), By);
        Drives.OpenEnrolment(Pku, By);
        Drives.CloseEnrolment(Pku, By);
        var closed = Drives.Close(Pku, By);

        closed.Should().Match<Drive>(d => d.State == DriveState.Closed && d.Version == 4);
        Drives.GetHistory(Pku).Select(t => t.Action).Should().Equal("Plan", "OpenEnrolment", "CloseEnrolment", "Close");
        _fx.Reopen();
        Drives.Get(Pku).Plan.Should().Be(Plan());
    }

    [Test]
    public void Plan_ADuplicateCode_IsRejectedWithTheCodeAndTheOtherDrivesName()
    {
        Drives.Plan(Plan(), By);

        var act = () => Drives.Plan(Plan() with { Name = "另一个" }, By);

        act.Should().Throw<RegistryValidationException>().WithMessage("*PKU-2026-03*北京大学 2026 春季招募*");
        Drives.Get(Pku).Plan.Name.Should().Be("北京大学 2026 春季招募");
    }

    [TestCase(0, 1, "Drive.Target")]
    [TestCase(300, -1, "Drive.EndsOn")]
    [TestCase(300, 400, "Drive.EndsOn")]
    public void Plan_OutOfRangeValues_AreRejectedNamingTheField(int target, int days, string field)
    {
        var act = () => Drives.Plan(Plan() with { Target = target, EndsOn = _fx.Today.AddDays(days) }, By);

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be(field);
        Drives.FindAll().Should().BeEmpty();
    }

    [Test]
    public void Plan_BlankVenue_IsRejected()
    {
        var act = () => Drives.Plan(Plan() with { Venue = " " }, By);

        act.Should().Throw<RegistryValidationException>().WithMessage("*Drive.Venue*");
    }

    [Test]
    public void CloseEnrolment_WhilePlanned_IsRefusedNamingWhatIsAllowed()
    {
        Drives.Plan(Plan(), By);

        var act = () => Drives.CloseEnrolment(Pku, By);

        act.Should().Throw<InvalidDriveTransitionException>().WithMessage("*Planned*CloseEnrolment*OpenEnrolment, Cancel*");
        Drives.Get(Pku).Version.Should().Be(1);
    }

    [Test]
    public void AnyStep_OnAnUnknownDrive_ThrowsDriveNotFound()
    {
        var act = () => Drives.OpenEnrolment(new DriveId("NOPE"), By);

        act.Should().Throw<UnknownDriveException>().WithMessage("*NOPE*");
    }

    [Test]
    public void Enrol_WhileEnrolmentIsOpen_TagsTheDonorWithTheDrive()
    {
        Drives.Plan(Plan(), By);
        Drives.OpenEnrolment(Pku, By);

        var donor = Drives.Enrol(Pku, _fx.Volunteers.Next(_fx.Today), By);

        donor.Profile.Drive.Should().Be(Pku);
        _fx.Donors.FindByDrive(Pku).Should().ContainSingle();
    }

    [Test]
    public void Enrol_BeforeEnrolmentOpens_IsRefusedAndNoDonorIsStored()
    {
        Drives.Plan(Plan(), By);

        var act = () => Drives.Enrol(Pku, _fx.Volunteers.Next(_fx.Today), By);

        act.Should().Throw<InvalidDriveTransitionException>().WithMessage("*Planned*cannot Enrol*enrolment is open*");
        _fx.Donors.Count().Should().Be(0);
    }

    [Test]
    public void Enrol_AProfileNamingAnotherDrive_IsRejected()
    {
        Drives.Plan(Plan(), By);
        Drives.OpenEnrolment(Pku, By);

        var act = () => Drives.Enrol(Pku, _fx.Volunteers.Next(_fx.Today, new DriveId("THU-2026")), By);

        act.Should().Throw<RegistryValidationException>().WithMessage("*THU-2026*PKU-2026-03*");
        _fx.Donors.Count().Should().Be(0);
    }

    [Test]
    public void RecordLecture_ForADriveAndAlone_AreNumberedAndFoundByDriveAndByPeriod()
    {
        Drives.Plan(Plan(), By);

        var first = Drives.RecordLecture(Pku, "北大二教 203", _fx.Today, 120, "李医生", By);
        var alone = Drives.RecordLecture(null, "朝阳社区中心", _fx.Today.AddDays(-3), 40, "王老师", By);

        first.Id.Should().Be("LEC-00000001");
        alone.Id.Should().Be("LEC-00000002");
        Drives.FindLectures(Pku).Should().Equal(first);
        Drives.FindLectures(_fx.Today.AddDays(-7), _fx.Today).Should().Equal(alone, first);
    }

    [Test]
    public void RecordLecture_InTheFuture_IsRejectedWithTheDay()
    {
        var act = () => Drives.RecordLecture(null, "北大", _fx.Today.AddDays(1), 10, "李医生", By);

        act.Should().Throw<RegistryValidationException>().WithMessage("*2026-11-30*");
    }

    [TestCase(0)]
    [TestCase(100_001)]
    public void RecordLecture_AudienceOutOfRange_IsRejected(int audience)
    {
        var act = () => Drives.RecordLecture(null, "北大", _fx.Today, audience, "李医生", By);

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("Lecture.Audience");
    }

    [Test]
    public void RecordLecture_ForAClosedDrive_IsRefused()
    {
        Drives.Plan(Plan(), By);
        Drives.Cancel(Pku, "场地取消", By);

        var act = () => Drives.RecordLecture(Pku, "北大", _fx.Today, 10, "李医生", By);

        act.Should().Throw<InvalidDriveTransitionException>().WithMessage("*Cancelled*lecture*");
        Drives.FindLectures(Pku).Should().BeEmpty();
    }

    [Test]
    public void FindLectures_PeriodEndingBeforeItStarts_IsRejected()
    {
        var act = () => Drives.FindLectures(_fx.Today, _fx.Today.AddDays(-1));

        act.Should().Throw<RegistryValidationException>().WithMessage("*ends*before*");
    }

    [Test]
    public void GetStatistics_CountsEachStepOfTheFunnelAndTheConversions()
    {
        Drives.Plan(Plan(autoList: false), By);
        Drives.RecordLecture(Pku, "北大二教 203", _fx.Today, 150, "李医生", By);
        Drives.RecordLecture(Pku, "北大理教 107", _fx.Today, 50, "李医生", By);
        Drives.OpenEnrolment(Pku, By);
        var donors = Drives.EnrolMany(Pku, _fx.Volunteers.Many(10, _fx.Today), By);
        var samples = _fx.Registry.Samples;
        for (var i = 0; i < 8; i++)
        {
            samples.Collect(donors[i].Id, $"PKU-{i}", SampleKind.BloodEdta, By);
        }

        samples.Ship("HLA 实验室", Enumerable.Range(0, 8).Select(i => $"PKU-{i}").ToList(), By);
        samples.Reject("PKU-7", "溶血", "lab");
        samples.Collect(donors[7].Id, "PKU-7B", SampleKind.BloodEdta, By);
        samples.Receive(Enumerable.Range(0, 6).Select(i => $"PKU-{i}").ToList(), "lab");
        for (var i = 0; i < 6; i++)
        {
            samples.RecordTyping($"PKU-{i}", FakeData.Volunteers.Typing(_fx.Today), "lab");
        }

        Drives.CloseEnrolment(Pku, By);
        var listed = Drives.ListTypedDonors(Pku, By);

        listed.Should().HaveCount(6);
        Drives.ListTypedDonors(Pku, By).Should().BeEmpty("listing again changes nothing");
        var stats = Drives.GetStatistics(Pku);
        (stats with { Plan = null }).Should().Be(new DriveStatistics(Pku, 2, 200, 10, 9, 8, 1, 6, 6));
        stats.Plan.Should().Be(Drives.Get(Pku).Plan, "the statistics carry the drive's plan, for exports that show its name, venue, days and target");
        stats.AttendeesToEnrolled.Should().Be(0.05);
        stats.EnrolledToSampled.Should().Be(0.8);
        stats.SampledToTyped.Should().Be(0.75);
        stats.TypedToListed.Should().Be(1.0);
    }

    [Test]
    public void GetStatistics_ADonorListedThenRemoved_StillCountsAsListed()
    {
        Drives.Plan(Plan(), By);
        Drives.OpenEnrolment(Pku, By);
        var donor = Drives.Enrol(Pku, _fx.Volunteers.Next(_fx.Today), By);
        _fx.Donors.RecordSampleCollected(donor.Id, "T-1", By);
        _fx.Donors.RecordTyping(donor.Id, FakeData.Volunteers.Typing(_fx.Today), By);
        _fx.Donors.List(donor.Id, By);
        _fx.Donors.Remove(donor.Id, RemovalReason.Moved, "搬家", By);

        Drives.GetStatistics(Pku).DonorsListed.Should().Be(1);
    }

    [Test]
    public void ToMermaid_MatchesTheApprovedDiagramAndTheDocs()
    {
        var mermaid = DriveLifecycle.ToMermaid();

        mermaid.Should().Contain("Planned --> EnrolmentOpen : OpenEnrolment").And.Contain("AwaitingResults --> Closed : Close");
        Approvals.Verify(mermaid, Path.Combine(TestContext.CurrentContext.TestDirectory, "Drives", "DriveLifecycle.approved.mmd"), "Drives/DriveLifecycle.approved.mmd");
        File.ReadAllText(Path.Combine(Approvals.RepositoryRoot(), "docs", "lifecycle.md")).ReplaceLineEndings("\n")
            .Should().Contain(mermaid.ReplaceLineEndings("\n").Trim());
    }
}
