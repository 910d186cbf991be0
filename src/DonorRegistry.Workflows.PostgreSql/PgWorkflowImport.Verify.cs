using System.Security.Cryptography;
using System.Text;
using DonorRegistry.Workflows.Persistence;
using Npgsql;

namespace DonorRegistry.Workflows.PostgreSql;

/// <summary>The verification of a copy (ADR 22): counts, and a checksum per instance, per reference's log and per event, on both sides.</summary>
internal sealed partial class PgWorkflowImport
{
    /// <summary>
    /// Compares a branch's workflow store with its copy: the count of each kind, a checksum of each workflow instance
    /// (its columns and JSON, its subscriptions with their tokens, its errors), of each reference's execution log (every
    /// entry but the store's own numbers, in the order written) and of each event (with its processed flag). Run it
    /// before a host starts on the copy: a host moves the workflows on, and they differ from the branch's then.
    /// </summary>
    public static WorkflowImportVerification Verify(LiteDbWorkflowExport from, PostgreSqlWorkflowDatabase to)
    {
        var checks = new List<WorkflowImportCheck>();
        var differing = new List<string>();
        var units = from.Units();
        var ids = units.SelectMany(u => u.WorkflowIds).ToList();
        var references = units.Select(u => u.LogReference).ToList();

        var expectedWorkflows = new Dictionary<string, string>(StringComparer.Ordinal);
        var expectedCounts = new Dictionary<string, long>(StringComparer.Ordinal) { ["subscriptions"] = 0, ["errors"] = 0, ["log entries"] = 0 };
        foreach (var workflow in from.Workflows(ids))
        {
            var subscriptions = from.SubscriptionsOf(workflow.Id).ToList();
            var errors = from.ErrorsOf(workflow.Id);
            expectedCounts["subscriptions"] += subscriptions.Count;
            expectedCounts["errors"] += errors.Count;
            expectedWorkflows[workflow.Id] = Checksum(workflow, subscriptions, errors);
        }

        var expectedLogs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var log = from.LogOf(reference);
            expectedCounts["log entries"] += log.Count;
            expectedLogs[reference] = Checksum(log.Select(l => l.Canon));
        }

        var (actualWorkflows, actualCounts) = TargetWorkflows(to, ids);
        var actualLogs = TargetLogs(to, references, actualCounts);
        checks.Add(Compare("workflow instances", expectedWorkflows, actualWorkflows, differing));
        checks.Add(Count("subscriptions", expectedCounts, actualCounts));
        checks.Add(Count("errors", expectedCounts, actualCounts));
        checks.Add(Compare("execution logs (by reference)", expectedLogs, actualLogs, differing));
        checks.Add(Count("log entries", expectedCounts, actualCounts));

        var expectedEvents = new Dictionary<string, string>(StringComparer.Ordinal);
        var actualEvents = new Dictionary<string, string>(StringComparer.Ordinal);
        var after = string.Empty;
        while (from.Events(after, 1000) is { Count: > 0 } page)
        {
            foreach (var e in page)
            {
                expectedEvents[e.Id] = Checksum([e.Canon]);
            }

            foreach (var e in TargetEvents(to, page.Select(e => e.Id).ToArray()))
            {
                actualEvents[e.Id] = Checksum([e.Canon]);
            }

            after = page[^1].Id;
        }

        checks.Add(Compare("events", expectedEvents, actualEvents, differing));
        return new WorkflowImportVerification(checks, differing);
    }

    private static WorkflowImportCheck Count(string kind, Dictionary<string, long> expected, Dictionary<string, long> actual) =>
        new(kind, expected[kind], actual[kind], expected[kind] == actual[kind] ? null : $"{expected[kind]} in the branch, {actual[kind]} in the copy");

    private static WorkflowImportCheck Compare(string what, Dictionary<string, string> expected, Dictionary<string, string> actual, List<string> differing)
    {
        var missing = expected.Keys.Where(k => !actual.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var differ = expected.Keys.Where(k => actual.TryGetValue(k, out var a) && a != expected[k]).Order(StringComparer.Ordinal).ToList();
        differing.AddRange(missing);
        differing.AddRange(differ);
        string? problem = null;
        if (missing.Count + differ.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
            {
                parts.Add($"{missing.Count} missing ({string.Join(", ", missing.Take(3))}{(missing.Count > 3 ? ", …" : "")})");
            }

            if (differ.Count > 0)
            {
                parts.Add($"{differ.Count} differ ({string.Join(", ", differ.Take(3))}{(differ.Count > 3 ? ", …" : "")})");
            }

            problem = string.Join(", ", parts);
        }

        return new WorkflowImportCheck(what, expected.Count, actual.Count, problem, Digest(expected), Digest(actual));
    }

    private static string Checksum(StoredWorkflow workflow, IEnumerable<StoredSubscription> subscriptions, IEnumerable<StoredError> errors) =>
        Checksum(new[] { workflow.Canon }
            .Concat(subscriptions.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => s.Canon))
            .Concat(errors.Select(e => e.Canon)));

    private static string Checksum(IEnumerable<string> canons)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var canon in canons)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(canon));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>One checksum over every item's (in key order): equal on both sides when every item is.</summary>
    private static string Digest(Dictionary<string, string> sums)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, sum) in sums.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{key}={sum};"));
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }

    private static (Dictionary<string, string> Sums, Dictionary<string, long> Counts) TargetWorkflows(PostgreSqlWorkflowDatabase to, List<string> ids)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal) { ["subscriptions"] = 0, ["errors"] = 0, ["log entries"] = 0 };
        foreach (var chunk in ids.Chunk(500))
        {
            to.Run("read the copied workflows", c =>
            {
                var workflows = Read(c, to.Sql("SELECT id, definition_id, version, status, next_execution, reference, create_ticks, instance::text FROM {s}.workflow WHERE id = ANY(@values)"), chunk, r => new StoredWorkflow(
                    r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetInt64(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt64(6), r.GetString(7)));
                var subscriptions = Read(c, to.Sql("SELECT id, workflow_id, event_name, event_key, subscribe_as_of_ticks, external_token, external_worker_id, external_token_expiry_ticks, subscription::text FROM {s}.subscription WHERE workflow_id = ANY(@values)"), chunk, r => new StoredSubscription(
                    r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetInt64(7), r.GetString(8))).ToLookup(s => s.WorkflowId, StringComparer.Ordinal);
                var errors = Read(c, to.Sql("SELECT workflow_id, execution_pointer_id, error_ticks, message FROM {s}.execution_error WHERE workflow_id = ANY(@values) ORDER BY id"), chunk, r => new StoredError(
                    r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3))).ToLookup(e => e.WorkflowId, StringComparer.Ordinal);
                foreach (var workflow in workflows)
                {
                    sums[workflow.Id] = Checksum(workflow, subscriptions[workflow.Id], errors[workflow.Id]);
                    counts["subscriptions"] += subscriptions[workflow.Id].Count();
                    counts["errors"] += errors[workflow.Id].Count();
                }

                return 0;
            });
        }

        return (sums, counts);
    }

    private static Dictionary<string, string> TargetLogs(PostgreSqlWorkflowDatabase to, List<string> references, Dictionary<string, long> counts)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in references.Chunk(500))
        {
            var entries = to.Run("read the copied execution log", c => Read(c, to.Sql("SELECT sequence, reference, workflow_id, step, started_ticks, ended_ticks, outcome, detail, occasion, code, arguments::text FROM {s}.execution_log WHERE reference = ANY(@values) ORDER BY sequence"), chunk, r => new StoredLogEntry(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
                r.IsDBNull(9) ? null : r.GetString(9),
                r.IsDBNull(10) ? null : StoredLogEntry.CanonicalArguments(System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(10))))));
            foreach (var group in entries.GroupBy(e => e.Reference, StringComparer.Ordinal))
            {
                sums[group.Key] = Checksum(group.Select(e => e.Canon));
                counts["log entries"] += group.Count();
            }
        }

        return sums;
    }

    private static List<StoredEvent> TargetEvents(PostgreSqlWorkflowDatabase to, string[] ids) =>
        to.Run("read the copied events", c => Read(c, to.Sql("SELECT id, event_name, event_key, event_time_ticks, is_processed, event::text FROM {s}.event WHERE id = ANY(@values)"), ids, r => new StoredEvent(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetBoolean(4), r.GetString(5))));

    private static List<T> Read<T>(NpgsqlConnection c, string sql, string[] values, Func<NpgsqlDataReader, T> map)
    {
        using var command = new NpgsqlCommand(sql, c);
        command.Parameters.AddWithValue("values", values);
        using var reader = command.ExecuteReader();
        var found = new List<T>();
        while (reader.Read())
        {
            found.Add(map(reader));
        }

        return found;
    }
}
