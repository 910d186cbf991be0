namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// The execution log: every step run of every workflow, kept beside the workflows (in LiteDB's <c>wf_log</c>, or the
/// PostgreSQL store's <c>execution_log</c> table), like Elsa's activity log. A step middleware writes it; organizers
/// read it by reference (a drive's code).
/// Notices are written once: each is keyed by its workflow, its step and the occasion it is for, under a unique
/// index, so a step that runs again (after a kill before WorkflowCore saved the workflow) finds its notice and
/// adds nothing. The log checks the values; its <see cref="IExecutionLogStore"/> keeps them.
/// </summary>
public sealed class ExecutionLog
{
    private const int MaxOccasionLength = 200;
    private readonly IExecutionLogStore _store;
    private readonly TimeProvider _time;

    /// <summary>Keeps the log in an open LiteDB database, such as the registry's.</summary>
    /// <param name="database">The database.</param>
    /// <param name="time">The clock for notices.</param>
    internal ExecutionLog(LiteDB.LiteDatabase database, TimeProvider time)
        : this(new LiteDbExecutionLogStore(database), time)
    {
    }

    /// <summary>Keeps the log in a store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="time">The clock for notices.</param>
    internal ExecutionLog(IExecutionLogStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <summary>Every entry for a reference (a drive's code), in the order written.</summary>
    /// <param name="reference">The reference.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<StepRun> For(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return _store.For(reference);
    }

    /// <summary>
    /// Records a notice for people to act on, once per occasion: a second notice with the same workflow, step and
    /// occasion (a step run again after a restart) adds nothing, whatever its text.
    /// </summary>
    /// <param name="reference">The reference (a drive's code).</param>
    /// <param name="workflowId">The workflow instance.</param>
    /// <param name="step">The step that raised it (its name in the workflow).</param>
    /// <param name="occasion">What the notice is for, such as the shipment or the follow-up it is about (1 to 200 characters).</param>
    /// <param name="text">The notice.</param>
    /// <returns>True if the notice was written now; false if this occasion already had its notice.</returns>
    /// <exception cref="RegistryValidationException">A value is blank, or the occasion is longer than 200 characters.</exception>
    public bool Notice(string reference, string workflowId, string step, string occasion, string text) =>
        Notice(reference, workflowId, step, occasion, text, LogCode.Unspecified, LogEntry.NoArguments);

    /// <summary>
    /// Records a notice with its code and arguments (what the text says, for a host to show in its own language), once
    /// per occasion like <see cref="Notice(string, string, string, string, string)"/>; the English text is kept too.
    /// </summary>
    /// <param name="reference">The reference (a drive's code).</param>
    /// <param name="workflowId">The workflow instance.</param>
    /// <param name="step">The step that raised it (its name in the workflow).</param>
    /// <param name="occasion">What the notice is for (1 to 200 characters).</param>
    /// <param name="text">The notice, in English.</param>
    /// <param name="code">What it says.</param>
    /// <param name="arguments">The values the code's words need, by name (invariant text).</param>
    /// <returns>True if the notice was written now; false if this occasion already had its notice.</returns>
    /// <exception cref="RegistryValidationException">A value is blank, or the occasion is longer than 200 characters.</exception>
    internal bool Notice(string reference, string workflowId, string step, string occasion, string text, LogCode code, IReadOnlyDictionary<string, string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        NotBlank(reference, nameof(reference));
        NotBlank(workflowId, nameof(workflowId));
        NotBlank(step, nameof(step));
        NotBlank(occasion, nameof(occasion));
        NotBlank(text, nameof(text));
        if (occasion.Length > MaxOccasionLength)
        {
            throw new RegistryValidationException(nameof(occasion), DonorRegistry.Guard.Prefix(occasion), $"has {occasion.Length} characters", $"give at most {MaxOccasionLength}");
        }

        var key = OccasionKey(workflowId, step, occasion);
        if (HasNotice(key))
        {
            return false;
        }

        var now = _time.GetUtcNow();
        return _store.TryAppendNotice(new LogEntry(reference, workflowId, step, now, now, StepOutcome.Notice, text, key, code, arguments));
    }

    /// <summary>Whether the occasion already has its notice.</summary>
    /// <param name="workflowId">The workflow instance.</param>
    /// <param name="step">The step that raises it.</param>
    /// <param name="occasion">What the notice is for.</param>
    /// <returns>True if it was written.</returns>
    internal bool HasNotice(string workflowId, string step, string occasion) => HasNotice(OccasionKey(workflowId, step, occasion));

    internal void Record(string reference, string workflowId, string step, DateTimeOffset started, DateTimeOffset ended, StepOutcome outcome, string? detail) =>
        Record(reference, workflowId, step, started, ended, outcome, detail, LogCode.Unspecified, LogEntry.NoArguments);

    internal void Record(string reference, string workflowId, string step, DateTimeOffset started, DateTimeOffset ended, StepOutcome outcome, string? detail, LogCode code, IReadOnlyDictionary<string, string> arguments) =>
        _store.Append(new LogEntry(reference, workflowId, step, started, ended, outcome, detail, Occasion: null, code, arguments));

    private static string OccasionKey(string workflowId, string step, string occasion) => $"{workflowId}\u001f{step}\u001f{occasion}";

    private bool HasNotice(string key) => _store.HasOccasion(key);

    private static void NotBlank(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new RegistryValidationException(name, DonorRegistry.Guard.Prefix(value), value is null ? "is missing" : "is blank", "give a value; a notice names its reference, workflow, step, occasion and text");
        }
    }
}
