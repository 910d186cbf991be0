using DonorRegistry.Storage.LiteDb;
using LiteDB;

namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// The execution log: every step run of every workflow, kept in LiteDB (<c>wf_log</c>) beside the workflows,
/// like Elsa's activity log. A step middleware writes it; organizers read it by reference (a drive's code).
/// Notices are written once: each is keyed by its workflow, its step and the occasion it is for, under a unique
/// index, so a step that runs again (after a kill before WorkflowCore saved the workflow) finds its notice and
/// adds nothing.
/// </summary>
public sealed class ExecutionLog
{
    private const string Collection = "wf_log";

    // Unique over notices (their key) and step runs (their own id), so only a second notice of the same key collides.
    private const string OccasionIndex = "occasion";
    private const string OccasionExpression = "COALESCE($.occasion, 'run/' + STRING($._id))";
    private const int MaxOccasionLength = 200;
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
        _runs.EnsureIndex(OccasionIndex, OccasionExpression, unique: true);
        _time = time;
    }

    /// <summary>Every entry for a reference (a drive's code), in the order written.</summary>
    /// <param name="reference">The reference.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<StepRun> For(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return _runs.Find(Where.Eq("reference", reference)).Select(ToRun).OrderBy(r => r.Sequence).ToList();
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
    public bool Notice(string reference, string workflowId, string step, string occasion, string text)
    {
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
        try
        {
            _runs.Insert(Document(reference, workflowId, step, now, now, StepOutcome.Notice, text, key));
            return true;
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false; // written between the look-up and the insert
        }
    }

    /// <summary>Whether the occasion already has its notice.</summary>
    /// <param name="workflowId">The workflow instance.</param>
    /// <param name="step">The step that raises it.</param>
    /// <param name="occasion">What the notice is for.</param>
    /// <returns>True if it was written.</returns>
    internal bool HasNotice(string workflowId, string step, string occasion) => HasNotice(OccasionKey(workflowId, step, occasion));

    internal void Record(string reference, string workflowId, string step, DateTimeOffset started, DateTimeOffset ended, StepOutcome outcome, string? detail) =>
        _runs.Insert(Document(reference, workflowId, step, started, ended, outcome, detail, occasion: null));

    private static string OccasionKey(string workflowId, string step, string occasion) => $"{workflowId}\u001f{step}\u001f{occasion}";

    private bool HasNotice(string key) => _runs.Exists(BsonExpression.Create(OccasionExpression + " = @0", key));

    private static void NotBlank(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new RegistryValidationException(name, DonorRegistry.Guard.Prefix(value), value is null ? "is missing" : "is blank", "give a value; a notice names its reference, workflow, step, occasion and text");
        }
    }

    private static BsonDocument Document(string reference, string workflowId, string step, DateTimeOffset started, DateTimeOffset ended, StepOutcome outcome, string? detail, string? occasion)
    {
        var document = new BsonDocument
        {
            ["reference"] = reference,
            ["workflow"] = workflowId,
            ["step"] = step,
            ["started"] = started.UtcTicks,
            ["ended"] = ended.UtcTicks,
            ["outcome"] = outcome.ToString(),
            ["detail"] = detail is null ? BsonValue.Null : detail,
        };
        if (occasion is not null)
        {
            document["occasion"] = occasion;
        }

        return document;
    }

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
