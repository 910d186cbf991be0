using WorkflowCore.Interface;

namespace DonorRegistry.Workflows.DonorCare;

/// <summary>
/// A donor's care after a donation as a WorkflowCore workflow. Two branches run side by side until every
/// follow-up is done and every visit made or skipped: one reviews the plan every <c>ReviewEvery</c> and puts what
/// fell due on the coordinators' list; the other wakes on each <see cref="CareEvent"/> a coordinator raises
/// (follow-up recorded, visit recorded or skipped, recognition approved) and reviews at once. The key of the
/// events is the donation's number; what coordinators do is stored in the registry before the event is raised.
/// </summary>
internal sealed class DonorCareWorkflow : IWorkflow<DonorCareData>
{
    /// <summary>The workflow's id in WorkflowCore.</summary>
    public const string WorkflowId = "donor-care";

    /// <summary>The version this library defines.</summary>
    public const int Version1 = 1;

    /// <inheritdoc />
    public string Id => WorkflowId;

    /// <inheritdoc />
    public int Version => Version1;

    /// <inheritdoc />
    public void Build(IWorkflowBuilder<DonorCareData> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .StartWith<ConfirmDonation>().Name("Confirm donation")
            .Then<ReviewCare>().Name(ReviewCare.StepName)
            .Parallel()
                .Do(events => events
                    .StartWith<ReviewCare>().Name(ReviewCare.StepName)
                    .While(d => !d.Complete).Do(loop => loop
                        // Only events after the last review count: earlier ones are in the store and already reviewed.
                        .WaitFor(CareEvent.Name, d => d.Donation, d => d.ReviewedAt, d => d.Complete).Name("Await coordinator")
                        .Then<ReviewCare>().Name(ReviewCare.StepName)).Name("Until care is complete"))
                .Do(timer => timer
                    .StartWith<ReviewCare>().Name(ReviewCare.StepName)
                    .While(d => !d.Complete).Do(loop => loop
                        .Delay(d => d.ReviewEvery).Name("Wait for the next review").CancelCondition(d => d.Complete, true)
                        .Then<ReviewCare>().Name(ReviewCare.StepName)).Name("Review on a schedule"))
            .Join()
            .Then<CloseCare>().Name("Close care");
    }
}
