using Npgsql;
using NUnit.Framework;

namespace DonorRegistry.Workflows.PostgreSql.Tests;

/// <summary>
/// The server the tests use (DONORREGISTRY_PG), and a fresh schema per test, dropped after it. A test that needs the
/// server is ignored, with the reason, when the variable is missing.
/// </summary>
internal static class PostgreSqlTestDatabase
{
    public const string Variable = "DONORREGISTRY_PG";
    public const string IgnoreReason = "set DONORREGISTRY_PG to a PostgreSQL connection string to run the PostgreSQL workflow store's tests";

    /// <summary>The connection string, or the test is ignored.</summary>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                Assert.Ignore(IgnoreReason);
            }

            return value!;
        }
    }

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema() => "wf_test_" + Guid.NewGuid().ToString("N");

    /// <summary>Runs SQL on the test server.</summary>
    public static object? Scalar(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    /// <summary>Drops a test's schema (if the server is configured).</summary>
    public static void Drop(string? schema)
    {
        if (schema is null || string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            return;
        }

        Scalar($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
    }
}
