using Npgsql;
using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>
/// The PostgreSQL server the PostgreSQL engine's tests run on: the connection string in DONORREGISTRY_PG
/// (scripts/pg-test-cluster start, then eval "$(scripts/pg-test-cluster env)"; .ci/run always gives one). Each test gets
/// a schema of its own, dropped afterwards. Without the variable the tests are ignored, with the reason.
/// </summary>
internal static class PostgreSqlServer
{
    public const string Variable = "DONORREGISTRY_PG";

    public const string IgnoreReason = "set DONORREGISTRY_PG to a PostgreSQL connection string to run the PostgreSQL engine's tests";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Ignores the calling test unless a server is given.</summary>
    public static string Required() => ConnectionString ?? Ignored();

    /// <summary>A new, empty schema on the server, and the connection string whose search path names it.</summary>
    public static Schema NewSchema(string prefix) => new(Required(), $"{prefix}_{Guid.NewGuid():N}");

    private static string Ignored()
    {
        Assert.Ignore(IgnoreReason);
        return null!;
    }

    /// <summary>A throw-away schema: dropped with everything in it on dispose, with its keys schema (<c>&lt;name&gt;_keys</c>, ADR 20).</summary>
    internal sealed class Schema(string server, string name) : IDisposable
    {
        public string Name => name;

        public string ConnectionString => new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ConnectionString;

        public void Dispose()
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(server);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{name}\" CASCADE; DROP SCHEMA IF EXISTS \"{name}_keys\" CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }
}
