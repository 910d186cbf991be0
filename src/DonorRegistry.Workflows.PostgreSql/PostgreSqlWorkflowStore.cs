using DonorRegistry.Workflows.Persistence;
using Npgsql;
using NpgsqlTypes;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.PostgreSql;

// Over 400 lines on purpose, as the LiteDB provider: one class implements WorkflowCore's five repository interfaces
// (workflows, subscriptions, events, errors, scheduled commands) and the library's look-ups; each method is short.

/// <summary>
/// WorkflowCore's persistence on PostgreSQL, in the schema <c>workflows</c>: tables <c>workflow</c>, <c>subscription</c>,
/// <c>event</c>, <c>execution_error</c> (and <c>execution_log</c>, <see cref="PostgreSqlExecutionLogStore"/>). Instances,
/// subscriptions and events are kept whole as JSON with type names (<see cref="WorkflowJson"/>, in <c>json</c> columns,
/// which keep the text as written: Newtonsoft reads <c>$type</c> first, and <c>jsonb</c> would reorder keys) beside the
/// columns the queries need; instants are UTC ticks, as in the LiteDB provider. A subscription's token and an event's
/// processed flag live only in their columns (read over the JSON), so taking a token and marking an event are single
/// <c>UPDATE</c>s: <see cref="SetSubscriptionToken"/> is <c>UPDATE … WHERE external_token IS NULL</c>, atomic across
/// processes. A workflow saved with its subscriptions, and the retention rule's settling, share one transaction.
/// <para>
/// Retention: the rule of <see cref="IWorkflowStore"/>, as in the LiteDB provider. A workflow saved as finished takes a
/// transaction-level advisory lock on its reference first, so two workflows of one reference finishing at once do not
/// each see the other still running and both leave the events due.
/// </para>
/// </summary>
internal sealed class PostgreSqlWorkflowStore : IWorkflowStore, IDisposable
{
    // The SQL names WorkflowCore's statuses by number: 0 runnable, 1 suspended (both "running" for retention),
    // 2 complete, 3 terminated (both "finished"); StatusNumbers_AreWorkflowCores in the tests checks them.
    private const string SubscriptionColumns = "subscription, external_token, external_worker_id, external_token_expiry_ticks";
    private const string EventColumns = "event, is_processed";

    // References of finished workflows with no running workflow of the same reference.
    private const string FinishedReferences = """
        SELECT DISTINCT w.reference FROM {s}.workflow w
        WHERE w.status IN (2, 3) AND w.reference IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM {s}.workflow r WHERE r.reference = w.reference AND r.status IN (0, 1))
        """;

    private readonly PostgreSqlWorkflowDatabase _db;
    private readonly bool _ownsDatabase;

    /// <summary>Keeps workflows in a database; the store disposes it if it owns it.</summary>
    /// <param name="database">The database.</param>
    /// <param name="ownsDatabase">Whether disposing the store disposes the database.</param>
    public PostgreSqlWorkflowStore(PostgreSqlWorkflowDatabase database, bool ownsDatabase = true)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _ownsDatabase = ownsDatabase;
    }

    /// <summary>The database (shared with the execution log).</summary>
    public PostgreSqlWorkflowDatabase Database => _db;

    /// <inheritdoc />
    public bool SupportsScheduledCommands => false;

    /// <summary>How long the processed events of a finished workflow are kept before <see cref="ApplyRetention"/> deletes them.</summary>
    public TimeSpan KeepProcessedEvents { get; init; } = TimeSpan.FromDays(30);

    /// <inheritdoc />
    public void EnsureStoreExists() => _db.EnsureMigrated();

    // ---- Workflows ------------------------------------------------------------------------------------

    /// <inheritdoc />
    public async Task<string> CreateNewWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        workflow.Id = Guid.NewGuid().ToString();
        await _db.RunAsync($"create workflow {workflow.Id}", async c =>
        {
            await using var command = UpsertWorkflow(c, null, workflow);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return workflow.Id;
    }

    /// <inheritdoc />
    public Task PersistWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default) =>
        PersistWorkflow(workflow, [], cancellationToken);

    /// <inheritdoc />
    public Task PersistWorkflow(WorkflowInstance workflow, List<EventSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(subscriptions);
        return _db.RunAsync($"save workflow {workflow.Id}", async c =>
        {
            var transaction = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var settle = workflow.Status is WorkflowStatus.Complete or WorkflowStatus.Terminated && workflow.Reference is not null;
                if (settle)
                {
                    await using var gate = Command(c, transaction, "SELECT pg_advisory_xact_lock(@key)");
                    gate.Parameters.AddWithValue("key", AdvisoryKey.For(_db.SchemaRaw, "\u001freference\u001f" + workflow.Reference));
                    await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var upsert = UpsertWorkflow(c, transaction, workflow))
                {
                    await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                foreach (var subscription in subscriptions)
                {
                    subscription.Id = Guid.NewGuid().ToString();
                    await using var insert = InsertSubscription(c, transaction, subscription);
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (settle)
                {
                    await using var settleCommand = Command(c, transaction, """
                        UPDATE {s}.event SET is_processed = true
                        WHERE event_key = @reference AND NOT is_processed
                          AND NOT EXISTS (SELECT 1 FROM {s}.workflow WHERE reference = @reference AND status IN (0, 1))
                        """);
                    settleCommand.Parameters.AddWithValue("reference", workflow.Reference!);
                    await settleCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IEnumerable<string>> GetRunnableInstances(DateTime asAt, CancellationToken cancellationToken = default) =>
        Ids("find runnable workflows", "SELECT id FROM {s}.workflow WHERE status = 0 AND next_execution IS NOT NULL AND next_execution BETWEEN 0 AND @asAt ORDER BY next_execution", cancellationToken, ("asAt", WorkflowJson.Ticks(asAt)));

    /// <inheritdoc />
    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(WorkflowStatus? status, string type, DateTime? createdFrom, DateTime? createdTo, int skip, int take) =>
        _db.RunAsync<IEnumerable<WorkflowInstance>>("list workflows", async c =>
        {
            await using var command = Command(c, null, """
                SELECT instance FROM {s}.workflow
                WHERE create_ticks BETWEEN @from AND @to
                  AND (@status::integer IS NULL OR status = @status::integer)
                  AND (@type::text IS NULL OR definition_id = @type::text)
                ORDER BY create_ticks, id OFFSET @skip LIMIT @take
                """);
            command.Parameters.AddWithValue("from", createdFrom is { } f ? WorkflowJson.Ticks(f) : 0L);
            command.Parameters.AddWithValue("to", createdTo is { } t ? WorkflowJson.Ticks(t) : long.MaxValue);
            command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Integer) { Value = status is { } s ? (int)s : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("type", NpgsqlDbType.Text) { Value = (object?)type ?? DBNull.Value });
            command.Parameters.AddWithValue("skip", Math.Max(0, skip));
            command.Parameters.AddWithValue("take", Math.Max(0, take));
            return await ReadAllAsync(command, r => ToWorkflow(r), CancellationToken.None).ConfigureAwait(false);
        }, CancellationToken.None);

    /// <inheritdoc />
    public async Task<WorkflowInstance> GetWorkflowInstance(string Id, CancellationToken cancellationToken = default)
    {
        if (Id is null)
        {
            return null!;
        }

        var found = await _db.RunAsync($"read workflow {Id}", async c =>
        {
            await using var command = Command(c, null, "SELECT instance FROM {s}.workflow WHERE id = @id");
            command.Parameters.AddWithValue("id", Id);
            return await ReadAllAsync(command, r => ToWorkflow(r), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault()!;
    }

    /// <inheritdoc />
    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        var wanted = (ids ?? []).Where(id => id is not null).ToArray();
        return _db.RunAsync<IEnumerable<WorkflowInstance>>("read workflows", async c =>
        {
            await using var command = Command(c, null, "SELECT instance FROM {s}.workflow WHERE id = ANY(@ids)");
            command.Parameters.AddWithValue("ids", wanted);
            var found = await ReadAllAsync(command, r => ToWorkflow(r), cancellationToken).ConfigureAwait(false);
            var byId = found.ToDictionary(w => w.Id, StringComparer.Ordinal);
            return wanted.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public IReadOnlyList<WorkflowInstance> FindByReference(string reference) =>
        Read($"find the workflows of {reference}", "SELECT instance FROM {s}.workflow WHERE reference = @reference ORDER BY create_ticks, id", r => ToWorkflow(r), ("reference", reference ?? string.Empty));

    // ---- Subscriptions ----------------------------------------------------------------------------------

    /// <inheritdoc />
    public async Task<string> CreateEventSubscription(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        subscription.Id = Guid.NewGuid().ToString();
        await _db.RunAsync($"subscribe workflow {subscription.WorkflowId} to {subscription.EventName}", async c =>
        {
            await using var command = InsertSubscription(c, null, subscription);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return subscription.Id;
    }

    /// <inheritdoc />
    public Task<IEnumerable<EventSubscription>> GetSubscriptions(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default) =>
        Query($"find the subscriptions to {eventName}", $"SELECT {SubscriptionColumns} FROM {{s}}.subscription WHERE event_name = @name AND event_key = @key AND subscribe_as_of_ticks <= @asOf ORDER BY subscribe_as_of_ticks, id", ToSubscription, cancellationToken, ("name", eventName ?? string.Empty), ("key", eventKey ?? string.Empty), ("asOf", WorkflowJson.Ticks(asOf)));

    /// <inheritdoc />
    public Task TerminateSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default) =>
        Execute($"end subscription {eventSubscriptionId}", "DELETE FROM {s}.subscription WHERE id = @id", cancellationToken, ("id", eventSubscriptionId ?? string.Empty));

    /// <inheritdoc />
    public async Task<EventSubscription> GetSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        if (eventSubscriptionId is null)
        {
            return null!;
        }

        var found = await Query($"read subscription {eventSubscriptionId}", $"SELECT {SubscriptionColumns} FROM {{s}}.subscription WHERE id = @id", ToSubscription, cancellationToken, ("id", eventSubscriptionId)).ConfigureAwait(false);
        return found.FirstOrDefault()!;
    }

    /// <inheritdoc />
    public async Task<EventSubscription> GetFirstOpenSubscription(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        var found = await Query($"find an open subscription to {eventName}", $"SELECT {SubscriptionColumns} FROM {{s}}.subscription WHERE event_name = @name AND event_key = @key AND subscribe_as_of_ticks <= @asOf AND external_token IS NULL ORDER BY subscribe_as_of_ticks, id LIMIT 1", ToSubscription, cancellationToken, ("name", eventName ?? string.Empty), ("key", eventKey ?? string.Empty), ("asOf", WorkflowJson.Ticks(asOf))).ConfigureAwait(false);
        return found.FirstOrDefault()!;
    }

    /// <inheritdoc />
    public async Task<bool> SetSubscriptionToken(string eventSubscriptionId, string token, string workerId, DateTime expiry, CancellationToken cancellationToken = default)
    {
        var taken = await _db.RunAsync($"take subscription {eventSubscriptionId}", async c =>
        {
            await using var command = Command(c, null, "UPDATE {s}.subscription SET external_token = @token, external_worker_id = @worker, external_token_expiry_ticks = @expiry WHERE id = @id AND external_token IS NULL");
            command.Parameters.AddWithValue("id", eventSubscriptionId ?? string.Empty);
            command.Parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Text) { Value = (object?)token ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("worker", NpgsqlDbType.Text) { Value = (object?)workerId ?? DBNull.Value });
            command.Parameters.AddWithValue("expiry", WorkflowJson.Ticks(expiry));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return taken == 1;
    }

    /// <inheritdoc />
    public async Task ClearSubscriptionToken(string eventSubscriptionId, string token, CancellationToken cancellationToken = default)
    {
        var (cleared, exists) = await _db.RunAsync($"release subscription {eventSubscriptionId}", async c =>
        {
            await using var command = Command(c, null, "UPDATE {s}.subscription SET external_token = NULL, external_worker_id = NULL, external_token_expiry_ticks = NULL WHERE id = @id AND external_token = @token");
            command.Parameters.AddWithValue("id", eventSubscriptionId ?? string.Empty);
            command.Parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Text) { Value = (object?)token ?? DBNull.Value });
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return (true, true);
            }

            await using var exists = Command(c, null, "SELECT count(*) FROM {s}.subscription WHERE id = @id");
            exists.Parameters.AddWithValue("id", eventSubscriptionId ?? string.Empty);
            return (false, (long)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0);
        }, cancellationToken).ConfigureAwait(false);
        if (!cleared && exists)
        {
            throw new InvalidOperationException($"Subscription {eventSubscriptionId} is held by another token; only its holder clears it.");
        }
    }

    // ---- Events -----------------------------------------------------------------------------------------

    /// <inheritdoc />
    public async Task<string> CreateEvent(Event newEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newEvent);
        newEvent.Id = Guid.NewGuid().ToString();
        await Execute($"publish event {newEvent.EventName} for {newEvent.EventKey}", "INSERT INTO {s}.event (id, event_name, event_key, event_time_ticks, is_processed, event) VALUES (@id, @name, @key, @time, @processed, @json)", cancellationToken,
            ("id", newEvent.Id), ("name", newEvent.EventName ?? string.Empty), ("key", newEvent.EventKey ?? string.Empty), ("time", WorkflowJson.Ticks(newEvent.EventTime)), ("processed", newEvent.IsProcessed), ("json", new Json(WorkflowJson.Write(newEvent)))).ConfigureAwait(false);
        return newEvent.Id;
    }

    /// <inheritdoc />
    public async Task<Event> GetEvent(string id, CancellationToken cancellationToken = default)
    {
        if (id is null)
        {
            return null!;
        }

        var found = await Query($"read event {id}", $"SELECT {EventColumns} FROM {{s}}.event WHERE id = @id", ToEvent, cancellationToken, ("id", id)).ConfigureAwait(false);
        return found.FirstOrDefault()!;
    }

    /// <inheritdoc />
    public Task<IEnumerable<string>> GetRunnableEvents(DateTime asAt, CancellationToken cancellationToken = default) =>
        Ids("find due events", "SELECT id FROM {s}.event WHERE NOT is_processed AND event_time_ticks BETWEEN 0 AND @asAt ORDER BY event_time_ticks, id", cancellationToken, ("asAt", WorkflowJson.Ticks(asAt)));

    /// <inheritdoc />
    public Task<IEnumerable<string>> GetEvents(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default) =>
        Ids($"find events {eventName}", "SELECT id FROM {s}.event WHERE event_name = @name AND event_key = @key AND event_time_ticks >= @asOf ORDER BY event_time_ticks, id", cancellationToken, ("name", eventName ?? string.Empty), ("key", eventKey ?? string.Empty), ("asOf", WorkflowJson.Ticks(asOf)));

    /// <inheritdoc />
    public IReadOnlyList<Event> FindEventsByKey(string eventKey) =>
        Read($"find the events of {eventKey}", $"SELECT {EventColumns} FROM {{s}}.event WHERE event_key = @key ORDER BY event_time_ticks, id", ToEvent, ("key", eventKey ?? string.Empty));

    /// <inheritdoc />
    public Task MarkEventProcessed(string id, CancellationToken cancellationToken = default) =>
        Execute($"mark event {id} processed", "UPDATE {s}.event SET is_processed = true WHERE id = @id", cancellationToken, ("id", id ?? string.Empty));

    /// <inheritdoc />
    public Task MarkEventUnprocessed(string id, CancellationToken cancellationToken = default) =>
        Execute($"mark event {id} unprocessed", "UPDATE {s}.event SET is_processed = false WHERE id = @id", cancellationToken, ("id", id ?? string.Empty));

    // ---- Retention --------------------------------------------------------------------------------------

    /// <inheritdoc />
    public (int Settled, int Purged) ApplyRetention(DateTime utcNow) =>
        _db.Run("apply the event retention rule", c =>
        {
            using var transaction = c.BeginTransaction();
            using var settle = Command(c, transaction, $$"""
                UPDATE {s}.event e SET is_processed = true
                FROM ({{FinishedReferences}}) f
                WHERE e.event_key = f.reference AND NOT e.is_processed
                """);
            var settled = settle.ExecuteNonQuery();
            using var purge = Command(c, transaction, $$"""
                DELETE FROM {s}.event e
                USING ({{FinishedReferences}}) f
                WHERE e.event_key = f.reference AND e.is_processed AND e.event_time_ticks < @cutoff
                """);
            purge.Parameters.AddWithValue("cutoff", WorkflowJson.Ticks(utcNow) - KeepProcessedEvents.Ticks);
            var purged = purge.ExecuteNonQuery();
            transaction.Commit();
            return (settled, purged);
        });

    /// <inheritdoc />
    public IReadOnlyList<Event> FindDueEventsOfFinishedWorkflows() =>
        Read("find due events of finished workflows", $$"""
            SELECT {{EventColumns}} FROM {s}.event e
            WHERE NOT e.is_processed AND e.event_key IN ({{FinishedReferences}})
            ORDER BY e.event_time_ticks, e.id
            """, ToEvent);

    // ---- Errors and scheduled commands -------------------------------------------------------------------

    /// <inheritdoc />
    public Task PersistErrors(IEnumerable<ExecutionError> errors, CancellationToken cancellationToken = default)
    {
        var all = (errors ?? []).ToList();
        if (all.Count == 0)
        {
            return Task.CompletedTask;
        }

        return _db.RunAsync($"store {all.Count} step error(s)", async c =>
        {
            await using var command = Command(c, null, "INSERT INTO {s}.execution_error (workflow_id, execution_pointer_id, error_ticks, message) SELECT * FROM unnest(@workflows, @pointers, @at, @messages)");
            command.Parameters.AddWithValue("workflows", all.Select(e => e.WorkflowId ?? string.Empty).ToArray());
            command.Parameters.AddWithValue("pointers", all.Select(e => e.ExecutionPointerId ?? string.Empty).ToArray());
            command.Parameters.AddWithValue("at", all.Select(e => WorkflowJson.Ticks(e.ErrorTime)).ToArray());
            command.Parameters.AddWithValue("messages", all.Select(e => e.Message ?? string.Empty).ToArray());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public IReadOnlyList<ExecutionError> FindErrors(string workflowId) =>
        Read($"read the errors of workflow {workflowId}", "SELECT workflow_id, execution_pointer_id, error_ticks, message FROM {s}.execution_error WHERE workflow_id = @workflow ORDER BY error_ticks, id", r => new ExecutionError
        {
            WorkflowId = r.GetString(0),
            ExecutionPointerId = r.GetString(1),
            ErrorTime = WorkflowJson.Utc(r.GetInt64(2)),
            Message = r.GetString(3),
        }, ("workflow", workflowId ?? string.Empty));

    /// <inheritdoc />
    public Task ScheduleCommand(ScheduledCommand command) =>
        throw new NotSupportedException("The PostgreSQL workflow store does not keep scheduled commands (SupportsScheduledCommands is false); WorkflowCore polls instead.");

    /// <inheritdoc />
    public Task ProcessCommands(DateTimeOffset asOf, Func<ScheduledCommand, Task> action, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The PostgreSQL workflow store does not keep scheduled commands (SupportsScheduledCommands is false); WorkflowCore polls instead.");

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }

    // ---- Commands and mapping -----------------------------------------------------------------------------

    private NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) => new(_db.Sql(sql), connection, transaction);

    private NpgsqlCommand UpsertWorkflow(NpgsqlConnection connection, NpgsqlTransaction? transaction, WorkflowInstance w)
    {
        var command = Command(connection, transaction, """
            INSERT INTO {s}.workflow (id, definition_id, version, status, next_execution, reference, create_ticks, instance)
            VALUES (@id, @definition, @version, @status, @next, @reference, @created, @json)
            ON CONFLICT (id) DO UPDATE SET definition_id = excluded.definition_id, version = excluded.version, status = excluded.status,
                next_execution = excluded.next_execution, reference = excluded.reference, create_ticks = excluded.create_ticks, instance = excluded.instance
            """);
        command.Parameters.AddWithValue("id", w.Id);
        command.Parameters.AddWithValue("definition", w.WorkflowDefinitionId ?? string.Empty);
        command.Parameters.AddWithValue("version", w.Version);
        command.Parameters.AddWithValue("status", (int)w.Status);
        command.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.Bigint) { Value = w.NextExecution is { } next ? next : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("reference", NpgsqlDbType.Text) { Value = (object?)w.Reference ?? DBNull.Value });
        command.Parameters.AddWithValue("created", WorkflowJson.Ticks(w.CreateTime));
        command.Parameters.Add(new NpgsqlParameter("json", NpgsqlDbType.Json) { Value = WorkflowJson.Write(w) });
        return command;
    }

    private NpgsqlCommand InsertSubscription(NpgsqlConnection connection, NpgsqlTransaction? transaction, EventSubscription s)
    {
        var command = Command(connection, transaction, """
            INSERT INTO {s}.subscription (id, workflow_id, event_name, event_key, subscribe_as_of_ticks, external_token, external_worker_id, external_token_expiry_ticks, subscription)
            VALUES (@id, @workflow, @name, @key, @asOf, @token, @worker, @expiry, @json)
            """);
        command.Parameters.AddWithValue("id", s.Id);
        command.Parameters.AddWithValue("workflow", s.WorkflowId ?? string.Empty);
        command.Parameters.AddWithValue("name", s.EventName ?? string.Empty);
        command.Parameters.AddWithValue("key", s.EventKey ?? string.Empty);
        command.Parameters.AddWithValue("asOf", WorkflowJson.Ticks(s.SubscribeAsOf));
        command.Parameters.Add(new NpgsqlParameter("token", NpgsqlDbType.Text) { Value = (object?)s.ExternalToken ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("worker", NpgsqlDbType.Text) { Value = (object?)s.ExternalWorkerId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("expiry", NpgsqlDbType.Bigint) { Value = s.ExternalTokenExpiry is { } expiry ? WorkflowJson.Ticks(expiry) : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("json", NpgsqlDbType.Json) { Value = WorkflowJson.Write(s) });
        return command;
    }

    private static WorkflowInstance ToWorkflow(NpgsqlDataReader r) => WorkflowJson.Read<WorkflowInstance>(r.GetString(0));

    private static EventSubscription ToSubscription(NpgsqlDataReader r)
    {
        var subscription = WorkflowJson.Read<EventSubscription>(r.GetString(0));
        subscription.ExternalToken = r.IsDBNull(1) ? null : r.GetString(1);
        subscription.ExternalWorkerId = r.IsDBNull(2) ? null : r.GetString(2);
        subscription.ExternalTokenExpiry = r.IsDBNull(3) ? null : WorkflowJson.Utc(r.GetInt64(3));
        return subscription;
    }

    private static Event ToEvent(NpgsqlDataReader r)
    {
        var stored = WorkflowJson.Read<Event>(r.GetString(0));
        stored.IsProcessed = r.GetBoolean(1);
        return stored;
    }

    private static void Bind(NpgsqlCommand command, (string Name, object Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(value is Json json
                ? new NpgsqlParameter(name, NpgsqlDbType.Json) { Value = json.Text }
                : new NpgsqlParameter(name, value));
        }
    }

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var found = new List<T>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(map(reader));
            }
        }

        return found;
    }

    private Task Execute(string operation, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        _db.RunAsync(operation, async c =>
        {
            await using var command = Command(c, null, sql);
            Bind(command, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private Task<IEnumerable<T>> Query<T>(string operation, string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        _db.RunAsync<IEnumerable<T>>(operation, async c =>
        {
            await using var command = Command(c, null, sql);
            Bind(command, parameters);
            return await ReadAllAsync(command, map, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private Task<IEnumerable<string>> Ids(string operation, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        Query(operation, sql, r => r.GetString(0), cancellationToken, parameters);

    private List<T> Read<T>(string operation, string sql, Func<NpgsqlDataReader, T> map, params (string Name, object Value)[] parameters) =>
        _db.Run(operation, c =>
        {
            using var command = Command(c, null, sql);
            Bind(command, parameters);
            var found = new List<T>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                found.Add(map(reader));
            }

            return found;
        });

    /// <summary>A parameter's value to send as <c>json</c>.</summary>
    private sealed record Json(string Text);
}
