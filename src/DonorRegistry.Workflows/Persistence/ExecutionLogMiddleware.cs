using System.Globalization;
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
            var (outcome, detail, code, arguments) = result switch
            {
                { EventName: { } name } => (StepOutcome.WaitingForEvent, $"{name} for {result.EventKey}", LogCode.WaitingForEvent, Arguments(("event", name), ("key", result.EventKey ?? string.Empty))),
                { SleepFor: { } sleep } => (StepOutcome.Sleeping, $"for {sleep}", LogCode.SleepingFor, Arguments(("for", sleep.ToString("c", CultureInfo.InvariantCulture)))),
                { Proceed: false } => (StepOutcome.Sleeping, "runs again later", LogCode.RunsAgainLater, LogEntry.NoArguments),
                _ => (StepOutcome.Completed, (string?)null, LogCode.Unspecified, LogEntry.NoArguments),
            };
            log.Record(reference, context.Workflow.Id, step, started, time.GetUtcNow(), outcome, detail, code, arguments);
            return result;
        }
        catch (Exception e)
        {
            log.Record(reference, context.Workflow.Id, step, started, time.GetUtcNow(), StepOutcome.Failed, $"{e.GetType().Name}: {e.Message}", LogCode.StepFailed, Arguments(("error", e.GetType().Name)));
            throw;
        }
    }

    private static IReadOnlyDictionary<string, string> Arguments(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
}
