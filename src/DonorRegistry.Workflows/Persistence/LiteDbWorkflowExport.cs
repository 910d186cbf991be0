using DonorRegistry.Storage.LiteDb;
using LiteDB;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// Reads a LiteDB workflow store as it is kept (the collections of <see cref="LiteDbPersistenceProvider"/> and
/// <see cref="LiteDbExecutionLogStore"/>), for copying it into another store (ADR 22): the units a copy moves whole
/// (<see cref="WorkflowUnit"/>), each workflow with its JSON as written, its subscriptions, errors and log, and the
/// events. It adds nothing (no index, no collection; LiteDB may fold its log into the file on close, as any open does);
/// the file must not be open elsewhere.
/// </summary>
internal sealed class LiteDbWorkflowExport : IDisposable
{
    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _workflows;
    private readonly ILiteCollection<BsonDocument> _subscriptions;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly ILiteCollection<BsonDocument> _errors;
    private readonly ILiteCollection<BsonDocument> _log;
    private ILookup<string, StoredSubscription>? _subscriptionsByWorkflow;

    private LiteDbWorkflowExport(LiteDatabase db, string path)
    {
        _db = db;
        Path = path;
        _workflows = db.GetCollection(LiteDbPersistenceProvider.WorkflowCollection);
        _subscriptions = db.GetCollection(LiteDbPersistenceProvider.SubscriptionCollection);
        _events = db.GetCollection(LiteDbPersistenceProvider.EventCollection);
        _errors = db.GetCollection(LiteDbPersistenceProvider.ErrorCollection, BsonAutoId.Int64);
        _log = db.GetCollection(LiteDbExecutionLogStore.Collection, BsonAutoId.Int64);
    }

    /// <summary>The file, as given (full path).</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the file the workflows were kept in: the registry's own file (the default) or the one
    /// <see cref="WorkflowsOptions.DatabasePath"/> named.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="filePassword">The file's LiteDB password (<see cref="RegistryOptions.FilePassword"/>), or null.</param>
    /// <param name="field">The caller's name for the path, for messages.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="RegistryValidationException">The path is blank, names no file, a file that is not LiteDB (or not under that password), or a file with no workflow store.</exception>
    /// <exception cref="RegistryInUseException">The file is open in a process (a registry or a workflow host on it).</exception>
    public static LiteDbWorkflowExport Open(string path, string? filePassword, string field)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RegistryValidationException(field, path, path is null ? "is missing" : "is blank", "give the LiteDB file the branch's workflows were kept in (the registry's file, or WorkflowsOptions.DatabasePath)");
        }

        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new RegistryValidationException(field, path, "names no file", "give the LiteDB file the branch's workflows were kept in (the registry's file, or WorkflowsOptions.DatabasePath)");
        }

        LiteDatabase? db = null;
        HashSet<string> names;
        try
        {
            db = new LiteDatabase(new ConnectionString { Filename = full, Connection = ConnectionType.Direct, Password = filePassword }) { UtcDate = true };
            names = db.GetCollectionNames().ToHashSet(StringComparer.OrdinalIgnoreCase); // reads the header (and checks the password) now
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            db?.Dispose();
            throw new RegistryInUseException(full, e);
        }
        catch (LiteException e)
        {
            db?.Dispose();
            throw new RegistryValidationException(field, path, $"could not be read as a LiteDB file ({e.Message})", "give the LiteDB file the branch's workflows were kept in, and its FilePassword if it has one");
        }

        if (!names.Contains(LiteDbPersistenceProvider.WorkflowCollection) && !names.Contains(LiteDbExecutionLogStore.Collection))
        {
            db.Dispose();
            throw new RegistryValidationException(field, path, $"holds no workflow store (no {LiteDbPersistenceProvider.WorkflowCollection} collection)", "give the file the branch's workflows were kept in: the registry's file, or the file WorkflowsOptions.DatabasePath named");
        }

        return new LiteDbWorkflowExport(db, full);
    }

    /// <summary>How many rows of each kind the store holds: workflows, subscriptions, events, errors, log entries.</summary>
    /// <returns>The counts by kind.</returns>
    public IReadOnlyDictionary<string, long> Counts() => new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["workflows"] = _workflows.LongCount(),
        ["subscriptions"] = _subscriptions.LongCount(),
        ["events"] = _events.LongCount(),
        ["errors"] = _errors.LongCount(),
        ["log entries"] = _log.LongCount(),
    };

    /// <summary>
    /// The units to copy, oldest first: the workflows grouped by reference (a workflow without one alone), then the
    /// references that only log entries carry.
    /// </summary>
    /// <returns>The units.</returns>
    public IReadOnlyList<WorkflowUnit> Units()
    {
        var heads = _workflows.Query()
            .Select(BsonExpression.Create("{ i: $._id, r: $.reference, c: $.created }"))
            .ToEnumerable()
            .Select(d => (Id: d["i"].AsString, Reference: d["r"].IsString ? d["r"].AsString : null, Created: d["c"].AsInt64))
            .OrderBy(w => w.Created).ThenBy(w => w.Id, StringComparer.Ordinal)
            .ToList();
        var units = new List<WorkflowUnit>();
        var byReference = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (id, reference, _) in heads)
        {
            if (reference is null)
            {
                units.Add(new WorkflowUnit(null, id, [id]));
            }
            else if (byReference.TryGetValue(reference, out var ids))
            {
                ids.Add(id);
            }
            else
            {
                byReference[reference] = ids = [id];
                units.Add(new WorkflowUnit(reference, reference, ids));
            }
        }

        var logged = units.Select(u => u.LogReference).ToHashSet(StringComparer.Ordinal);
        var orphans = _log.Query()
            .Select(BsonExpression.Create("{ r: $.reference }"))
            .ToEnumerable()
            .Select(d => d["r"].AsString)
            .Where(r => !logged.Contains(r))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        units.AddRange(orphans.Select(r => new WorkflowUnit(r, r, [])));
        return units;
    }

    /// <summary>Workflow instances by id, in the order asked (a missing one is left out).</summary>
    /// <param name="ids">The ids.</param>
    /// <returns>The instances.</returns>
    public IReadOnlyList<StoredWorkflow> Workflows(IEnumerable<string> ids) =>
        ids.Select(id => _workflows.FindById(id)).Where(d => d is not null).Select(d => new StoredWorkflow(
            d["_id"].AsString,
            d["definition"].AsString,
            d["version"].AsInt32,
            d["status"].AsInt32,
            d["next"].IsNull ? null : d["next"].AsInt64,
            d["reference"].IsString ? d["reference"].AsString : null,
            d["created"].AsInt64,
            d["json"].AsString)).ToList();

    /// <summary>A workflow's open subscriptions, oldest first.</summary>
    /// <param name="workflowId">The workflow.</param>
    /// <returns>The subscriptions.</returns>
    public IEnumerable<StoredSubscription> SubscriptionsOf(string workflowId)
    {
        // The collection has no workflow column: it is read once, whole (it holds only the open subscriptions).
        _subscriptionsByWorkflow ??= _subscriptions.FindAll().Select(d =>
        {
            var json = d["json"].AsString;
            var s = WorkflowJson.Read<EventSubscription>(json);
            return new StoredSubscription(s.Id, s.WorkflowId ?? string.Empty, s.EventName ?? string.Empty, s.EventKey ?? string.Empty, WorkflowJson.Ticks(s.SubscribeAsOf),
                s.ExternalToken, s.ExternalWorkerId, s.ExternalTokenExpiry is { } expiry ? WorkflowJson.Ticks(expiry) : null, json);
        }).OrderBy(s => s.AsOfTicks).ThenBy(s => s.Id, StringComparer.Ordinal).ToLookup(s => s.WorkflowId, StringComparer.Ordinal);
        return _subscriptionsByWorkflow[workflowId];
    }

    /// <summary>A workflow's stored step errors, in the order stored.</summary>
    /// <param name="workflowId">The workflow.</param>
    /// <returns>The errors.</returns>
    public IReadOnlyList<StoredError> ErrorsOf(string workflowId) =>
        _errors.Find(Where.Eq("workflow", workflowId)).OrderBy(d => d["_id"].AsInt64)
            .Select(d => new StoredError(d["workflow"].AsString, d["pointer"].AsString, d["at"].AsInt64, d["message"].AsString)).ToList();

    /// <summary>The execution log under a reference, in the order written.</summary>
    /// <param name="reference">The reference.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<StoredLogEntry> LogOf(string reference) =>
        _log.Find(Where.Eq("reference", reference)).OrderBy(d => d["_id"].AsInt64).Select(d => new StoredLogEntry(
            d["_id"].AsInt64,
            d["reference"].AsString,
            d["workflow"].AsString,
            d["step"].AsString,
            d["started"].AsInt64,
            d["ended"].AsInt64,
            d["outcome"].AsString,
            d["detail"].IsString ? d["detail"].AsString : null,
            d["occasion"].IsString ? d["occasion"].AsString : null,
            d["code"].IsString ? d["code"].AsString : null,
            d["args"].IsDocument ? StoredLogEntry.CanonicalArguments(d["args"].AsDocument.Where(a => a.Value.IsString).Select(a => KeyValuePair.Create(a.Key, a.Value.AsString))) : null)).ToList();

    /// <summary>A page of the events, in id order, after an id ("" for the first page).</summary>
    /// <param name="after">The last id of the page before.</param>
    /// <param name="take">The page's size.</param>
    /// <returns>The events.</returns>
    public IReadOnlyList<StoredEvent> Events(string after, int take) =>
        _events.Query().Where(BsonExpression.Create("$._id > @0", after)).OrderBy("_id").Limit(take).ToEnumerable().Select(d =>
        {
            var json = d["json"].AsString;
            var e = WorkflowJson.Read<Event>(json);
            return new StoredEvent(e.Id, e.EventName ?? string.Empty, e.EventKey ?? string.Empty, WorkflowJson.Ticks(e.EventTime), e.IsProcessed, json);
        }).ToList();

    /// <inheritdoc />
    public void Dispose() => _db.Dispose();
}
