using DonorRegistry.Donors;
using DonorRegistry.Storage;
using Npgsql;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// Puts a registry on PostgreSQL (ADR 18): <c>options.UsePostgreSql(connectionString)</c>, then
/// <see cref="Registry.Create"/> or <see cref="Registry.Open"/> as for a LiteDB file. The registry lives in the first
/// schema of the connection string's <c>Search Path</c> (created when missing), or in the database's default schema.
/// </summary>
/// <example>
/// <code>
/// var options = new RegistryOptions { RegistryKey = key }
///     .UsePostgreSql("Host=db.example;Database=registry;Username=registry;Search Path=chaoyang",
///                    keys: "Host=db.example;Database=registry;Username=registry_keys;Search Path=chaoyang_keys");
/// using var registry = Registry.Open(options);
/// </code>
/// </example>
public static class PostgreSqlRegistry
{
    /// <summary>
    /// Chooses the PostgreSQL engine: the registry is stored in the database and schema <paramref name="connectionString"/>
    /// names (Npgsql's syntax), and the schema's migrations are applied when the registry opens. Leave
    /// <see cref="RegistryOptions.DatabasePath"/> unset; <see cref="RegistryOptions.KeyStorePath"/> is required (the
    /// per-donor keys stay in a file, ADR 18), or <see cref="RegistryOptions.InMemoryPath"/> for a throw-away registry.
    /// </summary>
    /// <param name="options">The options to change.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="RegistryValidationException">The connection string is blank or not one Npgsql reads.</exception>
    public static RegistryOptions UsePostgreSql(this RegistryOptions options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Engine = new PostgreSqlEngine(Checked(connectionString), null);
        return options;
    }

    /// <summary>
    /// Chooses the PostgreSQL engine with the per-donor keys on the server too (ADR 20): the wrapped data keys and the
    /// withdrawal ledger live in a schema of their own, reached through <paramref name="keys"/>, so several application
    /// instances can share the registry. The keys schema is the first schema of <paramref name="keys"/>'s
    /// <c>Search Path</c>, or <c>&lt;registry schema&gt;_keys</c> when it names none or the registry's own.
    /// With the same host, database and login as <paramref name="connectionString"/> (the same connection string, say),
    /// the keys are written in the records' own transactions; with another login (a role that alone may read the keys
    /// schema) or database, on a connection of their own, in the order ADR 20 describes. Leave
    /// <see cref="RegistryOptions.KeyStorePath"/> unset.
    /// </summary>
    /// <param name="options">The options to change.</param>
    /// <param name="connectionString">An Npgsql connection string for the records.</param>
    /// <param name="keys">An Npgsql connection string for the keys schema.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="RegistryValidationException">A connection string is blank or not one Npgsql reads.</exception>
    public static RegistryOptions UsePostgreSql(this RegistryOptions options, string connectionString, string keys)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Engine = new PostgreSqlEngine(Checked(connectionString), Checked(keys, nameof(keys)));
        return options;
    }

    /// <summary>
    /// Applies the schema's missing migrations now (a deployment step before the applications start), in one
    /// transaction under an advisory lock; opening a registry applies them too.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string; its first <c>Search Path</c> schema holds the registry.</param>
    /// <returns>The schema version the database is at.</returns>
    /// <exception cref="RegistryValidationException">The connection string is blank or not one Npgsql reads.</exception>
    /// <exception cref="RegistryUnavailableException">The server cannot be reached or refused a statement.</exception>
    /// <exception cref="NotARegistryException">The schema is newer than this library.</exception>
    public static int Migrate(string connectionString)
    {
        var builder = Checked(connectionString);
        using var source = NpgsqlDataSource.Create(builder);
        return PgSchema.Migrate(source, PgSchema.SchemaOf(builder), PgStorage.Describe(builder));
    }

    /// <summary>The schema version this library writes.</summary>
    public static int SchemaVersion => PgSchema.Latest;

    /// <summary>
    /// Copies a branch's LiteDB registry into a registry on PostgreSQL (ADR 22): drives, lectures, donors (personal data
    /// re-wrapped under the target's registry key), samples, shipments, cases, donations, recognitions, volunteers,
    /// users and every audit trail (checked under the branch key, sealed again under the target's). The target is
    /// created when its schema holds no registry, and must hold no donors but this import's. Resumable: each batch commits
    /// with a checkpoint, so a killed import run again goes on where it stopped and copies nothing twice. Donor numbers
    /// are kept. Not copied: the publicity consents, the daily counts, re-collections, the search and access logs, and
    /// the workflows (ADR 22).
    /// </summary>
    /// <param name="liteDbPath">The branch's registry file (its key store beside it, or at <paramref name="branchKeyStorePath"/>).</param>
    /// <param name="branchKey">The branch's registry key.</param>
    /// <param name="target">The target's options: <c>UsePostgreSql</c> and the national registry key.</param>
    /// <param name="progress">Told after every batch.</param>
    /// <param name="branchKeyStorePath">The branch's key store when not beside the file.</param>
    /// <returns>What was copied.</returns>
    /// <exception cref="RegistryValidationException">An argument is missing, the target is not on PostgreSQL, or it holds other donors.</exception>
    /// <exception cref="RegistryDamagedException">A branch audit trail does not hold under the branch key.</exception>
    /// <exception cref="RegistryUnavailableException">The server cannot be reached or refused a statement.</exception>
    public static ImportResult ImportFrom(string liteDbPath, RegistryKey branchKey, RegistryOptions target, IProgress<ImportProgress>? progress = null, string? branchKeyStorePath = null)
    {
        var (source, copy) = OpenBoth(liteDbPath, branchKey, target, branchKeyStorePath, create: true);
        using (source)
        using (copy)
        {
            return new PgImport(source, copy, branchKey, target.RegistryKey!, target.NationalIdFormat, progress).Run();
        }
    }

    /// <summary>
    /// Compares a branch with its copy after <see cref="ImportFrom"/>: the count of every kind of record, and a checksum
    /// of every audit trail's content (the seals differ: they are under different keys), and that each copied trail holds
    /// under the target key.
    /// </summary>
    /// <param name="liteDbPath">The branch's registry file.</param>
    /// <param name="branchKey">The branch's registry key.</param>
    /// <param name="target">The target's options.</param>
    /// <param name="branchKeyStorePath">The branch's key store when not beside the file.</param>
    /// <returns>The comparisons; <see cref="ImportVerification.IsClean"/> when all agree.</returns>
    /// <exception cref="RegistryValidationException">An argument is missing, or the target is not on PostgreSQL.</exception>
    /// <exception cref="RegistryUnavailableException">The server cannot be reached or refused a statement.</exception>
    public static ImportVerification VerifyImport(string liteDbPath, RegistryKey branchKey, RegistryOptions target, string? branchKeyStorePath = null)
    {
        var (source, copy) = OpenBoth(liteDbPath, branchKey, target, branchKeyStorePath, create: false);
        using (source)
        using (copy)
        {
            return PgImport.Verify(source, copy, target.RegistryKey!);
        }
    }

    private static (Registry Source, Registry Target) OpenBoth(string liteDbPath, RegistryKey branchKey, RegistryOptions target, string? branchKeyStorePath, bool create)
    {
        if (string.IsNullOrWhiteSpace(liteDbPath))
        {
            throw new RegistryValidationException(nameof(liteDbPath), null, "is blank", "give the branch's registry file");
        }

        if (branchKey is null)
        {
            throw new RegistryValidationException(nameof(branchKey), null, "is missing", "give the branch's registry key");
        }

        if (target is null || target.Engine is not PostgreSqlEngine engine)
        {
            throw new RegistryValidationException(nameof(target), null, "is not a registry on PostgreSQL", "give options with UsePostgreSql(connectionString, keys: …) and the national registry key");
        }

        target.Validate();
        var source = Registry.Open(new RegistryOptions { DatabasePath = liteDbPath, RegistryKey = branchKey, KeyStorePath = branchKeyStorePath });
        try
        {
            var copy = create && engine.NothingExists(target) ? Registry.Create(target) : Registry.Open(target);
            return (source, copy);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static NpgsqlConnectionStringBuilder Checked(string connectionString, string field = "connectionString")
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new RegistryValidationException(field, null, "is blank", "give an Npgsql connection string, such as Host=127.0.0.1;Port=5432;Database=registry;Username=registry");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrWhiteSpace(builder.Host)
                ? throw new RegistryValidationException(field, null, "names no Host", "give the server, such as Host=127.0.0.1")
                : builder;
        }
        catch (ArgumentException e)
        {
            // The message of a connection string that does not parse could quote its password: say only that it did not parse.
            throw new RegistryValidationException(field, null, $"is not an Npgsql connection string ({e.GetType().Name})", "give Key=Value pairs separated by ';', such as Host=127.0.0.1;Port=5432;Database=registry;Username=registry");
        }
    }

    /// <summary>The engine the options carry to <see cref="Registry.Create"/> and <see cref="Registry.Open"/>.</summary>
    private sealed class PostgreSqlEngine(NpgsqlConnectionStringBuilder builder, NpgsqlConnectionStringBuilder? keys) : IStorageEngine
    {
        public string Describe() => PgStorage.Describe(builder);

        public bool KeysOnServer => keys is not null;

        public bool NothingExists(RegistryOptions options) => PgStorage.NothingExists(builder.ConnectionString);

        public IRegistryStorage Open(RegistryOptions options, EligibilityPolicy policy, DateTimeOffset now, bool create) =>
            PgStorage.Open(builder.ConnectionString, options, policy, now, create, keys is not null, keys?.ConnectionString);
    }
}
