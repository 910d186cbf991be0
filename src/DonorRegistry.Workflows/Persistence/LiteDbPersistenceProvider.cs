using DonorRegistry.Storage.LiteDb;
using LiteDB;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Persistence;

// Over 400 lines on purpose: one class implements WorkflowCore's five repository interfaces (workflows, subscriptions,
// events, errors, scheduled commands), as its provider contract asks; each method is short.

/// <summary>
/// WorkflowCore's persistence on LiteDB: workflow instances, event subscriptions, events and step errors, each
/// in its own collection (<c>wf_workflows</c>, <c>wf_subscriptions</c>, <c>wf_events</c>, <c>wf_errors</c>). It shares
/// the registry's one <see cref="LiteDatabase"/> (the default: one file to back up, and no second instance on
/// the file) or opens a file of its own. Every method completes synchronously: LiteDB transactions belong to a
/// thread, so none may span an await. Scheduled commands are not supported; WorkflowCore then polls for
/// runnable instances and events instead.
/// <para>
/// Retention: WorkflowCore marks an event processed only when it was matched to subscriptions; an event that no
/// subscription ever took (a second lecture, an import while no step waited) stays due and is polled for ever.
/// So when a workflow is saved as complete or terminated, the unprocessed events under its reference (the event key
/// of the library's workflows: the drive's code, the donation's number) are marked processed in the same
/// transaction, unless another workflow with that reference still runs; <see cref="ApplyRetention"/> does the same
/// for every finished workflow at start-up, and deletes the processed events of finished workflows older than
/// <see cref="KeepProcessedEvents"/>. Events under a key no workflow has (yet) are left alone: WorkflowCore
/// delivers an event published before its workflow waits.
/// </para>
/// </summary>
internal sealed class LiteDbPersistenceProvider : IWorkflowStore, IDisposable
{
    internal const string WorkflowCollection = "wf_workflows";
    internal const string SubscriptionCollection = "wf_subscriptions";
    internal const string EventCollection = "wf_events";
    internal const string ErrorCollection = "wf_errors";
    private readonly LiteDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly Lock _transactionGate = new();

    /// <summary>The database the workflows are kept in.</summary>
    internal LiteDatabase Database => _db;

    /// <summary>Keeps workflows in a database that is already open, such as the registry's; the caller disposes it.</summary>
    /// <param name="database">The open database.</param>
    public LiteDbPersistenceProvider(LiteDatabase database)
        : this(database ?? throw new ArgumentNullException(nameof(database)), ownsDatabase: false)
    {
    }

    private LiteDbPersistenceProvider(LiteDatabase database, bool ownsDatabase)
    {
        _db = database;
        _ownsDatabase = ownsDatabase;
        Workflows = _db.GetCollection(WorkflowCollection);
        Subscriptions = _db.GetCollection(SubscriptionCollection);
        Events = _db.GetCollection(EventCollection);
        Errors = _db.GetCollection(ErrorCollection, BsonAutoId.Int64);
        EnsureStoreExists();
    }

    /// <inheritdoc />
    public bool SupportsScheduledCommands => false;

    /// <summary>How long the processed events of a finished workflow are kept before <see cref="ApplyRetention"/> deletes them.</summary>
    internal TimeSpan KeepProcessedEvents { get; init; } = TimeSpan.FromDays(30);

    internal ILiteCollection<BsonDocument> Workflows { get; }

    internal ILiteCollection<BsonDocument> Subscriptions { get; }

    internal ILiteCollection<BsonDocument> Events { get; }

    internal ILiteCollection<BsonDocument> Errors { get; }

    /// <summary>Opens (or creates) a workflow store in a file of its own, which the provider disposes.</summary>
    /// <param name="path">The file; not the registry's own file, which already has its one instance open.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentException">The path is blank.</exception>
    public static LiteDbPersistenceProvider Open(string path) => Open(path, TimeSpan.FromDays(30));

    /// <summary>Opens (or creates) a workflow store in a file of its own, keeping finished workflows' processed events as long as given.</summary>
    /// <param name="path">The file.</param>
    /// <param name="keepProcessedEvents">See <see cref="KeepProcessedEvents"/>.</param>
    /// <returns>The provider.</returns>
    internal static LiteDbPersistenceProvider Open(string path, TimeSpan keepProcessedEvents)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        // WorkflowCore's threads use the store at once: behind the gate, as the registry's own file (LiteDB's page-cache race, ADR 27).
        var engine = new LiteDB.Engine.LiteEngine(new LiteDB.Engine.EngineSettings { Filename = Path.GetFullPath(path) });
        return new LiteDbPersistenceProvider(new LiteDatabase(new GatedEngine(engine)) { UtcDate = true }, ownsDatabase: true) { KeepProcessedEvents = keepProcessedEvents };
    }

    /// <inheritdoc />
    public void EnsureStoreExists()
    {
        Workflows.EnsureIndex("next");
        Workflows.EnsureIndex("reference");
        Workflows.EnsureIndex("created");
        Subscriptions.EnsureIndex("key");
        Events.EnsureIndex("key");
        Events.EnsureIndex("due");
        Events.EnsureIndex("eventKey");
        Errors.EnsureIndex("workflow");
    }

    // ---- Workflows ------------------------------------------------------------------------------------

    /// <inheritdoc />
    public Task<string> CreateNewWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        workflow.Id = Guid.NewGuid().ToString();
        Workflows.Insert(ToDocument(workflow));
        return Task.FromResult(workflow.Id);
    }

    /// <inheritdoc />
    public Task PersistWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        InTransaction(() =>
        {
            Workflows.Upsert(ToDocument(workflow));
            SettleIfFinished(workflow);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PersistWorkflow(WorkflowInstance workflow, List<EventSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(subscriptions);
        InTransaction(() =>
        {
            Workflows.Upsert(ToDocument(workflow));
            foreach (var subscription in subscriptions)
            {
                subscription.Id = Guid.NewGuid().ToString();
                Subscriptions.Insert(ToDocument(subscription));
            }

            SettleIfFinished(workflow);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IEnumerable<string>> GetRunnableInstances(DateTime asAt, CancellationToken cancellationToken = default)
    {
        // "next" is null for instances that wait for nothing; Between keeps nulls (which sort first) out.
        var due = BsonExpression.Create("$.next BETWEEN @0 AND @1 AND $.status = @2", 0L, WorkflowJson.Ticks(asAt), (int)WorkflowStatus.Runnable);
        IEnumerable<string> ids = Workflows.Find(due).Select(d => d["_id"].AsString).ToList();
        return Task.FromResult(ids);
    }

    /// <inheritdoc />
    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(WorkflowStatus? status, string type, DateTime? createdFrom, DateTime? createdTo, int skip, int take)
    {
        var from = createdFrom is { } f ? WorkflowJson.Ticks(f) : 0L;
        var to = createdTo is { } t ? WorkflowJson.Ticks(t) : long.MaxValue;
        IEnumerable<WorkflowInstance> found = Workflows.Find(Where.Between("created", from, to))
            .Where(d => status is null || d["status"].AsInt32 == (int)status)
            .Where(d => type is null || d["definition"].AsString == type)
            .Skip(skip)
            .Take(take)
            .Select(ToWorkflow)
            .ToList();
        return Task.FromResult(found);
    }

    /// <inheritdoc />
    public Task<WorkflowInstance> GetWorkflowInstance(string Id, CancellationToken cancellationToken = default)
    {
        var document = Id is null ? null : Workflows.FindById(Id);
        return Task.FromResult(document is null ? null! : ToWorkflow(document));
    }

    /// <inheritdoc />
    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        IEnumerable<WorkflowInstance> found = (ids ?? []).Select(id => Workflows.FindById(id)).Where(d => d is not null).Select(ToWorkflow).ToList();
        return Task.FromResult(found);
    }

    /// <summary>The workflow instances started for a reference (such as a drive's code), oldest first.</summary>
    /// <param name="reference">The reference given when the workflow was started.</param>
    /// <returns>The instances.</returns>
    public IReadOnlyList<WorkflowInstance> FindByReference(string reference) =>
        Workflows.Find(Where.Eq("reference", reference)).Select(ToWorkflow).OrderBy(w => w.CreateTime).ToList();

    // ---- Subscriptions ----------------------------------------------------------------------------------

    /// <inheritdoc />
    public Task<string> CreateEventSubscription(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        subscription.Id = Guid.NewGuid().ToString();
        Subscriptions.Insert(ToDocument(subscription));
        return Task.FromResult(subscription.Id);
    }

    /// <inheritdoc />
    public Task<IEnumerable<EventSubscription>> GetSubscriptions(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        IEnumerable<EventSubscription> found = MatchingSubscriptions(eventName, eventKey, asOf).ToList();
        return Task.FromResult(found);
    }

    /// <inheritdoc />
    public Task TerminateSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        Subscriptions.Delete(eventSubscriptionId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<EventSubscription> GetSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        var document = eventSubscriptionId is null ? null : Subscriptions.FindById(eventSubscriptionId);
        return Task.FromResult(document is null ? null! : ToSubscription(document));
    }

    /// <inheritdoc />
    public Task<EventSubscription> GetFirstOpenSubscription(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var first = MatchingSubscriptions(eventName, eventKey, asOf).Where(s => s.ExternalToken is null).OrderBy(s => s.SubscribeAsOf).FirstOrDefault();
        return Task.FromResult(first!);
    }

    /// <inheritdoc />
    public Task<bool> SetSubscriptionToken(string eventSubscriptionId, string token, string workerId, DateTime expiry, CancellationToken cancellationToken = default)
    {
        var taken = false;
        InTransaction(() =>
        {
            if (Subscriptions.FindById(eventSubscriptionId) is not { } document || !document["token"].IsNull)
            {
                return;
            }

            var subscription = ToSubscription(document);
            subscription.ExternalToken = token;
            subscription.ExternalWorkerId = workerId;
            subscription.ExternalTokenExpiry = expiry;
            Subscriptions.Update(ToDocument(subscription));
            taken = true;
        });
        return Task.FromResult(taken);
    }

    /// <inheritdoc />
    public Task ClearSubscriptionToken(string eventSubscriptionId, string token, CancellationToken cancellationToken = default)
    {
        InTransaction(() =>
        {
            if (Subscriptions.FindById(eventSubscriptionId) is not { } document)
            {
                return;
            }

            var subscription = ToSubscription(document);
            if (subscription.ExternalToken != token)
            {
                throw new InvalidOperationException($"Subscription {eventSubscriptionId} is held by another token; only its holder clears it.");
            }

            subscription.ExternalToken = null;
            subscription.ExternalWorkerId = null;
            subscription.ExternalTokenExpiry = null;
            Subscriptions.Update(ToDocument(subscription));
        });
        return Task.CompletedTask;
    }

    // ---- Events -----------------------------------------------------------------------------------------

    /// <inheritdoc />
    public Task<string> CreateEvent(Event newEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        newEvent.Id = Guid.NewGuid().ToString();
        Events.Insert(ToDocument(newEvent));
        return Task.FromResult(newEvent.Id);
    }

    /// <inheritdoc />
    public Task<Event> GetEvent(string id, CancellationToken cancellationToken = default)
    {
        var document = id is null ? null : Events.FindById(id);
        return Task.FromResult(document is null ? null! : ToEvent(document));
    }

    /// <inheritdoc />
    public Task<IEnumerable<string>> GetRunnableEvents(DateTime asAt, CancellationToken cancellationToken = default)
    {
        // "due" holds the event time while the event is unprocessed, and null once it is processed.
        IEnumerable<string> ids = Events.Find(Where.Between("due", 0L, WorkflowJson.Ticks(asAt))).Select(d => d["_id"].AsString).ToList();
        return Task.FromResult(ids);
    }

    /// <inheritdoc />
    public Task<IEnumerable<string>> GetEvents(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var from = WorkflowJson.Ticks(asOf);
        IEnumerable<string> ids = Events.Find(Where.Eq("key", Key(eventName, eventKey)))
            .Where(d => d["time"].AsInt64 >= from)
            .Select(d => d["_id"].AsString)
            .ToList();
        return Task.FromResult(ids);
    }

    /// <summary>Every event published under a key (such as a drive's code), in the order published.</summary>
    /// <param name="eventKey">The key.</param>
    /// <returns>The events.</returns>
    public IReadOnlyList<Event> FindEventsByKey(string eventKey) =>
        Events.Find(Where.Eq("eventKey", eventKey)).Select(ToEvent).OrderBy(e => e.EventTime).ToList();

    /// <inheritdoc />
    public Task MarkEventProcessed(string id, CancellationToken cancellationToken = default) => SetProcessed(id, true);

    /// <inheritdoc />
    public Task MarkEventUnprocessed(string id, CancellationToken cancellationToken = default) => SetProcessed(id, false);

    // ---- Retention --------------------------------------------------------------------------------------

    /// <summary>
    /// The retention rule, applied to the whole store (at start-up): the unprocessed events under the reference of a
    /// finished workflow (and of no running one) are marked processed, and such processed events older than
    /// <see cref="KeepProcessedEvents"/> are deleted.
    /// </summary>
    /// <param name="utcNow">WorkflowCore's clock now (UTC).</param>
    /// <returns>How many events were marked processed, and how many were deleted.</returns>
    public (int Settled, int Purged) ApplyRetention(DateTime utcNow)
    {
        var settled = 0;
        var purged = 0;
        InTransaction(() =>
        {
            var cutoff = WorkflowJson.Ticks(utcNow) - KeepProcessedEvents.Ticks;
            var finished = Workflows.Find(Finished())
                .Select(d => d["reference"])
                .Where(r => r.IsString)
                .Select(r => r.AsString)
                .Distinct(StringComparer.Ordinal)
                .Where(r => !HasRunningWorkflow(r))
                .ToList();
            foreach (var reference in finished)
            {
                settled += Settle(reference);
                purged += Events.DeleteMany(BsonExpression.Create("$.eventKey = @0 AND $.due = null AND $.time < @1", reference, cutoff));
            }
        });
        return (settled, purged);
    }

    /// <summary>The events still due under the reference of a finished workflow (none, once the retention rule holds).</summary>
    /// <returns>The events, oldest first.</returns>
    public IReadOnlyList<Event> FindDueEventsOfFinishedWorkflows()
    {
        var finished = Workflows.Find(Finished())
            .Select(d => d["reference"]).Where(r => r.IsString).Select(r => r.AsString).ToHashSet(StringComparer.Ordinal);
        return Events.Find(Query.Not("due", BsonValue.Null)).Select(ToEvent)
            .Where(e => e.EventKey is not null && finished.Contains(e.EventKey) && !HasRunningWorkflow(e.EventKey))
            .OrderBy(e => e.EventTime).ToList();
    }

    private void SettleIfFinished(WorkflowInstance workflow)
    {
        if (workflow.Status is WorkflowStatus.Complete or WorkflowStatus.Terminated && workflow.Reference is { } reference && !HasRunningWorkflow(reference))
        {
            Settle(reference);
        }
    }

    /// <summary>Workflow instances that are complete or terminated.</summary>
    private static BsonExpression Finished() => BsonExpression.Create("$.status = @0 OR $.status = @1", (int)WorkflowStatus.Complete, (int)WorkflowStatus.Terminated);

    private bool HasRunningWorkflow(string reference) =>
        Workflows.Find(Where.Eq("reference", reference)).Any(d => d["status"].AsInt32 is (int)WorkflowStatus.Runnable or (int)WorkflowStatus.Suspended);

    /// <summary>Marks the unprocessed events under a key processed (inside the caller's transaction).</summary>
    private int Settle(string eventKey)
    {
        var due = Events.Find(BsonExpression.Create("$.eventKey = @0 AND $.due != null", eventKey)).ToList();
        foreach (var document in due)
        {
            var stored = ToEvent(document);
            stored.IsProcessed = true;
            Events.Update(ToDocument(stored));
        }

        return due.Count;
    }

    // ---- Errors and scheduled commands -------------------------------------------------------------------

    /// <inheritdoc />
    public Task PersistErrors(IEnumerable<ExecutionError> errors, CancellationToken cancellationToken = default)
    {
        var documents = (errors ?? []).Select(e => new BsonDocument
        {
            ["workflow"] = e.WorkflowId ?? string.Empty,
            ["pointer"] = e.ExecutionPointerId ?? string.Empty,
            ["at"] = WorkflowJson.Ticks(e.ErrorTime),
            ["message"] = e.Message ?? string.Empty,
        }).ToList();
        if (documents.Count > 0)
        {
            Errors.InsertBulk(documents);
        }

        return Task.CompletedTask;
    }

    /// <summary>The step errors stored for a workflow instance, oldest first.</summary>
    /// <param name="workflowId">The instance.</param>
    /// <returns>The errors.</returns>
    public IReadOnlyList<ExecutionError> FindErrors(string workflowId) =>
        Errors.Find(Where.Eq("workflow", workflowId)).Select(d => new ExecutionError
        {
            WorkflowId = d["workflow"].AsString,
            ExecutionPointerId = d["pointer"].AsString,
            ErrorTime = WorkflowJson.Utc(d["at"].AsInt64),
            Message = d["message"].AsString,
        }).OrderBy(e => e.ErrorTime).ToList();

    /// <inheritdoc />
    public Task ScheduleCommand(ScheduledCommand command) =>
        throw new NotSupportedException("The LiteDB workflow store does not keep scheduled commands (SupportsScheduledCommands is false); WorkflowCore polls instead.");

    /// <inheritdoc />
    public Task ProcessCommands(DateTimeOffset asOf, Func<ScheduledCommand, Task> action, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The LiteDB workflow store does not keep scheduled commands (SupportsScheduledCommands is false); WorkflowCore polls instead.");

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }

    // ---- Mapping --------------------------------------------------------------------------------------

    private static string Key(string eventName, string eventKey) => eventName + "\u001f" + eventKey;

    private IEnumerable<EventSubscription> MatchingSubscriptions(string eventName, string eventKey, DateTime asOf)
    {
        var until = WorkflowJson.Ticks(asOf);
        return Subscriptions.Find(Where.Eq("key", Key(eventName, eventKey)))
            .Where(d => d["asOf"].AsInt64 <= until)
            .Select(ToSubscription);
    }

    private Task SetProcessed(string id, bool processed)
    {
        InTransaction(() =>
        {
            if (Events.FindById(id) is not { } document)
            {
                return;
            }

            var stored = ToEvent(document);
            stored.IsProcessed = processed;
            Events.Update(ToDocument(stored));
        });
        return Task.CompletedTask;
    }

    /// <summary>Runs a read-modify-write in one transaction; if this thread already has one open (it never should), the work joins it.</summary>
    private void InTransaction(Action work)
    {
        lock (_transactionGate)
        {
            var began = _db.BeginTrans();
            try
            {
                work();
                if (began)
                {
                    _db.Commit();
                }
            }
            catch
            {
                if (began)
                {
                    _db.Rollback();
                }

                throw;
            }
        }
    }

    private static BsonDocument ToDocument(WorkflowInstance w) => new()
    {
        ["_id"] = w.Id,
        ["definition"] = w.WorkflowDefinitionId ?? string.Empty,
        ["version"] = w.Version,
        ["status"] = (int)w.Status,
        ["next"] = w.NextExecution is { } next ? next : BsonValue.Null,
        ["reference"] = w.Reference is { } reference ? reference : BsonValue.Null,
        ["created"] = WorkflowJson.Ticks(w.CreateTime),
        ["json"] = WorkflowJson.Write(w),
    };

    private static WorkflowInstance ToWorkflow(BsonDocument d) => WorkflowJson.Read<WorkflowInstance>(d["json"].AsString);

    private static BsonDocument ToDocument(EventSubscription s) => new()
    {
        ["_id"] = s.Id,
        ["key"] = Key(s.EventName, s.EventKey),
        ["asOf"] = WorkflowJson.Ticks(s.SubscribeAsOf),
        ["token"] = s.ExternalToken is { } token ? token : BsonValue.Null,
        ["json"] = WorkflowJson.Write(s),
    };

    private static EventSubscription ToSubscription(BsonDocument d) => WorkflowJson.Read<EventSubscription>(d["json"].AsString);

    private static BsonDocument ToDocument(Event e) => new()
    {
        ["_id"] = e.Id,
        ["key"] = Key(e.EventName, e.EventKey),
        ["eventKey"] = e.EventKey ?? string.Empty,
        ["time"] = WorkflowJson.Ticks(e.EventTime),
        ["due"] = e.IsProcessed ? BsonValue.Null : WorkflowJson.Ticks(e.EventTime),
        ["json"] = WorkflowJson.Write(e),
    };

    private static Event ToEvent(BsonDocument d) => WorkflowJson.Read<Event>(d["json"].AsString);
}
