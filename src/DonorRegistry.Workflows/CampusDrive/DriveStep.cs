using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Workflows.Persistence;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>
/// A step of the campus drive: it calls the registry's domain operations for its drive and, because a step may
/// run again after a restart, first checks whether the registry already shows its work done.
/// </summary>
internal abstract class DriveStep(Registry registry, ExecutionLog log) : StepBody
{
    /// <summary>The actor recorded when no event names one.</summary>
    public const string WorkflowActor = "workflow.campus-drive";

    /// <summary>The workflow acting on its own (no event names a user): a host actor, as before roles existed.</summary>
    private static readonly Actor WorkflowAsActor = Actor.Host(WorkflowActor);

    protected Registry Registry { get; } = registry;

    public sealed override ExecutionResult Run(IStepExecutionContext context)
    {
        var data = (CampusDriveData)context.Workflow.Data;
        var by = OwnActor ?? data.LastEvent?.Actor(WorkflowActor) ?? WorkflowAsActor;
        Run(data, new DriveId(data.Drive), by, context);
        return ExecutionResult.Next();
    }

    /// <summary>
    /// The actor of a step the workflow takes on its own, after an event whose user does not ask for it (listing the
    /// typed donors and closing the drive after the lab's results): <see cref="WorkflowsOptions.ServiceActor"/>, or null
    /// to act as the last event's user (or the host actor <see cref="WorkflowActor"/>), as before.
    /// </summary>
    protected virtual Actor? OwnActor => null;

    protected abstract void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context);

    /// <summary>
    /// Writes a notice once per occasion of this step of this workflow; a run again after a restart adds nothing. The
    /// notice is its code and arguments (for a host to say in its language) and its English text.
    /// </summary>
    /// <param name="context">The step's context.</param>
    /// <param name="occasion">What the notice is for (the shipping deadline, a shipment, the close).</param>
    /// <param name="notice">The notice; built only when the occasion has none yet.</param>
    protected void Notice(IStepExecutionContext context, string occasion, Func<DriveNotice> notice)
    {
        var step = StepName(context);
        if (!log.HasNotice(context.Workflow.Id, step, occasion))
        {
            var (code, arguments, text) = notice();
            log.Notice(context.Workflow.Reference ?? context.Workflow.Id, context.Workflow.Id, step, occasion, text, code, arguments);
        }
    }

    private string StepName(IStepExecutionContext context) => context.Step.Name ?? GetType().Name;
}

/// <summary>A notice of a drive step: its code, its arguments (invariant text) and its English text.</summary>
/// <param name="Code">What it says.</param>
/// <param name="Arguments">The values its words need, by name.</param>
/// <param name="Text">The English text.</param>
internal sealed record DriveNotice(LogCode Code, IReadOnlyDictionary<string, string> Arguments, string Text);
