using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.CampusDrive;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.DonorCare;

/// <summary>
/// A donor's care taken on after the process raising its events stopped at the worst point: the registry changed by
/// a facade verb but the workflow never started or never told (the registry call is made directly, as the verb's
/// first half), or an event published while the step before its wait is held (or failed, and the host restarted) by
/// <see cref="StepGate"/>. The care plan is reviewed once a day (the default), on WorkflowCore's real clock, so the
/// scheduled review never rescues a test: only the events and the start-up do.
/// </summary>
public sealed class CareResumeTests
{
    private const string By = "coordinator.li";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private DriveFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new DriveFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private DonationDetails Details(DonorId donor) =>
        new(_fx.Registry.Cases.Open(donor, "PAT-0001", By).Id, DonationProduct.Pbsc, _fx.Today, _fx.Today, 5, "人民医院采集中心", DonationOutcome.Completed);

    /// <summary>The first half of <c>RecordDonationAsync</c>: the donation in the registry, its care never started.</summary>
    private DonationRecord DonationWithoutCare()
    {
        var donor = _fx.ListedDonor();
        return _fx.Registry.Care.RecordDonation(donor.Id, Details(donor.Id), By);
    }

    private async Task<DonationRecord> DonatedAsync()
    {
        var donor = _fx.ListedDonor();
        return await _fx.Care.RecordDonationAsync(donor.Id, Details(donor.Id), By);
    }

    private async Task UntilAsync(Func<bool> done, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            waited.Elapsed.Should().BeLessThan(Patience, what);
            await Task.Delay(20);
        }
    }

    /// <summary>Until the workflow began a review after the last event published for the donation (the review reads every change before it).</summary>
    private Task UntilReviewedAsync(string donation) =>
        UntilAsync(
            () =>
            {
                var events = _fx.Host.Store.FindEventsByKey(donation);
                return _fx.Host.Store.FindByReference(donation).Single().Data is DonorRegistry.Workflows.DonorCare.DonorCareData data
                    && events.All(e => e.EventTime <= data.ReviewedAt);
            },
            "the workflow should have reviewed every event");

    private Task UntilNoticeAsync(string donation, string text) =>
        UntilAsync(() => _fx.Care.GetExecutionLog(donation).Any(r => r.Outcome == StepOutcome.Notice && r.Detail!.Contains(text, StringComparison.Ordinal)), $"a notice containing '{text}' should be logged");

    private async Task EnteredAsync(string step) =>
        (await Task.WhenAny(_fx.Gate.Entered, Task.Delay(Patience))).Should().Be(_fx.Gate.Entered, $"the {step} step should have been reached");

    /// <summary>Ten years on, every follow-up recorded and every visit made, through the facade; the last one directly in the registry if asked.</summary>
    private async Task DoEverythingAsync(DonationRecord record, bool lastWithoutEvent = false)
    {
        _fx.Clock.Advance(TimeSpan.FromDays(3700));
        foreach (var followUp in record.FollowUps)
        {
            await _fx.Care.RecordFollowUpAsync(record.Id, followUp.Key, followUp.DueOn, DonorHealth.Well, null, null, "nurse.zhao");
        }

        var visits = record.Visits.ToList();
        foreach (var visit in visits.Take(visits.Count - 1))
        {
            await _fx.Care.SkipVisitAsync(record.Donor, visit.Key, "捐献者婉拒", By);
        }

        if (lastWithoutEvent)
        {
            await UntilReviewedAsync(record.Id); // else a review running late would read the last change anyway
            _fx.Registry.Care.SkipVisit(record.Donor, visits[^1].Key, "捐献者婉拒", By); // the process stopped before the publish
        }
        else
        {
            await _fx.Care.SkipVisitAsync(record.Donor, visits[^1].Key, "捐献者婉拒", By);
        }
    }

    // ---- 1. A registry change whose workflow call never happened --------------------------------------------------

    [Test]
    public async Task Donation_RecordedButItsCareNeverStarted_CareStartsAfterARestart()
    {
        var record = DonationWithoutCare();

        await _fx.RestartAsync();

        await UntilNoticeAsync(record.Id, "AtDonation");
        _fx.Care.GetStatus(record.Id).Should().Be(WorkflowState.Running);
    }

    [Test]
    public async Task Donation_RecordedButItsCareNeverStarted_TheNextVerbStartsIt()
    {
        var record = DonationWithoutCare();

        await _fx.Care.RecordFollowUpAsync(record.Id, "D2", _fx.Today, DonorHealth.Well, null, null, "nurse.zhao");

        _fx.Care.GetStatus(record.Id).Should().Be(WorkflowState.Running, "the donation's care goes on in the registry, so it runs as a workflow");
        await UntilNoticeAsync(record.Id, "AtDonation");
    }

    [Test]
    public async Task Donation_RecordedButItsCareNeverStarted_AfterARestart_CanBeCompletedThroughTheFacade()
    {
        var record = DonationWithoutCare();
        await _fx.RestartAsync();

        await DoEverythingAsync(record);

        await _fx.Care.WaitUntilCompleteAsync(record.Id, Patience);
        _fx.Host.Store.FindByReference(record.Id).Should().ContainSingle("care is started once");
    }

    [Test]
    public async Task Donation_WhoseCareIsDone_IsNotStartedAtStartUp()
    {
        var record = DonationWithoutCare();
        _fx.Clock.Advance(TimeSpan.FromDays(3700));
        foreach (var followUp in record.FollowUps)
        {
            _fx.Registry.Care.RecordFollowUp(record.Id, followUp.Key, followUp.DueOn, DonorHealth.Well, null, null, "nurse.zhao");
        }

        foreach (var visit in record.Visits)
        {
            _fx.Registry.Care.SkipVisit(record.Donor, visit.Key, "捐献者婉拒", By);
        }

        await _fx.RestartAsync();
        await Task.Delay(300);

        _fx.Care.GetStatus(record.Id).Should().BeNull("care recorded complete in the registry has nothing to review");
    }

    [Test]
    public async Task StartCare_AfterTheStartUpStartedIt_IsRefused_AndCareRunsOnce()
    {
        var record = DonationWithoutCare();
        await _fx.RestartAsync();

        var act = () => _fx.Care.StartCareAsync(record.Id);

        await act.Should().ThrowAsync<DonorRegistry.Workflows.DonorCare.CareWorkflowException>().WithMessage("*already runs*");
        _fx.Host.Store.FindByReference(record.Id).Should().ContainSingle();
    }

    [Test]
    public async Task StartCare_ManyAtOnce_StartsOneWorkflow()
    {
        var record = DonationWithoutCare();

        var starts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await _fx.Care.StartCareAsync(record.Id);
                return true;
            }
            catch (DonorRegistry.Workflows.DonorCare.CareWorkflowException)
            {
                return false;
            }
        })).ToList();

        (await Task.WhenAll(starts)).Count(started => started).Should().Be(1);
        _fx.Host.Store.FindByReference(record.Id).Should().ContainSingle();
    }

    // ---- 2. The last change committed, its event never published ---------------------------------------------------

    [Test]
    public async Task LastChange_CommittedButItsEventNeverPublished_CareCompletesAfterARestart()
    {
        var record = await DonatedAsync();
        await UntilNoticeAsync(record.Id, "AtDonation");
        await DoEverythingAsync(record, lastWithoutEvent: true);

        await _fx.RestartAsync();

        await _fx.Care.WaitUntilCompleteAsync(record.Id, Patience);
        _fx.Care.GetExecutionLog(record.Id).Should().ContainSingle(r => r.Detail != null && r.Detail.StartsWith($"Care of donation {record.Id} complete", StringComparison.Ordinal));
    }

    [Test]
    public async Task LastChange_CommittedButItsEventNeverPublished_NoEventAtStartUpWhenCareIsNotComplete()
    {
        var record = await DonatedAsync();
        await UntilNoticeAsync(record.Id, "AtDonation");
        _fx.Registry.Care.RecordFollowUp(record.Id, "D2", _fx.Today, DonorHealth.Well, null, null, "nurse.zhao"); // the process stopped before the publish
        var events = _fx.Host.Store.FindEventsByKey(record.Id).Count;

        await _fx.RestartAsync();
        await Task.Delay(300);

        _fx.Host.Store.FindEventsByKey(record.Id).Should().HaveCount(events, "a change that does not complete care is reviewed on schedule (or at the next event)");
        _fx.Care.GetStatus(record.Id).Should().Be(WorkflowState.Running);
    }

    // ---- 3. Events published before the workflow reached its wait (these passed before the change) ------------------

    [Test]
    public async Task Changes_WhileTheDonationsFirstStepIsHeld_AndTheProcessStops_AreReviewedAfterTheRestart()
    {
        _fx.Gate.Hold("Confirm donation");
        var record = await DonatedAsync();
        await EnteredAsync("Confirm donation");
        await DoEverythingAsync(record); // every event published before any review or wait
        _fx.Gate.Fail();

        await _fx.RestartAsync();
        _fx.Gate.Open();

        await _fx.Care.WaitUntilCompleteAsync(record.Id, Patience);
    }

    [Test]
    public async Task LastEvent_TakenButItsReviewHeld_AndTheProcessStops_CareCompletesAfterTheRestart()
    {
        var record = await DonatedAsync();
        await UntilNoticeAsync(record.Id, "AtDonation");
        _fx.Gate.Hold(DonorRegistry.Workflows.DonorCare.ReviewCare.StepName);
        await DoEverythingAsync(record);
        await EnteredAsync("Review care");
        _fx.Gate.Fail();

        await _fx.RestartAsync();
        _fx.Gate.Open();

        await _fx.Care.WaitUntilCompleteAsync(record.Id, Patience);
    }

    [Test]
    public async Task Events_PublishedBeforeTheWaitForThemWasSaved_AndTheProcessStops_CareCompletesAfterTheRestart()
    {
        _fx.Gate.Hold("Await coordinator");
        var record = await DonatedAsync();
        await EnteredAsync("Await coordinator"); // the first review ran; its wait is not saved
        await DoEverythingAsync(record);
        _fx.Gate.Fail();

        await _fx.RestartAsync();
        _fx.Gate.Open();

        await _fx.Care.WaitUntilCompleteAsync(record.Id, Patience);
    }

    [Test]
    public async Task Events_PublishedWhileTheWaitIsHeld_InTheSameProcess_CareCompletes()
    {
        _fx.Gate.Hold("Await coordinator");
        var record = await DonatedAsync();
        await EnteredAsync("Await coordinator");
        await DoEverythingAsync(record);

        _fx.Gate.Open();

        await _fx.Care.WaitUntilCompleteAsync(record.Id, Patience);
    }

    // ---- 4. Refusals at the surface ------------------------------------------------------------------------------

    [Test]
    public async Task WaitUntilComplete_ForAnUnknownDonation_IsRefusedAtOnce()
    {
        var act = () => _fx.Care.WaitUntilCompleteAsync("DON-99999999", Patience);

        (await act.Should().ThrowAsync<DonationNotFoundException>()).Which.Message.Should().Contain("DON-99999999");
    }

    [Test]
    public void GetStatus_OfNull_OrAnUnknownDonation_IsNull()
    {
        _fx.Care.GetStatus(null!).Should().BeNull();
        _fx.Care.GetStatus("DON-99999999").Should().BeNull();
        _fx.Care.GetExecutionLog(null!).Should().BeEmpty();
    }
}
