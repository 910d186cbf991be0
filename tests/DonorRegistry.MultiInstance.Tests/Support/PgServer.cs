using Npgsql;
using NUnit.Framework;

namespace DonorRegistry.MultiInstance.Tests.Support;

/// <summary>
/// The PostgreSQL server of these tests: the connection string in DONORREGISTRY_PG (scripts/pg-test-cluster start; .ci/run
/// always gives one). Each test works in a schema of its own, dropped afterwards; without the variable the tests are
/// ignored with the reason.
/// </summary>
internal static class PgServer
{
    public const string Variable = "DONORREGISTRY_PG";

    public static string Required() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : Ignored();

    /// <summary>A new, empty schema on the server, and the connection string whose search path names it.</summary>
    public static Schema NewSchema(string prefix, string? server = null) => new(server ?? Required(), $"{prefix}_{Guid.NewGuid():N}");

    /// <summary>Runs one statement on the server (an administrator's connection, outside the registry).</summary>
    public static long Scalar(string connectionString, string sql, params object[] values)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Ignored()
    {
        Assert.Ignore("set DONORREGISTRY_PG to a PostgreSQL connection string to run the multi-instance tests");
        return null!;
    }

    /// <summary>A throw-away schema: dropped with everything in it on dispose.</summary>
    internal sealed class Schema(string server, string name) : IDisposable
    {
        public string Name => name;

        public string ConnectionString => new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ConnectionString;

        public void Dispose()
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(server);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{name}\" CASCADE", connection);
            drop.ExecuteNonQuery();
        }
    }
}
