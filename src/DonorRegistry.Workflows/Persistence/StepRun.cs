namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// One run of one workflow step, as the execution log keeps it, or a notice a step raised (a reminder, an overdue
/// shipment): what an organizer reads to see what happened to a drive.
/// </summary>
/// <param name="Sequence">The log's running number: later entries have larger numbers.</param>
/// <param name="Reference">What the workflow is about, such as the drive's code.</param>
/// <param name="WorkflowId">The workflow instance.</param>
/// <param name="Step">The step's name.</param>
/// <param name="StartedAt">When the run began.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Outcome">How it ended: <see cref="StepOutcome"/>.</param>
/// <param name="Detail">What the step reported, in English: the event it waits for, the error message, the notice.</param>
public sealed record StepRun(long Sequence, string Reference, string WorkflowId, string Step, DateTimeOffset StartedAt, DateTimeOffset EndedAt, StepOutcome Outcome, string? Detail)
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>What <see cref="Detail"/> says, without a language; <see cref="LogCode.Unspecified"/> for an entry written before codes.</summary>
    public LogCode Code { get; init; }

    /// <summary>The values <see cref="Code"/>'s words need, by name (invariant text); empty without a code.</summary>
    public IReadOnlyDictionary<string, string> Arguments { get; init; } = None;

    /// <summary>
    /// One line a person can read: <c>#12 PKU-2026-11 OpenEnrolment Completed at 2026-11-02T08:00:00Z (0.2 s): enrolment open</c>.
    /// </summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"#{Sequence} {Reference} {Step} {Outcome} at {Readable.Instant(EndedAt)} ({(EndedAt - StartedAt).TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s){(string.IsNullOrEmpty(Detail) ? string.Empty : ": " + Detail)}";
}
