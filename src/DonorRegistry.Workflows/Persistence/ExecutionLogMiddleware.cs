using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Persistence;

/// <summary>Writes every step run to the <see cref="ExecutionLog"/>: the step, when, and how it ended (a failure with its message, then rethrown for WorkflowCore's retry policy).</summary>
internal sealed class ExecutionLogMiddleware(ExecutionLog log, TimeProvider time) : IWorkflowStepMiddleware
{
    public async Task<ExecutionResult> HandleAsync(IStepExecutionContext context, IStepBody body, WorkflowStepDelegate next)
    {
        var started = time.GetUtcNow();
        var reference = context.Workflow.Reference ?? context.Workflow.Id;
        var step = context.Step.Name ?? context.Step.BodyType.Name;
        try
        {
            var result = await next().ConfigureAwait(false);
            var (outcome, detail) = result switch
            {
                { EventName: { } name } => (StepOutcome.WaitingForEvent, $"{name} for {result.EventKey}"),
                { SleepFor: { } sleep } => (StepOutcome.Sleeping, $"for {sleep}"),
                { Proceed: false } => (StepOutcome.Sleeping, "runs again later"),
                _ => (StepOutcome.Completed, (string?)null),
            };
            log.Record(reference, context.Workflow.Id, step, started, time.GetUtcNow(), outcome, detail);
            return result;
        }
        catch (Exception e)
        {
            log.Record(reference, context.Workflow.Id, step, started, time.GetUtcNow(), StepOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
            throw;
        }
    }
}
