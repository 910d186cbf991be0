using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Workflows.DonorCare;
using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.Tests.CampusDrive;
using FluentAssertions;
using NUnit.Framework;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Tests.DonorCare;

/// <summary>The care steps run twice on the same workflow instance, as after a kill before WorkflowCore saved it.</summary>
public sealed class CareStepRerunTests
{
    private const string By = "coordinator.li";
    private DriveFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new DriveFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private sealed class Clock(TimeProvider time) : IDateTimeProvider
    {
        public DateTime Now => time.GetLocalNow().DateTime;

        public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
    }

    private DonationRecord Donation()
    {
        var donor = _fx.ListedDonor();
        var matchCase = _fx.Registry.Cases.Open(donor.Id, "PAT-0001", By);
        return _fx.Registry.Care.RecordDonation(donor.Id, new DonationDetails(matchCase.Id, DonationProduct.Pbsc, _fx.Today, _fx.Today, 5, "人民医院采集中心", DonationOutcome.Completed), By);
    }

    private static StepExecutionContext Context(string donation, string stepName, string workflowId = "wf-care-1") => new()
    {
        Workflow = new WorkflowInstance { Id = workflowId, Reference = donation, Data = new DonorCareData { Donation = donation, ReviewEvery = TimeSpan.FromDays(1) } },
        Step = new WorkflowStep<ConfirmDonation> { Id = 3, Name = stepName },
        ExecutionPointer = new ExecutionPointer { Id = "pointer-1", StepId = 3 },
    };

    private IReadOnlyList<string> Notices(string donation) =>
        _fx.Care.GetExecutionLog(donation).Where(r => r.Outcome == StepOutcome.Notice).Select(r => r.Detail!).ToList();

    [Test]
    public async Task ReviewCare_RunTwice_AndByBothBranches_ListsEachDueFollowUpAndVisitOnce()
    {
        var record = Donation();
        _fx.Clock.Advance(TimeSpan.FromDays(40));
        var review = new ReviewCare(_fx.Registry, _fx.Host.Log, new Clock(_fx.Clock));

        await review.RunAsync(Context(record.Id, ReviewCare.StepName));
        await review.RunAsync(Context(record.Id, ReviewCare.StepName)); // the re-run after a kill
        await review.RunAsync(Context(record.Id, ReviewCare.StepName)); // the other branch's review

        var due = record.FollowUps.Where(f => f.DueOn <= _fx.Today).Select(f => f.Key).ToList();
        due.Should().NotBeEmpty();
        var notices = Notices(record.Id);
        foreach (var key in due)
        {
            notices.Count(n => n.StartsWith($"Follow-up {key} ", StringComparison.Ordinal)).Should().Be(1, key);
        }

        notices.Should().OnlyHaveUniqueItems().And.HaveCount(due.Count + record.Visits.Count(v => v.DueOn <= _fx.Today));
    }

    [Test]
    public async Task ReviewCare_AFollowUpFallingDueLater_IsListedThen_AndTheEarlierOnesNotAgain()
    {
        var record = Donation();
        var review = new ReviewCare(_fx.Registry, _fx.Host.Log, new Clock(_fx.Clock));
        await review.RunAsync(Context(record.Id, ReviewCare.StepName));
        var before = Notices(record.Id).Count;

        _fx.Clock.Advance(TimeSpan.FromDays(8));
        await review.RunAsync(Context(record.Id, ReviewCare.StepName));
        await review.RunAsync(Context(record.Id, ReviewCare.StepName));

        Notices(record.Id).Count.Should().BeGreaterThan(before);
        Notices(record.Id).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public async Task CloseCare_RunTwice_WritesOneSummary()
    {
        var record = Donation();
        var close = new CloseCare(_fx.Registry, _fx.Host.Log);

        await close.RunAsync(Context(record.Id, "Close care"));
        await close.RunAsync(Context(record.Id, "Close care"));

        Notices(record.Id).Should().ContainSingle().Which.Should().StartWith($"Care of donation {record.Id} complete:");
    }
}
