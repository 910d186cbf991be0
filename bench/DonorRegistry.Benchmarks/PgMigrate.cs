using System.Diagnostics;
using System.Globalization;
using DonorRegistry.FakeData;
using DonorRegistry.PostgreSql;
using Npgsql;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// The move of a branch into PostgreSQL (ADR 22), timed: <c>--pg-migrate N</c> enrols N donors into a new LiteDB file (in
/// batches of 5,000) and imports it; <c>--pg-migrate FILE KEYFILE</c> imports an existing registry (the year sample:
/// <c>samples/ChaoyangBranch --key-out KEYFILE</c>). The target is a new schema on the server DONORREGISTRY_PG names,
/// with the keys in its own schema under the same login; it is dropped afterwards. Prints the import's donors per second
/// (the whole import: every kind and every audit trail, divided by the donors) and the verification's time.
/// </summary>
internal static class PgMigrate
{
    public static int Run(string[] args, int at)
    {
        var server = Environment.GetEnvironmentVariable("DONORREGISTRY_PG");
        if (string.IsNullOrEmpty(server))
        {
            Console.Error.WriteLine("--pg-migrate needs DONORREGISTRY_PG (scripts/pg-test-cluster start).");
            return 2;
        }

        var folder = Directory.CreateTempSubdirectory("pg-migrate-").FullName;
        var schema = $"bench_migrate_{Guid.NewGuid():N}"[..30];
        try
        {
            string path;
            RegistryKey branchKey;
            if (int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var count))
            {
                path = Path.Combine(folder, "branch.db");
                branchKey = RegistryKey.Generate();
                var volunteers = new Volunteers(7);
                var clock = new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
                var watch = Stopwatch.StartNew();
                using (var branch = Registry.Create(new RegistryOptions { DatabasePath = path, RegistryKey = branchKey, Durability = Durability.OsBuffered }))
                {
                    for (var done = 0; done < count; done += 5_000)
                    {
                        branch.Donors.EnrolMany(volunteers.Many(Math.Min(5_000, count - done), DateOnly.FromDateTime(clock.UtcDateTime)).ToArray(), "bench");
                    }
                }

                Console.WriteLine($"branch: {count:N0} enrolled donors in {watch.Elapsed.TotalSeconds:F1} s");
            }
            else
            {
                path = Path.GetFullPath(args[at + 1]);
                branchKey = RegistryKey.FromBase64(File.ReadAllText(args[at + 2]).Trim());
            }

            var nationalKey = RegistryKey.Generate();
            var connection = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
            RegistryOptions Target() => new RegistryOptions { RegistryKey = nationalKey }.UsePostgreSql(connection, keys: connection);
            var result = PostgreSqlRegistry.ImportFrom(path, branchKey, Target());
            var donors = result.Copied["donors"];
            var audit = result.Copied.Where(p => p.Key.StartsWith("audit", StringComparison.Ordinal)).Sum(p => p.Value);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import: {donors:N0} donors, {result.Copied.Values.Sum() - audit - donors:N0} other records, {audit:N0} audit records in {result.Elapsed.TotalSeconds:F1} s = {donors / result.Elapsed.TotalSeconds:F0} donors/s"));
            var verifyWatch = Stopwatch.StartNew();
            var verification = PostgreSqlRegistry.VerifyImport(path, branchKey, Target());
            Console.WriteLine($"verify: {(verification.IsClean ? "clean" : "NOT clean")} in {verifyWatch.Elapsed.TotalSeconds:F1} s");
            foreach (var check in verification.Checks)
            {
                Console.WriteLine("  " + check);
            }

            return verification.IsClean ? 0 : 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            using (var admin = new NpgsqlConnection(server))
            {
                admin.Open();
                using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE; DROP SCHEMA IF EXISTS \"{schema}_keys\" CASCADE", admin);
                drop.ExecuteNonQuery();
            }

            Directory.Delete(folder, recursive: true);
        }
    }
}
