using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.CampusDrive;
using FluentAssertions;
using NUnit.Framework;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Tests.DonorCare;

public sealed class CareWorkflowsTests
{
    private const string By = "coordinator.li";
    private DriveFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new DriveFixture(o => o.CareReviewEvery = TimeSpan.FromMilliseconds(150));

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private async Task<DonationRecord> DonatedAsync()
    {
        var donor = _fx.ListedDonor();
        var matchCase = _fx.Registry.Cases.Open(donor.Id, "PAT-0001", By);
        return await _fx.Care.RecordDonationAsync(donor.Id, new DonationDetails(matchCase.Id, DonationProduct.Pbsc, _fx.Today, _fx.Today, 5, "人民医院采集中心", DonationOutcome.Completed), By);
    }

    private async Task<StepRun> NoticeAsync(string donation, string text)
    {
        for (var i = 0; i < 200; i++)
        {
            if (_fx.Care.GetExecutionLog(donation).FirstOrDefault(r => r.Outcome == StepOutcome.Notice && r.Detail!.Contains(text, StringComparison.Ordinal)) is { } notice)
            {
                return notice;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"No notice containing '{text}'. Log: {string.Join(" | ", _fx.Care.GetExecutionLog(donation).Select(r => $"{r.Step} {r.Outcome} {r.Detail}"))}");
        return null!;
    }

    [Test]
    public async Task RecordDonation_StartsCare_AndWhatIsDueNowGoesOnTheList()
    {
        var record = await DonatedAsync();

        var notice = await NoticeAsync(record.Id, "AtDonation");

        notice.Step.Should().Be("Review care");
        _fx.Care.GetStatus(record.Id).Should().Be(WorkflowState.Running);
        _fx.Registry.Donors.Get(record.Donor).State.Should().Be(DonorState.Donated);
    }

    [Test]
    public async Task FollowUps_FallingDueAsTimePasses_AreListedOnce()
    {
        var record = await DonatedAsync();
        _fx.Clock.Advance(TimeSpan.FromDays(8));

        await NoticeAsync(record.Id, "Follow-up W1");
        await Task.Delay(500);

        _fx.Care.GetExecutionLog(record.Id).Count(r => r.Detail?.Contains("Follow-up D2", StringComparison.Ordinal) == true).Should().Be(1);
    }

    [Test]
    public async Task Care_WhenEveryFollowUpIsDoneAndEveryVisitMadeOrSkipped_Completes()
    {
        var record = await DonatedAsync();
        _fx.Clock.Advance(TimeSpan.FromDays(3700)); // past the tenth yearly check
        var day = record.Details.CollectionEnd;

        foreach (var followUp in record.FollowUps)
        {
            await _fx.Care.RecordFollowUpAsync(record.Id, followUp.Key, followUp.DueOn, DonorHealth.Well, null, null, "nurse.zhao");
        }

        foreach (var visit in record.Visits)
        {
            if (visit.Occasion == Care.AppreciationOccasion.SpringFestival)
            {
                await _fx.Care.SkipVisitAsync(record.Donor, visit.Key, "春节在外地", By);
            }
            else
            {
                await _fx.Care.RecordVisitAsync(record.Donor, visit.Key, visit.DueOn, "慰问品", null, By);
            }
        }

        await _fx.Care.WaitUntilCompleteAsync(record.Id, TimeSpan.FromSeconds(20));

        (await NoticeAsync(record.Id, "complete")).Detail.Should().Contain("14 of 14 follow-ups done").And.Contain("1 skipped");
        day.Should().Be(_fx.Today.AddDays(-3700));
    }

    [Test]
    public async Task Care_SurvivesARestart_AndGoesOnReviewing()
    {
        var record = await DonatedAsync();
        await NoticeAsync(record.Id, "AtDonation");

        await _fx.RestartAsync();
        _fx.Clock.Advance(TimeSpan.FromDays(3));

        await NoticeAsync(record.Id, "Follow-up D2");
        await _fx.Care.RecordFollowUpAsync(record.Id, "D2", _fx.Today, DonorHealth.Well, null, "电话随访", "nurse.zhao");
        _fx.Care.GetStatus(record.Id).Should().Be(WorkflowState.Running);
        _fx.Registry.Care.Get(record.Id).FollowUps[0].IsDone.Should().BeTrue();
    }

    [Test]
    public async Task RefusedChange_ThrowsAtOnce_AndStoresNothing()
    {
        var record = await DonatedAsync();

        var act = () => _fx.Care.RecordFollowUpAsync(record.Id, "D2", _fx.Today.AddDays(-1), DonorHealth.Well, null, null, "nurse.zhao");

        await act.Should().ThrowAsync<CareRuleException>().WithMessage("*before*");
        _fx.Registry.Care.Get(record.Id).Version.Should().Be(1);
    }

    [Test]
    public async Task ApproveRecognition_WithoutConsent_IsRefused_AndWithConsentIsRecorded()
    {
        var record = await DonatedAsync();

        var refused = () => _fx.Care.ApproveRecognitionAsync(record.Donor, RecognitionKind.Certificate, "荣誉证书", _fx.Today, "director.zhang");
        await refused.Should().ThrowAsync<CareRuleException>();

        _fx.Registry.Care.GivePublicityConsent(record.Donor, By);
        var recognition = await _fx.Care.ApproveRecognitionAsync(record.Donor, RecognitionKind.Certificate, "荣誉证书", _fx.Today, "director.zhang");

        recognition.Id.Should().Be("REC-00000001");
    }

    [Test]
    public async Task StartCare_Twice_IsRefused()
    {
        var record = await DonatedAsync();

        var act = () => _fx.Care.StartCareAsync(record.Id);

        await act.Should().ThrowAsync<DonorRegistry.Workflows.DonorCare.CareWorkflowException>().WithMessage("*already runs*");
    }
}
