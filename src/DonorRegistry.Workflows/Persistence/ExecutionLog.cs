using LiteDB;

namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// The execution log: every step run of every workflow, kept in LiteDB (<c>wf_log</c>) beside the workflows,
/// like Elsa's activity log. A step middleware writes it; organizers read it by reference (a drive's code).
/// </summary>
public sealed class ExecutionLog
{
    private const string Collection = "wf_log";
    private readonly ILiteCollection<BsonDocument> _runs;
    private readonly TimeProvider _time;

    /// <summary>Keeps the log in an open database, such as the registry's.</summary>
    /// <param name="database">The database.</param>
    /// <param name="time">The clock for notices.</param>
    internal ExecutionLog(LiteDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _runs = database.GetCollection(Collection, BsonAutoId.Int64);
        _runs.EnsureIndex("reference");
        _time = time;
    }

    /// <summary>Every entry for a reference (a drive's code), in the order written.</summary>
    /// <param name="reference">The reference.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<StepRun> For(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return _runs.Find(Query.EQ("reference", reference)).Select(ToRun).OrderBy(r => r.Sequence).ToList();
    }

    /// <summary>Records a notice for people to act on.</summary>
    /// <param name="reference">The reference (a drive's code).</param>
    /// <param name="workflowId">The workflow instance.</param>
    /// <param name="step">The step that raised it.</param>
    /// <param name="text">The notice.</param>
    public void Notice(string reference, string workflowId, string step, string text)
    {
        var now = _time.GetUtcNow();
        Record(reference, workflowId, step, now, now, StepOutcome.Notice, text);
    }

    internal void Record(string reference, string workflowId, string step, DateTimeOffset started, DateTimeOffset ended, StepOutcome outcome, string? detail) =>
        _runs.Insert(new BsonDocument
        {
            ["reference"] = reference,
            ["workflow"] = workflowId,
            ["step"] = step,
            ["started"] = started.UtcTicks,
            ["ended"] = ended.UtcTicks,
            ["outcome"] = outcome.ToString(),
            ["detail"] = detail is null ? BsonValue.Null : detail,
        });

    private static StepRun ToRun(BsonDocument d) => new(
        d["_id"].AsInt64,
        d["reference"].AsString,
        d["workflow"].AsString,
        d["step"].AsString,
        new DateTimeOffset(d["started"].AsInt64, TimeSpan.Zero),
        new DateTimeOffset(d["ended"].AsInt64, TimeSpan.Zero),
        Enum.Parse<StepOutcome>(d["outcome"].AsString),
        d["detail"].IsNull ? null : d["detail"].AsString);
}
