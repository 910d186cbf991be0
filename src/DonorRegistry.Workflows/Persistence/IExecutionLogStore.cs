namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// Where the <see cref="ExecutionLog"/> keeps its entries. The log checks the values; a store only keeps them, numbers
/// them in the order written, and keeps at most one entry per notice key (<see cref="LogEntry.Occasion"/>).
/// </summary>
internal interface IExecutionLogStore
{
    /// <summary>Appends a step run (an entry without an occasion; runs never collide).</summary>
    /// <param name="entry">The entry.</param>
    void Append(LogEntry entry);

    /// <summary>Appends a notice unless an entry with its occasion key is already kept.</summary>
    /// <param name="entry">The notice, with its occasion key.</param>
    /// <returns>True if it was written now; false if the key already had its entry.</returns>
    bool TryAppendNotice(LogEntry entry);

    /// <summary>Whether an entry with the occasion key is kept.</summary>
    /// <param name="occasion">The key.</param>
    /// <returns>True if it is.</returns>
    bool HasOccasion(string occasion);

    /// <summary>Every entry for a reference, in the order written.</summary>
    /// <param name="reference">The reference.</param>
    /// <returns>The entries.</returns>
    IReadOnlyList<StepRun> For(string reference);
}

/// <summary>One entry to write to the execution log.</summary>
/// <param name="Reference">What the workflow is about (a drive's code).</param>
/// <param name="WorkflowId">The workflow instance.</param>
/// <param name="Step">The step's name.</param>
/// <param name="StartedAt">When the run began.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">What the step reported, or null.</param>
/// <param name="Occasion">A notice's unique key (workflow, step and occasion), or null for a step run.</param>
/// <param name="Code">What <paramref name="Detail"/> says, without a language (<see cref="LogCode.Unspecified"/> for none).</param>
/// <param name="Arguments">The values the code's words need, by name (empty for none).</param>
internal sealed record LogEntry(string Reference, string WorkflowId, string Step, DateTimeOffset StartedAt, DateTimeOffset EndedAt, StepOutcome Outcome, string? Detail, string? Occasion, LogCode Code, IReadOnlyDictionary<string, string> Arguments)
{
    /// <summary>No arguments.</summary>
    public static readonly IReadOnlyDictionary<string, string> NoArguments = new Dictionary<string, string>(StringComparer.Ordinal);
}
