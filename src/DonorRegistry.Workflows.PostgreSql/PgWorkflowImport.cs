using System.Diagnostics;
using DonorRegistry.Workflows.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace DonorRegistry.Workflows.PostgreSql;

/// <summary>
/// Copies a branch's LiteDB workflow store into the PostgreSQL workflow store (ADR 22). The events go first, a page per
/// transaction, each inserted unless its id is there (<c>ON CONFLICT DO NOTHING</c>). Then the units
/// (<see cref="WorkflowUnit"/>: the workflows of one reference with their subscriptions and errors, and the reference's
/// execution log in the order written), several per transaction; a unit whose workflows are already in the target was
/// copied whole by an earlier run (one transaction wrote all of it) and is skipped, so a copy stopped at any point and
/// run again copies what is missing and nothing twice. Ids, JSON texts, pointers, tokens and notice keys are kept as
/// they are: a host on the copy resumes every workflow where it was and raises no notice a second time.
/// </summary>
internal sealed partial class PgWorkflowImport(LiteDbWorkflowExport from, PostgreSqlWorkflowDatabase to, IProgress<WorkflowImportProgress>? progress)
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Dictionary<string, long> _copied = new(StringComparer.Ordinal) { ["workflows"] = 0, ["subscriptions"] = 0, ["events"] = 0, ["errors"] = 0, ["log entries"] = 0 };
    private readonly Dictionary<string, long> _there = new(StringComparer.Ordinal) { ["workflows"] = 0, ["events"] = 0 };

    /// <summary>Workflows per transaction (a unit is never split).</summary>
    public int WorkflowBatch { get; init; } = 250;

    /// <summary>Events per transaction.</summary>
    public int EventBatch { get; init; } = 1000;

    public WorkflowImportResult Run()
    {
        to.EnsureMigrated();
        CopyEvents(from.Counts()["events"]);
        CopyUnits(from.Units());
        return new WorkflowImportResult(_copied, _there, _watch.Elapsed);
    }

    private void CopyEvents(long total)
    {
        var after = string.Empty;
        var done = 0L;
        while (true)
        {
            var page = from.Events(after, EventBatch);
            if (page.Count == 0)
            {
                break;
            }

            var inserted = to.Run($"copy {page.Count} events", c =>
            {
                using var command = new NpgsqlCommand(to.Sql("""
                    INSERT INTO {s}.event (id, event_name, event_key, event_time_ticks, is_processed, event)
                    SELECT i, n, k, t, p, j::json FROM unnest(@ids, @names, @keys, @times, @processed, @json) AS e(i, n, k, t, p, j)
                    ON CONFLICT (id) DO NOTHING
                    """), c);
                command.Parameters.AddWithValue("ids", page.Select(e => e.Id).ToArray());
                command.Parameters.AddWithValue("names", page.Select(e => e.EventName).ToArray());
                command.Parameters.AddWithValue("keys", page.Select(e => e.EventKey).ToArray());
                command.Parameters.AddWithValue("times", page.Select(e => e.TimeTicks).ToArray());
                command.Parameters.AddWithValue("processed", page.Select(e => e.IsProcessed).ToArray());
                command.Parameters.AddWithValue("json", page.Select(e => e.Json).ToArray());
                return command.ExecuteNonQuery();
            });
            _copied["events"] += inserted;
            _there["events"] += page.Count - inserted;
            done += page.Count;
            after = page[^1].Id;
            Report("events", done, total);
        }
    }

    private void CopyUnits(IReadOnlyList<WorkflowUnit> units)
    {
        var total = units.Sum(u => (long)u.WorkflowIds.Count);
        var done = 0L;
        var batch = new List<WorkflowUnit>();
        var size = 0;
        foreach (var unit in units)
        {
            batch.Add(unit);
            size += Math.Max(1, unit.WorkflowIds.Count);
            if (size >= WorkflowBatch)
            {
                done += CopyBatch(batch);
                Report("workflows", done, total);
                batch.Clear();
                size = 0;
            }
        }

        if (batch.Count > 0 || total == 0)
        {
            done += CopyBatch(batch);
            Report("workflows", done, total);
        }
    }

    /// <summary>Copies the units of a batch that the target does not hold yet, in one transaction; returns the batch's workflows.</summary>
    private int CopyBatch(List<WorkflowUnit> batch)
    {
        var (present, logged) = Present(batch);
        var missing = new List<WorkflowUnit>();
        foreach (var unit in batch)
        {
            var there = unit.WorkflowIds.Count(present.Contains);
            if (unit.WorkflowIds.Count == 0 ? logged.Contains(unit.LogReference) : there == unit.WorkflowIds.Count)
            {
                _there["workflows"] += there;
            }
            else if (there > 0)
            {
                throw new RegistryValidationException("target", to.Server, $"holds {there} of the {unit.WorkflowIds.Count} workflows of '{unit.LogReference}' but not all (they are copied together)",
                    "copy the branch into a workflow store that holds none of its workflows, or only what an earlier run of this import copied");
            }
            else
            {
                missing.Add(unit);
            }
        }

        if (missing.Count > 0)
        {
            var workflows = from.Workflows(missing.SelectMany(u => u.WorkflowIds)).ToList();
            var subscriptions = workflows.SelectMany(w => from.SubscriptionsOf(w.Id)).ToList();
            var errors = workflows.SelectMany(w => from.ErrorsOf(w.Id)).ToList();
            var log = missing.SelectMany(u => from.LogOf(u.LogReference)).ToList();
            to.Run($"copy {workflows.Count} workflows", c =>
            {
                using var transaction = c.BeginTransaction();
                InsertWorkflows(c, transaction, workflows);
                InsertSubscriptions(c, transaction, subscriptions);
                InsertErrors(c, transaction, errors);
                InsertLog(c, transaction, log);
                transaction.Commit();
                return 0;
            });
            _copied["workflows"] += workflows.Count;
            _copied["subscriptions"] += subscriptions.Count;
            _copied["errors"] += errors.Count;
            _copied["log entries"] += log.Count;
        }

        return batch.Sum(u => u.WorkflowIds.Count);
    }

    /// <summary>Which of the batch's workflows the target holds, and which of its log-only references have entries there.</summary>
    private (HashSet<string> Workflows, HashSet<string> Logged) Present(List<WorkflowUnit> batch) =>
        to.Run("look for workflows copied before", c =>
        {
            var workflows = Strings(c, "SELECT id FROM {s}.workflow WHERE id = ANY(@values)", batch.SelectMany(u => u.WorkflowIds).ToArray());
            var logOnly = batch.Where(u => u.WorkflowIds.Count == 0).Select(u => u.LogReference).ToArray();
            var logged = logOnly.Length == 0 ? [] : Strings(c, "SELECT DISTINCT reference FROM {s}.execution_log WHERE reference = ANY(@values)", logOnly);
            return (workflows, logged);
        });

    private HashSet<string> Strings(NpgsqlConnection c, string sql, string[] values)
    {
        using var command = new NpgsqlCommand(to.Sql(sql), c);
        command.Parameters.AddWithValue("values", values);
        using var reader = command.ExecuteReader();
        var found = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    private void InsertWorkflows(NpgsqlConnection c, NpgsqlTransaction t, List<StoredWorkflow> rows)
    {
        using var command = new NpgsqlCommand(to.Sql("""
            INSERT INTO {s}.workflow (id, definition_id, version, status, next_execution, reference, create_ticks, instance)
            SELECT i, d, v, s, n, r, c, j::json FROM unnest(@ids, @definitions, @versions, @statuses, @next, @references, @created, @json) AS w(i, d, v, s, n, r, c, j)
            """), c, t);
        command.Parameters.AddWithValue("ids", rows.Select(w => w.Id).ToArray());
        command.Parameters.AddWithValue("definitions", rows.Select(w => w.Definition).ToArray());
        command.Parameters.AddWithValue("versions", rows.Select(w => w.Version).ToArray());
        command.Parameters.AddWithValue("statuses", rows.Select(w => w.Status).ToArray());
        command.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(w => w.Next).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("references", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(w => w.Reference).ToArray() });
        command.Parameters.AddWithValue("created", rows.Select(w => w.CreatedTicks).ToArray());
        command.Parameters.AddWithValue("json", rows.Select(w => w.Json).ToArray());
        command.ExecuteNonQuery();
    }

    private void InsertSubscriptions(NpgsqlConnection c, NpgsqlTransaction t, List<StoredSubscription> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        using var command = new NpgsqlCommand(to.Sql("""
            INSERT INTO {s}.subscription (id, workflow_id, event_name, event_key, subscribe_as_of_ticks, external_token, external_worker_id, external_token_expiry_ticks, subscription)
            SELECT i, w, n, k, a, t, x, e, j::json FROM unnest(@ids, @workflows, @names, @keys, @asOf, @tokens, @workers, @expiry, @json) AS s(i, w, n, k, a, t, x, e, j)
            """), c, t);
        command.Parameters.AddWithValue("ids", rows.Select(s => s.Id).ToArray());
        command.Parameters.AddWithValue("workflows", rows.Select(s => s.WorkflowId).ToArray());
        command.Parameters.AddWithValue("names", rows.Select(s => s.EventName).ToArray());
        command.Parameters.AddWithValue("keys", rows.Select(s => s.EventKey).ToArray());
        command.Parameters.AddWithValue("asOf", rows.Select(s => s.AsOfTicks).ToArray());
        command.Parameters.Add(new NpgsqlParameter("tokens", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(s => s.Token).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("workers", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(s => s.WorkerId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("expiry", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(s => s.TokenExpiryTicks).ToArray() });
        command.Parameters.AddWithValue("json", rows.Select(s => s.Json).ToArray());
        command.ExecuteNonQuery();
    }

    private void InsertErrors(NpgsqlConnection c, NpgsqlTransaction t, List<StoredError> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        using var command = new NpgsqlCommand(to.Sql("""
            INSERT INTO {s}.execution_error (workflow_id, execution_pointer_id, error_ticks, message)
            SELECT w, p, a, m FROM unnest(@workflows, @pointers, @at, @messages) WITH ORDINALITY AS e(w, p, a, m, o) ORDER BY o
            """), c, t);
        command.Parameters.AddWithValue("workflows", rows.Select(e => e.WorkflowId).ToArray());
        command.Parameters.AddWithValue("pointers", rows.Select(e => e.PointerId).ToArray());
        command.Parameters.AddWithValue("at", rows.Select(e => e.AtTicks).ToArray());
        command.Parameters.AddWithValue("messages", rows.Select(e => e.Message).ToArray());
        command.ExecuteNonQuery();
    }

    /// <summary>The log entries in the order given (the branch's order per reference): the identity column numbers them in that order.</summary>
    private void InsertLog(NpgsqlConnection c, NpgsqlTransaction t, List<StoredLogEntry> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        using var command = new NpgsqlCommand(to.Sql("""
            INSERT INTO {s}.execution_log (reference, workflow_id, step, started_ticks, ended_ticks, outcome, detail, occasion, code, arguments)
            SELECT r, w, s, b, e, o, d, n, k, a::jsonb FROM unnest(@references, @workflows, @steps, @started, @ended, @outcomes, @details, @occasions, @codes, @arguments) WITH ORDINALITY AS l(r, w, s, b, e, o, d, n, k, a, i) ORDER BY i
            """), c, t);
        command.Parameters.AddWithValue("references", rows.Select(l => l.Reference).ToArray());
        command.Parameters.AddWithValue("workflows", rows.Select(l => l.WorkflowId).ToArray());
        command.Parameters.AddWithValue("steps", rows.Select(l => l.Step).ToArray());
        command.Parameters.AddWithValue("started", rows.Select(l => l.StartedTicks).ToArray());
        command.Parameters.AddWithValue("ended", rows.Select(l => l.EndedTicks).ToArray());
        command.Parameters.AddWithValue("outcomes", rows.Select(l => l.Outcome).ToArray());
        command.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(l => l.Detail).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("occasions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(l => l.Occasion).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(l => l.Code).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("arguments", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(l => l.Arguments).ToArray() });
        command.ExecuteNonQuery();
    }

    private void Report(string step, long done, long total) => progress?.Report(new WorkflowImportProgress(step, done, total, _watch.Elapsed));
}
