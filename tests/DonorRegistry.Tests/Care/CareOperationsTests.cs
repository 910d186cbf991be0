using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Care;

public sealed class CareOperationsTests
{
    private const string By = "coordinator.li";
    private RegistryFixture _fx = null!;

    private CareOperations Care => _fx.Registry.Care;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    /// <summary>A listed donor reserved by a new case for <paramref name="patient"/>.</summary>
    private (Donor Donor, MatchCase Case) Reserved(string patient = "PAT-0001", Donor? donor = null)
    {
        donor ??= _fx.DonorIn(DonorState.Available);
        var matchCase = _fx.Registry.Cases.Open(donor.Id, patient, By);
        return (_fx.Donors.Get(donor.Id), matchCase);
    }

    private DonationDetails Pbsc(CaseReference @case, DateOnly? end = null, int days = 1) =>
        new(@case, DonationProduct.Pbsc, (end ?? _fx.Today).AddDays(-days + 1), end ?? _fx.Today, 5, "北京大学人民医院采集中心", DonationOutcome.Completed,
            [new AdverseEvent("G-CSF 后骨痛 (bone pain)", AdverseEventSeverity.Mild, (end ?? _fx.Today).AddDays(-days - 2))]);

    [Test]
    public void RecordDonation_ForAReservedDonor_MarksThemDonatedAndSchedulesFollowUpsAndVisits()
    {
        var (donor, matchCase) = Reserved();

        var record = Care.RecordDonation(donor.Id, Pbsc(matchCase.Id), By);

        record.Id.Should().Be("DON-00000001");
        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Donated);
        record.FollowUps.Select(f => (f.Key, f.DueOn)).Take(5).Should().Equal(
            ("D2", new DateOnly(2026, 12, 1)), ("W1", new DateOnly(2026, 12, 6)), ("M1", new DateOnly(2026, 12, 29)), ("M6", new DateOnly(2027, 5, 29)), ("Y1", new DateOnly(2027, 11, 29)));
        record.FollowUps.Should().HaveCount(14).And.Contain(f => f.Key == "Y10" && f.DueOn == new DateOnly(2036, 11, 29));
        record.Visits.Select(v => (v.Key, v.DueOn)).Should().Equal(
            ("AtDonation-20261129", new DateOnly(2026, 11, 29)),
            ("AfterDonation-20261129", new DateOnly(2026, 12, 13)),
            ("SpringFestival-2027", new DateOnly(2027, 2, 6)),
            ("MidAutumnFestival-2027", new DateOnly(2027, 9, 15)),
            ("WorldMarrowDonorDay-2027", new DateOnly(2027, 9, 18)));
    }

    [Test]
    public void RecordDonation_AfterTheCaseRecordedTheCollection_AttachesTheDetailsWithoutASecondTransition()
    {
        var (donor, matchCase) = Reserved();
        _fx.Donors.RecordDonation(donor.Id, DonationProduct.Pbsc, _fx.Today, By);
        var version = _fx.Donors.Get(donor.Id).Version;

        Care.RecordDonation(donor.Id, Pbsc(matchCase.Id), By);

        _fx.Donors.Get(donor.Id).Version.Should().Be(version);
        var again = () => Care.RecordDonation(donor.Id, Pbsc(matchCase.Id), By);
        again.Should().Throw<CareRuleException>().WithMessage("*already recorded as DON-00000001*");
    }

    [Test]
    public void RecordDonation_ForAnotherDonorsCase_IsRefused()
    {
        var (_, otherCase) = Reserved("PAT-0009");
        var (donor, _) = Reserved();

        var act = () => Care.RecordDonation(donor.Id, Pbsc(otherCase.Id), By);

        act.Should().Throw<CareRuleException>().WithMessage($"*{otherCase.Id}*not donor {donor.Id}*");
        Care.FindByDonor(donor.Id).Should().BeEmpty();
        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Reserved);
    }

    [Test]
    public void SubsequentDonation_InsideTheRestPeriod_IsRefusedWithTheFirstAllowedDay()
    {
        var (donor, first) = Reserved();
        Care.RecordDonation(donor.Id, Pbsc(first.Id), By);
        _fx.Clock.Advance(TimeSpan.FromDays(100));
        _fx.Donors.ApplyCalendar(_fx.Clock.GetUtcNow());
        var (_, second) = Reserved("PAT-0001", _fx.Donors.Get(donor.Id));
        var backdated = new DateOnly(2027, 2, 10);

        var act = () => Care.RecordDonation(donor.Id, new DonationDetails(second.Id, DonationProduct.Lymphocytes, backdated, backdated, null, "人民医院", DonationOutcome.Completed), By);

        act.Should().Throw<CareRuleException>().WithMessage("*rest after it is 3 month(s)*can start on 2027-02-28, not 2027-02-10*");
        Care.FindByDonor(donor.Id).Should().ContainSingle();
        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Reserved);
    }

    [Test]
    public void SubsequentDonation_AfterTheRestForTheSamePatient_IsRecorded_AndForAnotherPatientIsRefused()
    {
        var (donor, first) = Reserved();
        var firstEnd = _fx.Today;
        Care.RecordDonation(donor.Id, Pbsc(first.Id), By);
        _fx.Clock.Advance(TimeSpan.FromDays(100));
        _fx.Donors.ApplyCalendar(_fx.Clock.GetUtcNow());
        var (_, otherPatient) = Reserved("PAT-0777", _fx.Donors.Get(donor.Id));

        var refused = () => Care.RecordDonation(donor.Id, new DonationDetails(otherPatient.Id, DonationProduct.Lymphocytes, _fx.Today, _fx.Today, null, "人民医院", DonationOutcome.Completed), By);

        refused.Should().Throw<CareRuleException>().WithMessage("*same patient*");
        _fx.Registry.Cases.Cancel(otherPatient.Id, "wrong patient", By);
        var (_, samePatient) = Reserved("PAT-0001", _fx.Donors.Get(donor.Id));
        var dli = Care.RecordDonation(donor.Id, new DonationDetails(samePatient.Id, DonationProduct.Lymphocytes, _fx.Today, _fx.Today, null, "人民医院", DonationOutcome.Completed), By);

        dli.Details.CollectionEnd.Should().Be(firstEnd.AddDays(100));
        Care.FindByDonor(donor.Id).Should().HaveCount(2);
        dli.Visits.Should().NotContain(v => v.Key == "SpringFestival-2027", "the first donation already has that festival's visit");
    }

    [TestCase(-1, 5, "Donation.GcsfDays")]
    [TestCase(11, 1, "Donation.GcsfDays")]
    [TestCase(3, 20, "Donation.CollectionEnd")]
    public void RecordDonation_OutOfRangeDetails_AreRejectedNamingTheField(int gcsf, int days, string field)
    {
        var (donor, matchCase) = Reserved();

        var act = () => Care.RecordDonation(donor.Id, Pbsc(matchCase.Id, days: days) with { GcsfDays = gcsf }, By);

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be(field);
        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Reserved);
    }

    [Test]
    public void RecordFollowUp_BeforeTheCollection_IsRefusedWithBothDays()
    {
        var (donor, matchCase) = Reserved();
        var record = Care.RecordDonation(donor.Id, Pbsc(matchCase.Id), By);

        var act = () => Care.RecordFollowUp(record.Id, "D2", _fx.Today.AddDays(-1), DonorHealth.Well, null, null, "nurse.zhao");

        act.Should().Throw<CareRuleException>().WithMessage("*2026-11-28*before*2026-11-29*");
        Care.Get(record.Id).Version.Should().Be(1);
    }

    [Test]
    public void FollowUps_NotDoneByTheirDay_AreListedOverdue_UntilRecorded()
    {
        var (donor, matchCase) = Reserved();
        var record = Care.RecordDonation(donor.Id, Pbsc(matchCase.Id), By);
        _fx.Clock.Advance(TimeSpan.FromDays(10));

        Care.FindOverdueFollowUps(_fx.Today).Should().ContainSingle().Which.OverdueOn(_fx.Today).Select(f => f.Key).Should().Equal("D2", "W1");

        Care.RecordFollowUp(record.Id, "D2", _fx.Today.AddDays(-8), DonorHealth.MinorComplaints, [new AdverseEvent("乏力 tiredness", AdverseEventSeverity.Mild, _fx.Today.AddDays(-8))], "电话随访", "nurse.zhao");
        Care.RecordFollowUp(record.Id, "W1", _fx.Today.AddDays(-3), DonorHealth.Well, null, null, "nurse.zhao");

        Care.FindOverdueFollowUps(_fx.Today).Should().BeEmpty();
        Care.GetHistory(record.Id).Select(h => h.Action).Should().Equal("RecordDonation", "RecordFollowUp", "RecordFollowUp");
        _fx.Reopen();
        _fx.Registry.Care.Get(record.Id).FollowUps[0].Should().Match<FollowUp>(f => f.Health == DonorHealth.MinorComplaints && f.AdverseEvents!.Count == 1 && f.DoneBy == "nurse.zhao");
    }

    [Test]
    public void MarkUnreachable_KeepsTheScheduleAndTheOverdueList()
    {
        var (donor, matchCase) = Reserved();
        var record = Care.RecordDonation(donor.Id, Pbsc(matchCase.Id), By);
        _fx.Clock.Advance(TimeSpan.FromDays(40));

        var marked = Care.MarkUnreachable(record.Id, "三次电话未接通", By);

        marked.UnreachableSince.Should().Be(_fx.Today);
        marked.FollowUps.Should().HaveCount(14);
        Care.FindOverdueFollowUps(_fx.Today).Should().ContainSingle();
        Care.MarkReachable(record.Id, By).UnreachableSince.Should().BeNull();
        var again = () => Care.MarkReachable(record.Id, By);
        again.Should().Throw<CareRuleException>();
    }

    [Test]
    public void Visits_DueAreListed_RecordedOrSkipped_AndNotTwice()
    {
        var (donor, matchCase) = Reserved();
        Care.RecordDonation(donor.Id, Pbsc(matchCase.Id), By);
        _fx.Clock.Advance(TimeSpan.FromDays(20));

        Care.FindDueVisits(_fx.Today).Select(v => v.Visit.Occasion).Should().Equal(AppreciationOccasion.AtDonation, AppreciationOccasion.AfterDonation);
        Care.RecordVisit(donor.Id, "AtDonation-20261129", new DateOnly(2026, 11, 29), "鲜花, 慰问金", "采集现场慰问", "coordinator.wang");
        Care.SkipVisit(donor.Id, "AfterDonation-20261129", "捐献者出差", By);

        Care.FindDueVisits(_fx.Today).Should().BeEmpty();
        var twice = () => Care.RecordVisit(donor.Id, "AtDonation-20261129", _fx.Today, null, null, By);
        twice.Should().Throw<CareRuleException>().WithMessage("*already visited*");
        _fx.Clock.Advance(TimeSpan.FromDays(80));
        Care.FindDueVisits(_fx.Today).Should().ContainSingle().Which.Visit.Key.Should().Be("SpringFestival-2027");
    }

    [Test]
    public void RecordVisit_ForADonorWhoNeverDonated_IsRefused()
    {
        var donor = _fx.DonorIn(DonorState.Available);

        var act = () => Care.RecordVisit(donor.Id, "AtDonation-20261129", _fx.Today, null, null, By);

        act.Should().Throw<CareRuleException>().WithMessage($"*{donor.Id} never donated*");
    }

    [Test]
    public void AppreciationRules_AreOptions_AnotherBranchChangesThemWithoutCode()
    {
        using var fx = new RegistryFixture(configure: o => o.Care.Appreciation.Rules =
        [
            new AppreciationRule(AppreciationOccasion.AfterDonation, DaysAfterDonation: 30, WindowDays: 10),
            new AppreciationRule(AppreciationOccasion.MidAutumnFestival, WindowDays: 3, Years: 3),
        ]);
        var donor = fx.DonorIn(DonorState.Available);
        var matchCase = fx.Registry.Cases.Open(donor.Id, "PAT-1", By);

        var record = fx.Registry.Care.RecordDonation(donor.Id, new DonationDetails(matchCase.Id, DonationProduct.BoneMarrow, fx.Today, fx.Today, null, "医院", DonationOutcome.Completed), By);

        record.Visits.Select(v => v.Key).Should().Equal("AfterDonation-20261129", "MidAutumnFestival-2027", "MidAutumnFestival-2028", "MidAutumnFestival-2029");
    }

    [Test]
    public void AppreciationRules_Invalid_AreRejectedWhenTheRegistryOpens()
    {
        var options = new RegistryOptions { DatabasePath = RegistryOptions.InMemoryPath, RegistryKey = RegistryKey.Generate() };
        options.Care.Appreciation.Rules.Add(new AppreciationRule(AppreciationOccasion.AtDonation));

        var act = () => Registry.Create(options);

        act.Should().Throw<RegistryValidationException>().WithMessage("*2 rules for AtDonation*");
    }

    [Test]
    public void Recognition_WithoutPublicityConsent_IsRefused_AndWithdrawnConsentHidesIt()
    {
        var (donor, matchCase) = Reserved();
        Care.RecordDonation(donor.Id, Pbsc(matchCase.Id), By);

        var refused = () => Care.Recognise(donor.Id, RecognitionKind.Certificate, "造血干细胞捐献荣誉证书", _fx.Today, "director.zhang");
        refused.Should().Throw<CareRuleException>().WithMessage("*not consented to publicity*");

        Care.GivePublicityConsent(donor.Id, By);
        var story = Care.Recognise(donor.Id, RecognitionKind.WorldMarrowDonorDayStory, "一位北大学生的捐献故事", _fx.Today, "director.zhang");
        var entries = Care.FindPublishableRecognitions(_fx.Today.AddDays(-1), _fx.Today);

        entries.Should().ContainSingle().Which.Should().Match<RecognitionEntry>(e =>
            e.Recognition == story && e.DonationYear == 2026 && e.CollectedOn == null && e.Centre == null && e.AnonymousUntil == new DateOnly(2028, 11, 28));

        Care.WithdrawPublicityConsent(donor.Id, By);
        Care.FindPublishableRecognitions(_fx.Today.AddDays(-1), _fx.Today).Should().BeEmpty();
    }

    [Test]
    public void Recognition_AfterTheAnonymityPeriod_ShowsTheCollection()
    {
        var (donor, matchCase) = Reserved();
        Care.RecordDonation(donor.Id, Pbsc(matchCase.Id), By);
        Care.GivePublicityConsent(donor.Id, By);
        Care.Recognise(donor.Id, RecognitionKind.HonourTitle, "海淀区优秀志愿者", _fx.Today, "director.zhang");
        _fx.Clock.Advance(TimeSpan.FromDays(731));

        Care.FindPublishableRecognitions(_fx.Today.AddYears(-3), _fx.Today).Should().ContainSingle()
            .Which.Should().Match<RecognitionEntry>(e => e.CollectedOn == new DateOnly(2026, 11, 29) && e.Centre == "北京大学人民医院采集中心");
    }

    [Test]
    public void Recognition_ForADonorWhoNeverDonated_IsRefused()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        Care.GivePublicityConsent(donor.Id, By);

        var act = () => Care.Recognise(donor.Id, RecognitionKind.Certificate, "证书", _fx.Today, By);

        act.Should().Throw<CareRuleException>().WithMessage("*never donated*");
    }

    [Test]
    public void FindPublishableRecognitions_PeriodEndingBeforeItStarts_IsRejected()
    {
        var act = () => Care.FindPublishableRecognitions(_fx.Today, _fx.Today.AddDays(-1));

        act.Should().Throw<RegistryValidationException>().WithMessage("*ends (2026-11-28) before it starts (2026-11-29)*");
    }
}
