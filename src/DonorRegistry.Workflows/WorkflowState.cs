namespace DonorRegistry.Workflows;

/// <summary>Where a drive's or a donation's workflow is.</summary>
public enum WorkflowState
{
    /// <summary>Under way: waiting for its next event or its next review.</summary>
    Running,

    /// <summary>Paused by an operator; it resumes where it stopped.</summary>
    Suspended,

    /// <summary>Done: the drive is closed, or the donor's care is complete.</summary>
    Complete,

    /// <summary>Ended before it was done (the drive was cancelled).</summary>
    Terminated,
}

/// <summary>A step that failed and will be retried, as the workflow host stored it.</summary>
/// <param name="At">When it failed.</param>
/// <param name="Step">The step's position in the workflow (WorkflowCore's execution pointer), for the execution log.</param>
/// <param name="Message">What went wrong, as the exception said it.</param>
public sealed record WorkflowError(DateTimeOffset At, string Step, string Message)
{
    /// <summary>One line: when, which step, what.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} step {Step}: {Message}";
}

/// <summary>Maps WorkflowCore's own types to the library's.</summary>
internal static class WorkflowMapping
{
    public static WorkflowState ToState(this WorkflowCore.Models.WorkflowStatus status) => status switch
    {
        WorkflowCore.Models.WorkflowStatus.Suspended => WorkflowState.Suspended,
        WorkflowCore.Models.WorkflowStatus.Complete => WorkflowState.Complete,
        WorkflowCore.Models.WorkflowStatus.Terminated => WorkflowState.Terminated,
        _ => WorkflowState.Running,
    };

    public static WorkflowError ToError(this WorkflowCore.Models.ExecutionError error) =>
        new(new DateTimeOffset(DateTime.SpecifyKind(error.ErrorTime, DateTimeKind.Utc)), error.ExecutionPointerId, error.Message);
}
