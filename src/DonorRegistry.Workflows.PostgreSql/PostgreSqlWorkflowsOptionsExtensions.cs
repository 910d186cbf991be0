using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.PostgreSql;
using Npgsql;

namespace DonorRegistry.Workflows;

/// <summary>Keeps the workflows in PostgreSQL instead of LiteDB.</summary>
public static class PostgreSqlWorkflowsOptionsExtensions
{
    /// <summary>
    /// Keeps the workflows, their events, errors and execution log in PostgreSQL, in the schema <c>workflows</c>
    /// (created, and migrated to this library's version, at the first use), and gives WorkflowCore a lock provider on
    /// advisory locks so that several processes can share the store without running the same workflow at once.
    /// </summary>
    /// <example>
    /// <code>
    /// services.AddDonorRegistry(...).AddWorkflows(o => o.UsePostgreSql("Host=db;Database=registry;Username=registry"));
    /// </code>
    /// </example>
    /// <param name="options">The workflows' options.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">The connection string is blank or not valid.</exception>
    public static WorkflowsOptions UsePostgreSql(this WorkflowsOptions options, string connectionString) =>
        UsePostgreSql(options, connectionString, PostgreSqlWorkflowDatabase.DefaultSchema);

    /// <summary>As <see cref="UsePostgreSql(WorkflowsOptions, string)"/>, in a schema of the caller's choice (tests).</summary>
    /// <param name="options">The workflows' options.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="schema">The schema.</param>
    /// <returns>The options.</returns>
    internal static WorkflowsOptions UsePostgreSql(this WorkflowsOptions options, string connectionString, string schema)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var server = PostgreSqlWorkflowDatabase.Describe(new NpgsqlConnectionStringBuilder(connectionString));
        options.Backend = new WorkflowBackend(
            $"PostgreSQL at {server} (schema {schema})",
            _ => new PostgreSqlWorkflowStore(new PostgreSqlWorkflowDatabase(connectionString, schema)) { KeepProcessedEvents = options.KeepProcessedEvents },
            sp => new PostgreSqlExecutionLogStore(((PostgreSqlWorkflowStore)sp.GetService(typeof(IWorkflowStore))!).Database),
            _ => new PostgreSqlDistributedLockProvider(connectionString, schema));
        return options;
    }
}
