using System.Text;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Hla;
using DonorRegistry.Reporting;
using DonorRegistry.Samples;
using DonorRegistry.Search;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Reporting;

public sealed class ReportOperationsTests
{
    private const string By = "coordinator.li";
    private static readonly DriveId Pku = new("PKU-2026-11");
    private static readonly DriveId Thu = new("THU-2026-11");
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp()
    {
        _fx = new RegistryFixture();
        Scenario();
    }

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private static readonly ReportExportOptions English = new() { Culture = "en" };

    private ReportPeriod Today => new(_fx.Today, _fx.Today);

    /// <summary>
    /// PKU: 3 lectures at 2 venues, 5 enrolled, 6 samples from 5 donors (one re-collected after a rejection),
    /// 5 typed and listed, a search, a case, a donation with a follow-up and a visit, a recognition.
    /// THU: 1 lecture, 2 enrolled, nothing else.
    /// </summary>
    private void Scenario()
    {
        var r = _fx.Registry;
        foreach (var (id, name) in new[] { (Pku, "北京大学"), (Thu, "清华大学") })
        {
            r.Drives.Plan(new DrivePlan(id, name, DriveKind.Campus, "红会", name, _fx.Today, _fx.Today, 100, ListAutomatically: true), By);
            r.Drives.OpenEnrolment(id, By);
        }

        r.Drives.RecordLecture(Pku, "二教 203", _fx.Today, 100, "李医生", By);
        r.Drives.RecordLecture(Pku, "二教 203", _fx.Today, 80, "李医生", By);
        r.Drives.RecordLecture(Pku, "理教 107", _fx.Today, 20, "张医生", By);
        r.Drives.RecordLecture(Thu, "三教", _fx.Today, 50, "王老师", By);
        var pku = r.Drives.EnrolMany(Pku, _fx.Volunteers.Many(5, _fx.Today), By);
        r.Drives.EnrolMany(Thu, _fx.Volunteers.Many(2, _fx.Today), By);
        for (var i = 0; i < 5; i++)
        {
            r.Samples.Collect(pku[i].Id, $"P-{i}", SampleKind.BloodEdta, By);
        }

        r.Samples.Ship("lab", ["P-0", "P-1", "P-2", "P-3", "P-4"], By);
        r.Samples.Reject("P-4", "溶血", "lab");
        r.Samples.Collect(pku[4].Id, "P-4B", SampleKind.BloodEdta, By);
        r.Samples.Ship("lab", ["P-4B"], By);
        var typing = Volunteers.Typing(_fx.Today) with { Lab = "lab" };
        var csv = LabResults.Csv(new[] { "P-0", "P-1", "P-2", "P-3", "P-4B" }.Select(b => (b, typing)));
        r.Samples.ImportTypingResults(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "lab", _fx.Today, By).Listed.Should().Be(5);

        var search = r.Search.Find(new SearchRequest(HlaTyping.FromLoci(typing.Loci)));
        search.Matches.Should().HaveCount(5);
        var matchCase = r.Cases.Open(pku[0].Id, "PAT-0001", By);
        var donation = r.Care.RecordDonation(pku[0].Id, new DonationDetails(matchCase.Id, DonationProduct.Pbsc, _fx.Today, _fx.Today, 5, "人民医院", DonationOutcome.Completed), By);
        r.Care.RecordVisit(pku[0].Id, donation.Visits[0].Key, _fx.Today, "鲜花", null, By);
        r.Care.GivePublicityConsent(pku[0].Id, By);
        r.Care.Recognise(pku[0].Id, RecognitionKind.Certificate, "荣誉证书", _fx.Today, By);
    }

    [Test]
    public void Build_ForTheWholeRegistry_CountsEachStepAndSaysWhereEventsAndPeopleDiffer()
    {
        var report = _fx.Registry.Reports.Build(Today);

        report.Should().BeEquivalentTo(new
        {
            Lectures = 4,
            LectureVenues = 3,
            Attendees = 250,
            Enrolled = 7,
            SamplesCollected = 6,
            DonorsSampled = 5,
            SamplesEntered = 5,
            DonorsListed = 5,
            Searches = (int?)1,
            PotentialMatches = 5,
            CasesOpened = 1,
            Donations = 1,
            DonorsWhoDonated = 1,
            VisitsDone = 1,
            Recognitions = 1,
            RecognitionsPublishable = 1,
        });
        report.CasesByStage.Should().Equal(new Dictionary<CaseState, int> { [CaseState.PotentialMatch] = 1 });
        report.Lines().Should().Contain(l => l.Metric == "samples_collected" && l.Counts == ReportCounts.Events && l.Value == 6)
            .And.Contain(l => l.Metric == "donors_sampled" && l.Counts == ReportCounts.People && l.Value == 5)
            .And.Contain(l => l.Metric == "lecture_venues" && l.Counts == ReportCounts.Places && l.Value == 3);
    }

    [Test]
    public void FollowUpsOverdue_InAnUnfinishedPeriod_CountsOnlyCheckUpsDueBeforeTheReportDate_AndAgreesWithFindOverdueFollowUps()
    {
        var donation = _fx.Registry.Care.FindCollectedBetween(_fx.Today, _fx.Today).Single();
        var first = donation.FollowUps.Min(f => f.DueOn);
        var wholeYears = new ReportPeriod(_fx.Today, _fx.Today.AddYears(20));
        var dueInPeriod = donation.FollowUps.Count(f => wholeYears.Contains(f.DueOn));
        dueInPeriod.Should().BePositive("the scenario's donation has check-ups due in the period");

        _fx.Registry.Reports.Build(wholeYears).FollowUpsOverdue.Should().Be(0, "no check-up is due before the report date");

        // The day after the first check-up falls due, with it not done: exactly that one is overdue, as the coordinator's list says.
        _fx.Clock.SetUtcNow(new DateTimeOffset(first.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        var today = first.AddDays(1);
        var listed = _fx.Registry.Care.FindOverdueFollowUps(today).SelectMany(r => r.FollowUps.Where(f => f.IsOverdueOn(today))).Count();
        _fx.Registry.Reports.Build(wholeYears).FollowUpsOverdue.Should().Be(1).And.Be(listed);

        // On the period's last day, the report and FindOverdueFollowUps agree.
        var lastDay = new ReportPeriod(_fx.Today.AddDays(-1), today);
        _fx.Registry.Reports.Build(lastDay).FollowUpsOverdue.Should().Be(listed);

        // A period that ended before the check-up was done counts it overdue; done within the period, it is not.
        var closed = new ReportPeriod(first, first);
        _fx.Registry.Reports.Build(closed).FollowUpsOverdue.Should().Be(1);
        var key = donation.FollowUps.First(f => f.DueOn == first).Key;
        _fx.Registry.Care.RecordFollowUp(donation.Id, key, today, DonorHealth.Well, null, null, By);
        _fx.Registry.Reports.Build(closed).FollowUpsOverdue.Should().Be(1, "it was done the day after the period ended");
        _fx.Registry.Reports.Build(wholeYears).FollowUpsOverdue.Should().Be(0);
    }

    [Test]
    public void Enrolled_IsALineOfEnrolments_Events_NotPeople()
    {
        _fx.Registry.Reports.Build(Today).Lines().Should().ContainSingle(l => l.Metric == "enrolled")
            .Which.Should().BeEquivalentTo(new { Counts = ReportCounts.Events, Value = 7 });
    }

    [Test]
    public void ADonorSampledTypedAndListed_ThroughThePublicVerbs_IsCountedOnEveryLine()
    {
        // The only public way to record a sample and its typing is Registry.Samples (the donor-level shortcuts are
        // internal, see the next test), so a donor walked to Available through the public verbs is counted as
        // collected, sampled, entered and listed.
        using var fx = new RegistryFixture();
        var donor = fx.Enrol();
        fx.Registry.Samples.Collect(donor.Id, "T-1", SampleKind.BloodEdta, By);
        fx.Registry.Samples.Ship("lab", ["T-1"], By);
        fx.Registry.Samples.Receive(["T-1"], By);
        fx.Registry.Samples.RecordTyping("T-1", Volunteers.Typing(fx.Today), By);
        fx.Registry.Donors.List(donor.Id, By);

        fx.Registry.Reports.Build(new ReportPeriod(fx.Today, fx.Today)).Should().BeEquivalentTo(new
        {
            Enrolled = 1,
            SamplesCollected = 1,
            DonorsSampled = 1,
            SamplesEntered = 1,
            DonorsListed = 1,
        });
    }

    [Test]
    public void NoPublicVerb_OutsideSamples_RecordsASampleOrATypingOnADonor()
    {
        // A public donor-level verb that moved a donor to SampleCollected or Typed would skip the sample record and
        // the report's per-day counts (issue 14's finding): only Registry.Samples may take those steps.
        var shortcuts = typeof(Registry).Assembly.GetExportedTypes()
            .Where(t => t != typeof(SampleOperations))
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(m => m.Name is "RecordSampleCollected" or "RecordSampleRejected" or "RecordTyping" or "CollectSample" or "RecordSample")
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");

        shortcuts.Should().BeEmpty();
        typeof(DonorOperations).GetMethod(nameof(DonorOperations.RecordSampleCollected), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            .Should().NotBeNull("the test would pass vacuously if the internal shortcut were renamed");
    }

    [Test]
    public void Build_ForOneDrive_CountsOnlyItsWork()
    {
        var report = _fx.Registry.Reports.Build(Today, Thu);

        report.Should().BeEquivalentTo(new { Lectures = 1, Attendees = 50, Enrolled = 2, SamplesCollected = 0, DonorsListed = 0, Searches = (int?)null, Donations = 0 });
        _fx.Registry.Reports.Build(Today, Pku).Should().BeEquivalentTo(new { Enrolled = 5, SamplesCollected = 6, PotentialMatches = 1, Donations = 1 });
    }

    [Test]
    public void DonorsSampled_InALaterPeriod_CountsADonorFirstSampledEarlierWhoGaveAgain()
    {
        var donor = _fx.Registry.Drives.Enrol(Pku, _fx.Volunteers.Next(_fx.Today), By);
        _fx.Registry.Samples.Collect(donor.Id, "LATE-1", SampleKind.BloodEdta, By);
        _fx.Registry.Samples.Reject("LATE-1", "标签错误", "lab");
        _fx.Clock.Advance(TimeSpan.FromDays(30));

        _fx.Registry.Samples.Collect(donor.Id, "LATE-2", SampleKind.BloodEdta, By);

        var later = _fx.Registry.Reports.Build(new ReportPeriod(_fx.Today, _fx.Today));
        later.Should().BeEquivalentTo(new { SamplesCollected = 1, DonorsSampled = 1, Enrolled = 0 });
        var both = _fx.Registry.Reports.Build(new ReportPeriod(_fx.Today.AddDays(-30), _fx.Today));
        both.Should().BeEquivalentTo(new { SamplesCollected = 8, DonorsSampled = 6, Enrolled = 8 });
    }

    [Test]
    public void Build_ForAPeriodBeforeAnything_IsAllZero()
    {
        var report = _fx.Registry.Reports.Build(new ReportPeriod(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)));

        report.Lines().Should().OnlyContain(l => l.Value == 0);
    }

    [Test]
    public void ReportPeriod_EndingBeforeItStarts_IsRejectedWithBothDays()
    {
        var act = () => new ReportPeriod(new DateOnly(2026, 12, 31), new DateOnly(2026, 1, 1));

        act.Should().Throw<RegistryValidationException>().WithMessage("*ends (2026-01-01) before it starts (2026-12-31)*");
    }

    [Test]
    public void Build_ForAnUnknownDrive_IsRejected()
    {
        var act = () => _fx.Registry.Reports.Build(Today, new DriveId("NOPE"));

        act.Should().Throw<UnknownDriveException>();
    }

    [Test]
    public void Counts_SurviveARestart()
    {
        _fx.Reopen();

        _fx.Registry.Reports.Build(Today).Should().BeEquivalentTo(new { Enrolled = 7, DonorsListed = 5 });
    }

    [Test]
    public void WriteCsv_WritesAHeaderAndALinePerNumber()
    {
        var report = _fx.Registry.Reports.Build(Today);
        using var buffer = new MemoryStream();

        ReportExport.WriteCsv(report, buffer, English);

        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Period,Drive,Section,Line,Code,Counts,Value,Meaning");
        lines.Should().Contain("2026-11-29..2026-11-29,(registry),Recruitment,Samples collected,samples_collected,events,6,\"blood samples collected, re-collections included\"");
        lines.Should().HaveCount(report.Lines().Count + 1);
    }

    [Test]
    public void WriteDrivesCsv_ComparesDrivesByYield()
    {
        var drives = _fx.Registry.Reports.CompareDrives(Today);
        using var buffer = new MemoryStream();

        ReportExport.WriteDrivesCsv(drives, buffer, English);

        drives.Select(d => d.Drive).Should().Equal(Pku, Thu);
        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("Code,Name,Kind,Venue,Starts,Ends,Target,Lectures,Attendees,Enrolled,");
        lines[1].Should().Be("PKU-2026-11,北京大学,Campus,北京大学,2026-11-29,2026-11-29,100,3,200,5,6,5,1,5,5,5.0%,2.5%,100.0%", "a drive shows its name, kind, venue, days and target, and its conversions as percentages");
    }

    [Test]
    public void WriteRecognitionsCsv_HasOnlyConsentingDonors_AndHidesTheCollectionInsideTheAnonymityPeriod()
    {
        var entries = _fx.Registry.Care.FindPublishableRecognitions(_fx.Today, _fx.Today);
        using var buffer = new MemoryStream();

        ReportExport.WriteRecognitionsCsv(entries, buffer, English);

        var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[1].Should().Be("REC-00000001,DR-00000001,Certificate,荣誉证书,2026-11-29,2026,PBSC,,,2028-11-28");

        _fx.Registry.Care.WithdrawPublicityConsent(new DonorId(1), By);
        using var after = new MemoryStream();
        ReportExport.WriteRecognitionsCsv(_fx.Registry.Care.FindPublishableRecognitions(_fx.Today, _fx.Today), after, English);
        Encoding.UTF8.GetString(after.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle("only the header is left");
    }

    [Test]
    public void Charts_AreWrittenAsPngFiles()
    {
        var report = _fx.Registry.Reports.Build(Today);
        var funnel = Path.Combine(_fx.Folder, "charts", "funnel.png");
        var months = Path.Combine(_fx.Folder, "charts", "donations.png");
        var drives = Path.Combine(_fx.Folder, "charts", "drives.png");

        ReportCharts.RecruitmentFunnel(report, funnel);
        ReportCharts.DonationsPerMonth(2026, _fx.Registry.Reports.DonationsPerMonth(2026), months);
        ReportCharts.DrivesByYield(_fx.Registry.Reports.CompareDrives(Today), drives);

        foreach (var file in new[] { funnel, months, drives })
        {
            File.ReadAllBytes(file).Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, file + " is a PNG");
        }

        _fx.Registry.Reports.DonationsPerMonth(2026)[10].Should().Be(1);
    }
}
