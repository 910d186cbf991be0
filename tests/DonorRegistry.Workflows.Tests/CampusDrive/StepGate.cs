using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Tests.CampusDrive;

/// <summary>
/// A step middleware that holds the runs of the steps named to it before their work, until opened, or makes them
/// fail before their work (as a process killed at that point leaves them: not run, to be run again).
/// </summary>
internal sealed class StepGate : IWorkflowStepMiddleware
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _failing;

    /// <summary>Holds every later run of the named step.</summary>
    public void Hold(string step)
    {
        lock (_lock)
        {
            _held.Add(step);
            _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _failing = false;
        }
    }

    /// <summary>Completes once a held step has reached the gate (its event was published and taken; its work not done).</summary>
    public Task Entered
    {
        get
        {
            lock (_lock)
            {
                return _entered.Task;
            }
        }
    }

    /// <summary>The held runs fail before their work, and so do later ones until <see cref="Hold"/> or <see cref="Open"/>.</summary>
    public void Fail()
    {
        lock (_lock)
        {
            _failing = true;
            _open.TrySetResult();
        }
    }

    /// <summary>Lets every held run and later run through.</summary>
    public void Open()
    {
        lock (_lock)
        {
            _held.Clear();
            _failing = false;
            _open.TrySetResult();
        }
    }

    public async Task<ExecutionResult> HandleAsync(IStepExecutionContext context, IStepBody body, WorkflowStepDelegate next)
    {
        Task open;
        lock (_lock)
        {
            if (!_held.Contains(context.Step.Name ?? string.Empty))
            {
                open = Task.CompletedTask;
            }
            else
            {
                _entered.TrySetResult();
                open = _open.Task;
            }
        }

        await open.ConfigureAwait(false);
        lock (_lock)
        {
            if (_failing && _held.Contains(context.Step.Name ?? string.Empty))
            {
                throw new InvalidOperationException($"The process stopped before step {context.Step.Name} did its work.");
            }
        }

        return await next().ConfigureAwait(false);
    }
}
