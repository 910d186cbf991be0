using System.Text.RegularExpressions;
using Npgsql;

namespace DonorRegistry.Workflows.PostgreSql;

/// <summary>
/// The PostgreSQL database the workflows are kept in: one connection pool, the schema (<c>workflows</c> unless a test
/// gives another), its versioned migrations, and the wrapping of driver failures in
/// <see cref="WorkflowStoreUnavailableException"/>. Migrations run once per instance, before the first statement, in
/// one transaction under a transaction-level advisory lock, so processes starting together apply each one once.
/// </summary>
internal sealed partial class PostgreSqlWorkflowDatabase : IDisposable
{
    /// <summary>The schema the workflows are kept in by default.</summary>
    public const string DefaultSchema = "workflows";

    // Each migration is applied once, in order; its number is its index + 1. Never edit one that has shipped: add one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE {s}.workflow (
            id text PRIMARY KEY,
            definition_id text NOT NULL,
            version integer NOT NULL,
            status integer NOT NULL,
            next_execution bigint NULL,
            reference text NULL,
            create_ticks bigint NOT NULL,
            instance json NOT NULL);
        CREATE INDEX workflow_runnable ON {s}.workflow (next_execution) WHERE status = 0 AND next_execution IS NOT NULL;
        CREATE INDEX workflow_reference ON {s}.workflow (reference, status);
        CREATE INDEX workflow_created ON {s}.workflow (create_ticks);

        CREATE TABLE {s}.subscription (
            id text PRIMARY KEY,
            workflow_id text NOT NULL,
            event_name text NOT NULL,
            event_key text NOT NULL,
            subscribe_as_of_ticks bigint NOT NULL,
            external_token text NULL,
            external_worker_id text NULL,
            external_token_expiry_ticks bigint NULL,
            subscription json NOT NULL);
        CREATE INDEX subscription_event ON {s}.subscription (event_name, event_key, subscribe_as_of_ticks);

        CREATE TABLE {s}.event (
            id text PRIMARY KEY,
            event_name text NOT NULL,
            event_key text NOT NULL,
            event_time_ticks bigint NOT NULL,
            is_processed boolean NOT NULL,
            event json NOT NULL);
        CREATE INDEX event_name_key ON {s}.event (event_name, event_key, event_time_ticks);
        CREATE INDEX event_key ON {s}.event (event_key, event_time_ticks);
        CREATE INDEX event_due ON {s}.event (event_time_ticks) WHERE NOT is_processed;

        CREATE TABLE {s}.execution_error (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            workflow_id text NOT NULL,
            execution_pointer_id text NOT NULL,
            error_ticks bigint NOT NULL,
            message text NOT NULL);
        CREATE INDEX execution_error_workflow ON {s}.execution_error (workflow_id, error_ticks);

        CREATE TABLE {s}.execution_log (
            sequence bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            reference text NOT NULL,
            workflow_id text NOT NULL,
            step text NOT NULL,
            started_ticks bigint NOT NULL,
            ended_ticks bigint NOT NULL,
            outcome text NOT NULL,
            detail text NULL,
            occasion text NULL UNIQUE);
        CREATE INDEX execution_log_reference ON {s}.execution_log (reference, sequence);
        """,
        // 2: an execution log entry's code and arguments (what it says without a language); null for older entries.
        """
        ALTER TABLE {s}.execution_log ADD COLUMN code text NULL, ADD COLUMN arguments jsonb NULL;
        """,
    ];

    private readonly NpgsqlDataSource _dataSource;
    private readonly Lock _migrationGate = new();
    private volatile bool _migrated;

    /// <summary>Opens a pool on the server; nothing is sent until the first statement.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The schema: lower-case letters, digits and underscores, starting with a letter or underscore.</param>
    /// <exception cref="ArgumentException">The connection string or the schema is not valid.</exception>
    public PostgreSqlWorkflowDatabase(string connectionString, string schema = DefaultSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!SchemaName().IsMatch(schema))
        {
            throw new ArgumentException($"The schema '{schema}' is not a plain lower-case identifier (letters, digits, underscores; at most 63).", nameof(schema));
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Server = Describe(builder);
        SchemaRaw = schema;
        Schema = '"' + schema + '"';
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The server as messages name it: <c>host:port/database</c> (no password).</summary>
    public string Server { get; }

    /// <summary>The schema, quoted for SQL.</summary>
    public string Schema { get; }

    /// <summary>The schema as given (the scope of advisory-lock keys).</summary>
    public string SchemaRaw { get; }

    /// <summary>The schema version this library writes.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>The server as messages name it.</summary>
    /// <param name="builder">The connection string.</param>
    /// <returns><c>host:port/database</c>.</returns>
    public static string Describe(NpgsqlConnectionStringBuilder builder) => $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";

    /// <summary>The SQL with <c>{s}</c> replaced by the quoted schema.</summary>
    /// <param name="sql">The SQL.</param>
    /// <returns>The SQL for this schema.</returns>
    public string Sql(string sql) => sql.Replace("{s}", Schema, StringComparison.Ordinal);

    /// <summary>Runs work on an open connection (migrations applied first), wrapping driver failures.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="operation">What the work does, for the message ("save workflow …").</param>
    /// <param name="work">The work.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="WorkflowStoreUnavailableException">The server failed or could not be reached.</exception>
    public T Run<T>(string operation, Func<NpgsqlConnection, T> work)
    {
        try
        {
            EnsureMigrated();
            using var connection = _dataSource.OpenConnection();
            return work(connection);
        }
        catch (NpgsqlException e)
        {
            throw new WorkflowStoreUnavailableException(Server, operation, e);
        }
    }

    /// <summary>Runs asynchronous work on an open connection (migrations applied first), wrapping driver failures.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="operation">What the work does, for the message.</param>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="WorkflowStoreUnavailableException">The server failed or could not be reached.</exception>
    public async Task<T> RunAsync<T>(string operation, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            EnsureMigrated();
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await work(connection).ConfigureAwait(false);
            }
        }
        catch (NpgsqlException e)
        {
            throw new WorkflowStoreUnavailableException(Server, operation, e);
        }
    }

    /// <summary>Applies the migrations this instance has not seen applied (once; later calls return at once).</summary>
    /// <exception cref="WorkflowStoreUnavailableException">The server failed, or its schema is newer than this library.</exception>
    public void EnsureMigrated()
    {
        if (_migrated)
        {
            return;
        }

        lock (_migrationGate)
        {
            if (_migrated)
            {
                return;
            }

            try
            {
                Migrate();
            }
            catch (NpgsqlException e)
            {
                throw new WorkflowStoreUnavailableException(Server, $"apply the migrations of schema {SchemaRaw}", e);
            }

            _migrated = true;
        }
    }

    private void Migrate()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryKey.For(SchemaRaw, "\u001fmigrations"));
            lockCommand.ExecuteNonQuery();
        }

        using (var create = new NpgsqlCommand(Sql("CREATE SCHEMA IF NOT EXISTS {s}; CREATE TABLE IF NOT EXISTS {s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());"), connection, transaction))
        {
            create.ExecuteNonQuery();
        }

        int current;
        using (var read = new NpgsqlCommand(Sql("SELECT COALESCE(MAX(version), 0) FROM {s}.schema_version"), connection, transaction))
        {
            current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > Migrations.Length)
        {
            throw new WorkflowStoreUnavailableException(Server, $"use schema {SchemaRaw}", new InvalidOperationException($"The schema is at version {current}, newer than this library's {Migrations.Length}; update DonorRegistry.Workflows.PostgreSql."));
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            using var migrate = new NpgsqlCommand(Sql(Migrations[version - 1]), connection, transaction);
            migrate.ExecuteNonQuery();
            using var record = new NpgsqlCommand(Sql("INSERT INTO {s}.schema_version (version) VALUES (@version)"), connection, transaction);
            record.Parameters.AddWithValue("version", version);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <inheritdoc />
    public void Dispose() => _dataSource.Dispose();

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
