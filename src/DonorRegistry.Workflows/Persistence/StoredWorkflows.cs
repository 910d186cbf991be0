using System.Globalization;

namespace DonorRegistry.Workflows.Persistence;

// The rows of a workflow store as they are kept, whatever the engine: what a copy from one store to another moves,
// and what its verification compares (ADR 22). Instances, subscriptions and events keep their JSON text as written.
// Each record's Canon is the text a checksum is taken over: every column, in a fixed order, instants as UTC ticks.

/// <summary>A workflow instance as kept: the columns the queries need and the instance's JSON as written.</summary>
internal sealed record StoredWorkflow(string Id, string Definition, int Version, int Status, long? Next, string? Reference, long CreatedTicks, string Json)
{
    public string Canon => Join(Id, Definition, I(Version), I(Status), Next is { } n ? I(n) : null, Reference, I(CreatedTicks), Json);

    internal static string Join(params string?[] values) => string.Join('\u001f', values.Select(v => v ?? "\u0000")) + "\u001e";

    internal static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An open event subscription of a workflow, with the token a worker holds on it (if any).</summary>
internal sealed record StoredSubscription(string Id, string WorkflowId, string EventName, string EventKey, long AsOfTicks, string? Token, string? WorkerId, long? TokenExpiryTicks, string Json)
{
    public string Canon => StoredWorkflow.Join(Id, WorkflowId, EventName, EventKey, StoredWorkflow.I(AsOfTicks), Token, WorkerId, TokenExpiryTicks is { } t ? StoredWorkflow.I(t) : null, Json);
}

/// <summary>A published event and whether WorkflowCore has processed it.</summary>
internal sealed record StoredEvent(string Id, string EventName, string EventKey, long TimeTicks, bool IsProcessed, string Json)
{
    public string Canon => StoredWorkflow.Join(Id, EventName, EventKey, StoredWorkflow.I(TimeTicks), IsProcessed ? "1" : "0", Json);
}

/// <summary>A step error stored for a workflow.</summary>
internal sealed record StoredError(string WorkflowId, string PointerId, long AtTicks, string Message)
{
    public string Canon => StoredWorkflow.Join(WorkflowId, PointerId, StoredWorkflow.I(AtTicks), Message);
}

/// <summary>An entry of the execution log: a step run or a notice (with its occasion key); the sequence is the store's own numbering.</summary>
/// <remarks>
/// <c>Code</c> is the entry's <see cref="LogCode"/> name, or null for an entry without a code; <c>Arguments</c> its named
/// arguments as a JSON object with the names in ordinal order (<see cref="CanonicalArguments"/>), or null.
/// </remarks>
internal sealed record StoredLogEntry(long Sequence, string Reference, string WorkflowId, string Step, long StartedTicks, long EndedTicks, string Outcome, string? Detail, string? Occasion, string? Code = null, string? Arguments = null)
{
    /// <summary>Everything but the sequence, which each store numbers itself; the order of the entries is compared instead.</summary>
    public string Canon => StoredWorkflow.Join(Reference, WorkflowId, Step, StoredWorkflow.I(StartedTicks), StoredWorkflow.I(EndedTicks), Outcome, Detail, Occasion, Code, Arguments);

    /// <summary>Arguments as one JSON text whatever order a store keeps them in (PostgreSQL's jsonb reorders names), or null for none.</summary>
    public static string? CanonicalArguments(IEnumerable<KeyValuePair<string, string>>? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            sorted[name] = value;
        }

        return System.Text.Json.JsonSerializer.Serialize(sorted);
    }
}

/// <summary>
/// What a copy moves as one piece: every workflow of one reference (a drive's code, a donation's number) with their
/// subscriptions and errors, and the reference's execution log in the order written. A workflow without a reference is
/// a unit of its own, its log under its id (as the execution log writes it).
/// </summary>
/// <param name="Reference">The workflows' reference, or null.</param>
/// <param name="LogReference">The reference its log entries carry: the reference, or the lone workflow's id.</param>
/// <param name="WorkflowIds">Its workflows, oldest first (none when only log entries carry the reference).</param>
internal sealed record WorkflowUnit(string? Reference, string LogReference, IReadOnlyList<string> WorkflowIds);
