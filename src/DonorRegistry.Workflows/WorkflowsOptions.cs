namespace DonorRegistry.Workflows;

/// <summary>How the drive workflows run: where they are kept, how often WorkflowCore polls, and the drive's deadlines.</summary>
public sealed class WorkflowsOptions
{
    /// <summary>A file of its own for the workflows, or null (the default) to keep them in the registry's file.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>The store the workflows are kept in instead of LiteDB (set by a store package's extension), or null.</summary>
    internal Persistence.WorkflowBackend? Backend { get; set; }

    /// <summary>How often WorkflowCore looks for due work (sleeping steps, schedules, missed events). Default 10 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long WorkflowCore waits before running a failed step again. Default 1 min.</summary>
    public TimeSpan ErrorRetryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after enrolment closes a drive's samples should be shipped before a reminder. Default 3 days.</summary>
    public TimeSpan ShipWithin { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long after dispatch the lab's results should be in before the shipment is flagged overdue. Default 21 days.</summary>
    public TimeSpan ResultsWithin { get; set; } = TimeSpan.FromDays(21);

    /// <summary>How often a donor-care workflow reviews its plan for follow-ups and visits that fell due. Default 1 day.</summary>
    public TimeSpan CareReviewEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long the processed events of a finished (closed or cancelled) workflow are kept before they are deleted at
    /// start-up. Default 30 days. Their unprocessed events are marked processed when the workflow finishes.
    /// </summary>
    public TimeSpan KeepProcessedEvents { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Who the steps the workflow takes on its own act as: listing a drive's typed donors and closing it once the lab's
    /// results are in, which no user's event asks for (the last event is the lab's, whose role may do neither). Give a
    /// service actor with the roles those verbs need (<c>Actor.For("workflow.campus-drive", Role.Organizer,
    /// Role.Coordinator)</c>) on a registry with <see cref="RegistryOptions.RequireRoles"/>. Default null: those steps act
    /// as the last event's user, or as the host actor <c>workflow.campus-drive</c>, as before.
    /// </summary>
    public Access.Actor? ServiceActor { get; set; }

    /// <summary>How long a facade call waits for the workflow step it triggered to show in the registry. Default 30 s.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        Positive(PollInterval, nameof(PollInterval));
        Positive(ErrorRetryInterval, nameof(ErrorRetryInterval));
        Positive(ShipWithin, nameof(ShipWithin));
        Positive(ResultsWithin, nameof(ResultsWithin));
        Positive(StepTimeout, nameof(StepTimeout));
        Positive(CareReviewEvery, nameof(CareReviewEvery));
        Positive(KeepProcessedEvents, nameof(KeepProcessedEvents));
        if (DatabasePath is not null && string.IsNullOrWhiteSpace(DatabasePath))
        {
            throw new RegistryValidationException(nameof(DatabasePath), null, "is not allowed", "WorkflowsOptions.DatabasePath is blank; give a file path, or null to keep workflows in the registry's file.", "WorkflowsOptions.DatabasePath is blank; give a file path, or null to keep workflows in the registry's file.");
        }

        if (DatabasePath is not null && Backend is not null)
        {
            var message = $"WorkflowsOptions.DatabasePath names a LiteDB file, but the workflows are kept in {Backend.Name}; give one or the other.";
            throw new RegistryValidationException(nameof(DatabasePath), DatabasePath, "is not allowed", message, message);
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new RegistryValidationException(name, value.ToString(), "is not a positive time", "give a positive time", $"WorkflowsOptions.{name} is {value}; give a positive time.");
        }
    }
}
