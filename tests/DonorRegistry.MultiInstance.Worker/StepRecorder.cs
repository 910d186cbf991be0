using System.Diagnostics;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.MultiInstance.Worker;

/// <summary>
/// A step middleware of the workflows mode: writes each step run's start and end to this process's file
/// (<c>steps-&lt;pid&gt;.log</c>), one line each, flushed at once so that a SIGKILL loses nothing written:
/// <c>start &lt;pid&gt; &lt;run&gt; &lt;workflow&gt; &lt;step id&gt; &lt;stopwatch timestamp&gt; &lt;step name&gt;</c> and
/// <c>end &lt;pid&gt; &lt;run&gt; &lt;stopwatch timestamp&gt;</c>. Timestamps are Stopwatch's (CLOCK_MONOTONIC: one clock for every
/// process on the machine), so intervals of different processes compare. The run holds its step for
/// <see cref="Hold"/> after the step's work, before WorkflowCore saves the workflow, which widens the window in which a
/// second process running the same step would overlap (and the window in which a kill leaves the work done but unsaved).
/// </summary>
/// <remarks>Not disposable: WorkflowCore resolves middleware in each step's scope, which disposes what it resolved; the
/// file (<paramref name="file"/>, flushed on every line) is the caller's.</remarks>
internal sealed class StepRecorder(StreamWriter file, Action<string> say) : IWorkflowStepMiddleware
{
    public static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(150);
    private readonly Lock _gate = new();
    private int _runs;

    public async Task<ExecutionResult> HandleAsync(IStepExecutionContext context, IStepBody body, WorkflowStepDelegate next)
    {
        var run = Interlocked.Increment(ref _runs);
        var pid = Environment.ProcessId;
        var name = (context.Step.Name ?? context.Step.BodyType.Name).Replace(' ', '_');
        Write(FormattableString.Invariant($"start {pid} {run} {context.Workflow.Id} {context.Step.Id} {Stopwatch.GetTimestamp()} {name}"));
        say($"step {context.Workflow.Reference} {name}");
        try
        {
            var result = await next().ConfigureAwait(false);
            await Task.Delay(Hold).ConfigureAwait(false);
            return result;
        }
        finally
        {
            Write(FormattableString.Invariant($"end {pid} {run} {Stopwatch.GetTimestamp()}"));
        }
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            file.WriteLine(line);
        }
    }
}
