using DonorRegistry.Workflows.Persistence;
using DonorRegistry.Workflows.PostgreSql;
using Npgsql;

namespace DonorRegistry.Workflows;

/// <summary>
/// Moves a branch's workflows (its campus drives and donors' care, as WorkflowCore instances in LiteDB) into the
/// PostgreSQL workflow store of the national registry, and verifies the copy (ADR 22). Copy the registry first
/// (<c>PostgreSqlRegistry.ImportFrom</c>), with neither the branch's host nor the national one running; then start the
/// national host (<c>AddWorkflows(o =&gt; o.UsePostgreSql(...))</c>): it resumes every drive and care workflow where it was.
/// </summary>
public static class PostgreSqlWorkflows
{
    /// <summary>
    /// Copies the workflows of a branch's LiteDB file into the PostgreSQL workflow store (schema <c>workflows</c>, created
    /// and migrated if need be): every instance with its execution pointers and data, its open subscriptions (with any
    /// worker's token), its step errors, every event (processed or still due), and the execution log (notices keep their
    /// keys, so none is raised twice). Ids are kept. Stopped at any point and run again, it copies what is missing and
    /// nothing twice. The LiteDB store keeps no scheduled commands, so there are none to copy.
    /// </summary>
    /// <param name="liteDbPath">The file the branch's workflows were kept in: the registry's own file (the default), or the one <c>WorkflowsOptions.DatabasePath</c> named. It is read (nothing is added to it) and must not be open elsewhere.</param>
    /// <param name="connectionString">The national workflow store's Npgsql connection string (as given to <c>UsePostgreSql</c>).</param>
    /// <param name="progress">Told after every page of events and every batch of workflows, on the copying thread.</param>
    /// <param name="filePassword">The branch file's LiteDB password (<c>RegistryOptions.FilePassword</c>), if it has one.</param>
    /// <returns>What was copied, and what an earlier run had copied already.</returns>
    /// <exception cref="RegistryValidationException">The path or the connection string is blank or not valid, the file holds no workflow store, or the target holds only part of a reference's workflows.</exception>
    /// <exception cref="RegistryInUseException">The branch's file is open in a process.</exception>
    /// <exception cref="WorkflowStoreUnavailableException">The server failed or could not be reached.</exception>
    public static WorkflowImportResult ImportFrom(string liteDbPath, string connectionString, IProgress<WorkflowImportProgress>? progress = null, string? filePassword = null) =>
        ImportFrom(liteDbPath, connectionString, PostgreSqlWorkflowDatabase.DefaultSchema, progress, filePassword);

    /// <summary>
    /// Compares a branch's workflows with their copy after <see cref="ImportFrom(string, string, IProgress{WorkflowImportProgress}?, string?)"/>:
    /// the count of each kind, and a checksum of each workflow instance (with its subscriptions and errors), of each
    /// reference's execution log and of each event. Run it before the national host starts: the host moves the
    /// workflows on, and they no longer match the branch's.
    /// </summary>
    /// <param name="liteDbPath">The branch's workflow file.</param>
    /// <param name="connectionString">The national workflow store's connection string.</param>
    /// <param name="filePassword">The branch file's LiteDB password, if it has one.</param>
    /// <returns>The comparisons; <see cref="WorkflowImportVerification.IsClean"/> when all agree.</returns>
    /// <exception cref="RegistryValidationException">The path or the connection string is blank or not valid, or the file holds no workflow store.</exception>
    /// <exception cref="RegistryInUseException">The branch's file is open in a process.</exception>
    /// <exception cref="WorkflowStoreUnavailableException">The server failed or could not be reached.</exception>
    public static WorkflowImportVerification VerifyImport(string liteDbPath, string connectionString, string? filePassword = null) =>
        VerifyImport(liteDbPath, connectionString, PostgreSqlWorkflowDatabase.DefaultSchema, filePassword);

    /// <summary>As the public overload, into a schema of the caller's choice (tests), in batches of the caller's size.</summary>
    internal static WorkflowImportResult ImportFrom(string liteDbPath, string connectionString, string schema, IProgress<WorkflowImportProgress>? progress, string? filePassword, int workflowBatch = 250)
    {
        var database = Target(connectionString, schema);
        using (database)
        using (var export = LiteDbWorkflowExport.Open(liteDbPath, filePassword, nameof(liteDbPath)))
        {
            return new PgWorkflowImport(export, database, progress) { WorkflowBatch = workflowBatch }.Run();
        }
    }

    /// <summary>As the public overload, in a schema of the caller's choice (tests).</summary>
    internal static WorkflowImportVerification VerifyImport(string liteDbPath, string connectionString, string schema, string? filePassword)
    {
        var database = Target(connectionString, schema);
        using (database)
        using (var export = LiteDbWorkflowExport.Open(liteDbPath, filePassword, nameof(liteDbPath)))
        {
            return PgWorkflowImport.Verify(export, database);
        }
    }

    private static PostgreSqlWorkflowDatabase Target(string connectionString, string schema)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new RegistryValidationException(nameof(connectionString), connectionString, connectionString is null ? "is missing" : "is blank", "give the national workflow store's Npgsql connection string");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The value is not quoted: a connection string may hold a password.
            throw new RegistryValidationException(nameof(connectionString), null, $"is not a valid Npgsql connection string ({e.Message})", "give one such as Host=db;Database=national;Username=registry");
        }

        return new PostgreSqlWorkflowDatabase(connectionString, schema);
    }
}
