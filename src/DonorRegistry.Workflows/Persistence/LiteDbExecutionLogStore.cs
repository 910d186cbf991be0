using DonorRegistry.Storage.LiteDb;
using LiteDB;

namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// The execution log in LiteDB (<c>wf_log</c>), beside the workflows. Notices are unique by their key under a unique
/// index (<c>occasion</c>, an expression that falls back to each step run's own id, so runs never collide). An entry's
/// code and arguments are the fields <c>code</c> (the <see cref="LogCode"/>'s name) and <c>args</c> (a document of
/// texts), written only when there is a code; an entry written before codes has neither and reads as
/// <see cref="LogCode.Unspecified"/> with no arguments.
/// </summary>
internal sealed class LiteDbExecutionLogStore : IExecutionLogStore
{
    internal const string Collection = "wf_log";
    private const string OccasionIndex = "occasion";
    private const string OccasionExpression = "COALESCE($.occasion, 'run/' + STRING($._id))";
    private readonly ILiteCollection<BsonDocument> _runs;

    /// <summary>Keeps the log in an open database, such as the registry's.</summary>
    /// <param name="database">The database.</param>
    public LiteDbExecutionLogStore(LiteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _runs = database.GetCollection(Collection, BsonAutoId.Int64);
        _runs.EnsureIndex("reference");
        _runs.EnsureIndex(OccasionIndex, OccasionExpression, unique: true);
    }

    public void Append(LogEntry entry) => _runs.Insert(Document(entry));

    public bool TryAppendNotice(LogEntry entry)
    {
        try
        {
            _runs.Insert(Document(entry));
            return true;
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return false; // written between the caller's look-up and this insert
        }
    }

    public bool HasOccasion(string occasion) => _runs.Exists(BsonExpression.Create(OccasionExpression + " = @0", occasion));

    public IReadOnlyList<StepRun> For(string reference) =>
        _runs.Find(Where.Eq("reference", reference)).Select(ToRun).OrderBy(r => r.Sequence).ToList();

    private static BsonDocument Document(LogEntry entry)
    {
        var document = new BsonDocument
        {
            ["reference"] = entry.Reference,
            ["workflow"] = entry.WorkflowId,
            ["step"] = entry.Step,
            ["started"] = entry.StartedAt.UtcTicks,
            ["ended"] = entry.EndedAt.UtcTicks,
            ["outcome"] = entry.Outcome.ToString(),
            ["detail"] = entry.Detail is null ? BsonValue.Null : entry.Detail,
        };
        if (entry.Occasion is not null)
        {
            document["occasion"] = entry.Occasion;
        }

        if (entry.Code != LogCode.Unspecified)
        {
            document["code"] = entry.Code.ToString();
            var arguments = new BsonDocument();
            foreach (var (name, value) in entry.Arguments)
            {
                arguments[name] = value;
            }

            document["args"] = arguments;
        }

        return document;
    }

    private static StepRun ToRun(BsonDocument d) => ToRunWithoutCode(d) with
    {
        Code = d.TryGetValue("code", out var code) && code.IsString && Enum.TryParse<LogCode>(code.AsString, out var known) && Enum.IsDefined(known) ? known : LogCode.Unspecified,
        Arguments = d.TryGetValue("args", out var args) && args.IsDocument
            ? args.AsDocument.Where(a => a.Value.IsString).ToDictionary(a => a.Key, a => a.Value.AsString, StringComparer.Ordinal)
            : LogEntry.NoArguments,
    };

    private static StepRun ToRunWithoutCode(BsonDocument d) => new(
        d["_id"].AsInt64,
        d["reference"].AsString,
        d["workflow"].AsString,
        d["step"].AsString,
        new DateTimeOffset(d["started"].AsInt64, TimeSpan.Zero),
        new DateTimeOffset(d["ended"].AsInt64, TimeSpan.Zero),
        Enum.Parse<StepOutcome>(d["outcome"].AsString),
        d["detail"].IsNull ? null : d["detail"].AsString);
}
