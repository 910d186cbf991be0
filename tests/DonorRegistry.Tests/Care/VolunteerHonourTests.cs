using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Reporting;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Care;

/// <summary>Outstanding drive volunteers named for festival visits: records of their own, apart from donors.</summary>
public sealed class VolunteerHonourTests
{
    private const string By = "director.zhang";
    private static readonly DriveId Bisu = new("BISU-20261120");
    private RegistryFixture _fx = null!;

    private CareOperations Care => _fx.Registry.Care;

    [SetUp]
    public void SetUp()
    {
        _fx = new RegistryFixture();
        _fx.Registry.Drives.Plan(new DrivePlan(Bisu, "北京第二外国语学院秋季招募", DriveKind.Campus, "朝阳区红十字会", "北二外报告厅", _fx.Today, _fx.Today, 100), By);
    }

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void NameOutstandingVolunteer_MakesTheNextSpringAndMidAutumnFestivalVisitsDue_AndAuditsIt()
    {
        var honour = Care.NameOutstandingVolunteer("王芳", Bisu, "组织校园宣讲和采样", _fx.Today, By);

        honour.Id.Should().Be("VOL-00000001");
        honour.Version.Should().Be(1);
        honour.Visits.Select(v => (v.Key, v.DueOn, v.State)).Should().Equal(
            ("SpringFestival-2027", new DateOnly(2027, 2, 6), VisitState.Due),
            ("MidAutumnFestival-2027", ObservanceCalendar.MidAutumnFestival(2027), VisitState.Due));
        _fx.Registry.GetHistory(AggregateKind.Volunteer, honour.Id).Should().ContainSingle(r => r.Action == "NameVolunteer" && r.Actor == By);
        Care.FindVolunteerHonours(_fx.Today, _fx.Today).Should().ContainSingle().Which.Name.Should().Be("王芳");
    }

    [Test]
    public void NamedVolunteers_AreInNoDonorFigure_AndTheRegistryVerifiesClean()
    {
        var before = _fx.Registry.Reports.Build(new ReportPeriod(_fx.Today, _fx.Today));
        var donors = _fx.Donors.Count();

        var honour = Care.NameOutstandingVolunteer("王芳", Bisu, "组织校园宣讲和采样", _fx.Today, By);
        _fx.Clock.Advance(TimeSpan.FromDays(70));
        Care.RecordVolunteerVisit(honour.Id, "SpringFestival-2027", new DateOnly(2027, 2, 6), "节日慰问品", "coordinator.wang", expectedVersion: 1);

        _fx.Donors.Count().Should().Be(donors);
        _fx.Registry.Reports.Build(new ReportPeriod(before.Period.From, before.Period.To)).Should().BeEquivalentTo(before, "a volunteer is no donor: no donor figure, visit or recognition counts them");
        _fx.Registry.Reports.Build(ReportPeriod.Year(2027)).VisitsDone.Should().Be(0, "a volunteer's festival visit is not a donor's appreciation visit");
        _fx.Registry.Verify().Problems.Should().BeEmpty();
    }

    [Test]
    public void RecordVolunteerVisit_IsStored_AndSurvivesAReopen()
    {
        var honour = Care.NameOutstandingVolunteer("王芳", null, "组织社区宣讲", _fx.Today, By);
        _fx.Clock.Advance(TimeSpan.FromDays(70));

        var visited = Care.RecordVolunteerVisit(honour.Id, "SpringFestival-2027", new DateOnly(2027, 2, 7), "鲜花", "coordinator.wang");
        _fx.Reopen();

        visited.Version.Should().Be(2);
        Care.GetVolunteerHonour(honour.Id).Visits[0].Should().Match<AppreciationVisit>(v => v.State == VisitState.Visited && v.On == new DateOnly(2027, 2, 7) && v.Gifts == "鲜花" && v.By == "coordinator.wang");
        _fx.Registry.GetHistory(AggregateKind.Volunteer, honour.Id).Select(r => r.Action).Should().Equal("NameVolunteer", "RecordVisit");
    }

    [Test]
    public void RecordVolunteerVisit_AtAStaleVersion_IsRefused_AndNothingChanges()
    {
        var honour = Care.NameOutstandingVolunteer("王芳", Bisu, "组织校园宣讲和采样", _fx.Today, By);
        _fx.Clock.Advance(TimeSpan.FromDays(70));
        Care.SkipVolunteerVisit(honour.Id, "SpringFestival-2027", "志愿者在外地", "coordinator.wang");

        var act = () => Care.RecordVolunteerVisit(honour.Id, "MidAutumnFestival-2027", new DateOnly(2027, 2, 7), null, "coordinator.wang", expectedVersion: 1);

        act.Should().Throw<ConcurrentUpdateException>();
        Care.GetVolunteerHonour(honour.Id).Should().Match<VolunteerHonour>(h => h.Version == 2 && h.Visits[1].State == VisitState.Due);
    }

    [Test]
    public void RecordVolunteerVisit_Twice_IsACareRule_AndAnUnknownKeyNamesTheVisits()
    {
        var honour = Care.NameOutstandingVolunteer("王芳", Bisu, "组织校园宣讲和采样", _fx.Today, By);
        _fx.Clock.Advance(TimeSpan.FromDays(70));
        Care.RecordVolunteerVisit(honour.Id, "SpringFestival-2027", new DateOnly(2027, 2, 6), null, "coordinator.wang");

        FluentActions.Invoking(() => Care.RecordVolunteerVisit(honour.Id, "SpringFestival-2027", new DateOnly(2027, 2, 7), null, "coordinator.wang"))
            .Should().Throw<CareRuleException>().WithMessage("*already Visited*");
        FluentActions.Invoking(() => Care.SkipVolunteerVisit(honour.Id, "Christmas-2027", "无", "coordinator.wang"))
            .Should().Throw<CareRuleException>().WithMessage("*SpringFestival-2027, MidAutumnFestival-2027*");
    }

    [TestCase("", "组织宣讲", "name")]
    [TestCase("王芳", " ", "reason")]
    [TestCase("王\u0007芳", "组织宣讲", "name")]
    public void NameOutstandingVolunteer_WithABadValue_IsRefused_AndStoresNothing(string name, string reason, string field)
    {
        var act = () => Care.NameOutstandingVolunteer(name, Bisu, reason, _fx.Today, By);

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be(field);
        Care.FindVolunteerHonours(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31)).Should().BeEmpty();
    }

    [Test]
    public void NameOutstandingVolunteer_OnAFutureDayOrForAnUnknownDrive_IsRefused_AndStoresNothing()
    {
        FluentActions.Invoking(() => Care.NameOutstandingVolunteer("王芳", Bisu, "组织宣讲", _fx.Today.AddDays(1), By))
            .Should().Throw<RegistryValidationException>().Which.Field.Should().Be("VolunteerHonour.NamedOn");
        FluentActions.Invoking(() => Care.NameOutstandingVolunteer("王芳", new DriveId("NONE-1"), "组织宣讲", _fx.Today, By))
            .Should().Throw<UnknownDriveException>();

        Care.FindVolunteerHonours(new DateOnly(2000, 1, 1), new DateOnly(2100, 12, 31)).Should().BeEmpty();
        FluentActions.Invoking(() => Care.GetVolunteerHonour("VOL-00000001")).Should().Throw<VolunteerHonourNotFoundException>().WithMessage("*VOL-00000001*");
    }

    [Test]
    public void APolicyWithoutVolunteerOccasions_NamesNoVolunteers_AndAPolicyWithADonationOccasionIsRefused()
    {
        using var none = new RegistryFixture(configure: o => o.Care.Appreciation.VolunteerOccasions = []);
        FluentActions.Invoking(() => none.Registry.Care.NameOutstandingVolunteer("王芳", null, "组织宣讲", none.Today, By))
            .Should().Throw<CareRuleException>().WithMessage("*VolunteerOccasions is empty*");

        var act = () => new RegistryFixture(configure: o => o.Care.Appreciation.VolunteerOccasions = [AppreciationOccasion.AtDonation]);
        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("VolunteerOccasions");
    }

    [Test]
    public void WriteVolunteersCsv_ListsEachFestivalVisit_InChineseWithAByteOrderMark()
    {
        var honour = Care.NameOutstandingVolunteer("王芳", Bisu, "组织校园宣讲和采样", _fx.Today, By);
        using var buffer = new MemoryStream();

        ReportExport.WriteVolunteersCsv([honour], buffer);

        var bytes = buffer.ToArray();
        bytes.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF });
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("编号,志愿者,活动,表现,提名日,节日,慰问日,状态,慰问日期");
        lines[1].Should().Be("VOL-00000001,王芳,BISU-20261120,组织校园宣讲和采样,2026-11-29,春节,2027-02-06,待慰问,");
        lines.Should().HaveCount(3);
    }
}
