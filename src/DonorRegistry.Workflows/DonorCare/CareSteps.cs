using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.DonorCare;

/// <summary>The donation must be in the registry before care is planned.</summary>
internal sealed class ConfirmDonation(Registry registry) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        registry.Care.Get(((DonorCareData)context.Workflow.Data).Donation);
        return ExecutionResult.Next();
    }
}

/// <summary>
/// Reviews the care plan in the registry: puts each follow-up and visit that fell due on the coordinators' list
/// (a notice in the execution log, once per item: the notice is keyed by the workflow, the step and the item, so a
/// review run again after a restart, or by the other branch, adds nothing) and notes whether the plan is complete.
/// </summary>
internal sealed class ReviewCare(Registry registry, ExecutionLog log, IDateTimeProvider clock) : StepBody
{
    /// <summary>The step's name in the workflow; every review shares it, so an item is listed once by either branch.</summary>
    public const string StepName = "Review care";

    public override ExecutionResult Run(IStepExecutionContext context)
    {
        var data = (DonorCareData)context.Workflow.Data;
        data.ReviewedAt = clock.UtcNow;
        var record = registry.Care.Get(data.Donation);
        var today = DateOnly.FromDateTime(registry.TimeProvider.GetUtcNow().UtcDateTime);
        var reference = context.Workflow.Reference ?? context.Workflow.Id;
        foreach (var followUp in record.FollowUps.Where(f => !f.IsDone && f.DueOn <= today))
        {
            Notice(context, reference, "follow-up " + followUp.Key, () => $"Follow-up {followUp.Key} ({followUp.Label}) of donation {record.Id} is due {followUp.DueOn:yyyy-MM-dd}{(record.UnreachableSince is { } since ? $"; the donor is unreachable since {since:yyyy-MM-dd}" : string.Empty)}.");
        }

        foreach (var visit in record.Visits.Where(v => v.State == VisitState.Due && v.DueOn <= today))
        {
            Notice(context, reference, "visit " + visit.Key, () => $"Appreciation visit {visit.Key} for donor {record.Donor} is due {visit.DueOn:yyyy-MM-dd} (on time until {visit.DueBy:yyyy-MM-dd}).");
        }

        data.Complete = IsComplete(registry, record);
        return ExecutionResult.Next();
    }

    /// <summary>Whether the registry shows the donation's care done: every follow-up done and every visit made or skipped, or the donor withdrew.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="record">The donation.</param>
    /// <returns>True when there is nothing left to review.</returns>
    public static bool IsComplete(Registry registry, DonationRecord record) =>
        (record.FollowUps.All(f => f.IsDone) && record.Visits.All(v => v.State != VisitState.Due))
        || registry.Donors.Get(record.Donor).State == DonorState.Withdrawn;

    private void Notice(IStepExecutionContext context, string reference, string occasion, Func<string> text)
    {
        if (!log.HasNotice(context.Workflow.Id, StepName, occasion))
        {
            log.Notice(reference, context.Workflow.Id, StepName, occasion, text());
        }
    }
}

/// <summary>Closes the care plan with a summary in the execution log (once, even if the step runs again).</summary>
internal sealed class CloseCare(Registry registry, ExecutionLog log) : StepBody
{
    public override ExecutionResult Run(IStepExecutionContext context)
    {
        var data = (DonorCareData)context.Workflow.Data;
        var record = registry.Care.Get(data.Donation);
        const string Step = "Close care";
        if (!log.HasNotice(context.Workflow.Id, Step, "complete"))
        {
            log.Notice(
                context.Workflow.Reference ?? context.Workflow.Id,
                context.Workflow.Id,
                Step,
                "complete",
                $"Care of donation {record.Id} complete: {record.FollowUps.Count(f => f.IsDone)} of {record.FollowUps.Count} follow-ups done, {record.Visits.Count(v => v.State == VisitState.Visited)} visits made, {record.Visits.Count(v => v.State == VisitState.Skipped)} skipped.");
        }

        return ExecutionResult.Next();
    }
}
