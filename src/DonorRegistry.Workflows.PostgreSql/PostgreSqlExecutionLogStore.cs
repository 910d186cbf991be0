using System.Text.Json;
using DonorRegistry.Workflows.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace DonorRegistry.Workflows.PostgreSql;

/// <summary>
/// The execution log in the workflows' schema (<c>execution_log</c>): a running number (an identity column) orders the
/// entries; a notice's key is a unique column (<c>occasion</c>, null for step runs, which never collide), and a notice
/// is inserted with <c>ON CONFLICT (occasion) DO NOTHING</c>, so two processes raising the same notice write it once.
/// An entry's code and arguments are the columns <c>code</c> (the <see cref="LogCode"/>'s name) and <c>arguments</c>
/// (a JSON object of texts), added by migration 2; both are null for an entry without a code and for those written
/// before, which read as <see cref="LogCode.Unspecified"/> with no arguments.
/// </summary>
internal sealed class PostgreSqlExecutionLogStore(PostgreSqlWorkflowDatabase database) : IExecutionLogStore
{
    private const string Insert = """
        INSERT INTO {s}.execution_log (reference, workflow_id, step, started_ticks, ended_ticks, outcome, detail, occasion, code, arguments)
        VALUES (@reference, @workflow, @step, @started, @ended, @outcome, @detail, @occasion, @code, @arguments)
        """;

    public void Append(LogEntry entry) => Write($"log step {entry.Step} of workflow {entry.WorkflowId}", Insert, entry);

    public bool TryAppendNotice(LogEntry entry) =>
        Write($"log a notice of workflow {entry.WorkflowId}", Insert + " ON CONFLICT (occasion) DO NOTHING", entry) == 1;

    public bool HasOccasion(string occasion) =>
        database.Run("look up a notice", c =>
        {
            using var command = new NpgsqlCommand(database.Sql("SELECT EXISTS (SELECT 1 FROM {s}.execution_log WHERE occasion = @occasion)"), c);
            command.Parameters.AddWithValue("occasion", occasion);
            return (bool)command.ExecuteScalar()!;
        });

    public IReadOnlyList<StepRun> For(string reference) =>
        database.Run($"read the execution log of {reference}", c =>
        {
            using var command = new NpgsqlCommand(database.Sql("SELECT sequence, reference, workflow_id, step, started_ticks, ended_ticks, outcome, detail, code, arguments::text FROM {s}.execution_log WHERE reference = @reference ORDER BY sequence"), c);
            command.Parameters.AddWithValue("reference", reference);
            var runs = new List<StepRun>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                runs.Add(new StepRun(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                    new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero),
                    Enum.Parse<StepOutcome>(reader.GetString(6)),
                    reader.IsDBNull(7) ? null : reader.GetString(7))
                {
                    Code = !reader.IsDBNull(8) && Enum.TryParse<LogCode>(reader.GetString(8), out var code) && Enum.IsDefined(code) ? code : LogCode.Unspecified,
                    Arguments = reader.IsDBNull(9) ? LogEntry.NoArguments : ReadArguments(reader.GetString(9)),
                });
            }

            return runs;
        });

    private int Write(string operation, string sql, LogEntry entry) =>
        database.Run(operation, c =>
        {
            using var command = new NpgsqlCommand(database.Sql(sql), c);
            command.Parameters.AddWithValue("reference", entry.Reference);
            command.Parameters.AddWithValue("workflow", entry.WorkflowId);
            command.Parameters.AddWithValue("step", entry.Step);
            command.Parameters.AddWithValue("started", entry.StartedAt.UtcTicks);
            command.Parameters.AddWithValue("ended", entry.EndedAt.UtcTicks);
            command.Parameters.AddWithValue("outcome", entry.Outcome.ToString());
            command.Parameters.Add(new NpgsqlParameter("detail", NpgsqlDbType.Text) { Value = (object?)entry.Detail ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("occasion", NpgsqlDbType.Text) { Value = (object?)entry.Occasion ?? DBNull.Value });
            var coded = entry.Code != LogCode.Unspecified;
            command.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Text) { Value = coded ? entry.Code.ToString() : DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("arguments", NpgsqlDbType.Jsonb) { Value = coded ? JsonSerializer.Serialize(entry.Arguments) : DBNull.Value });
            return command.ExecuteNonQuery();
        });

    private static IReadOnlyDictionary<string, string> ReadArguments(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) is { } read ? new Dictionary<string, string>(read, StringComparer.Ordinal) : LogEntry.NoArguments;
}
