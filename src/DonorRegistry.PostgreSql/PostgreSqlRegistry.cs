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
