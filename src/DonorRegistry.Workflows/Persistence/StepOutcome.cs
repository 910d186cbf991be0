namespace DonorRegistry.Workflows.Persistence;

/// <summary>How a step run ended.</summary>
public enum StepOutcome
{
    /// <summary>The step did its work and the workflow moved on.</summary>
    Completed = 0,

    /// <summary>The step now waits for an event.</summary>
    WaitingForEvent = 1,

    /// <summary>The step sleeps until a time, or runs again later (loops, schedules).</summary>
    Sleeping = 2,

    /// <summary>The step threw; WorkflowCore retries it as its error policy says, and the error is stored.</summary>
    Failed = 3,

    /// <summary>Not a run: a notice a step raised for people to act on (a reminder, an overdue shipment).</summary>
    Notice = 4,
}
