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

                    Beside(branch, count, clock);
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
            var steps = new Dictionary<string, (long Copied, TimeSpan At)>(StringComparer.Ordinal);
            var result = PostgreSqlRegistry.ImportFrom(path, branchKey, Target(), new Inline(p => steps[p.Step] = (p.Copied, p.Elapsed)));
            var previous = TimeSpan.Zero;
            foreach (var (step, (copied, reached)) in steps)
            {
                var seconds = (reached - previous).TotalSeconds;
                previous = reached;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {step}: {copied:N0} in {seconds:F1} s{(seconds > 0 ? $" = {copied / seconds:F0}/s" : "")}"));
            }

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

    /// <summary>
    /// What a branch keeps beside its records, written through the storage contract: a consent for every tenth donor (every
    /// third of them withdrawn later), two years of per-day counts for 20 drives and five metrics, a re-collection for every
    /// twentieth donor, an access-log entry per donor and a search-log entry for every second donor.
    /// </summary>
    private static void Beside(Registry branch, int count, DateTimeOffset clock)
    {
        var storage = branch.Storage;
        var watch = Stopwatch.StartNew();
        for (var start = 1; start <= count; start += 5_000)
        {
            var end = Math.Min(count, start + 4_999);
            storage.Write(() =>
            {
                var access = new List<DonorRegistry.Access.AccessRecord>();
                var searches = new List<DonorRegistry.Storage.SearchLogEntry>();
                for (var id = start; id <= end; id++)
                {
                    var at = clock.AddSeconds(id);
                    if (id % 10 == 0)
                    {
                        storage.Donations.SetPublicityConsent(new Donors.DonorId(id), true, "coordinator.li", at);
                        if (id % 30 == 0)
                        {
                            storage.Donations.SetPublicityConsent(new Donors.DonorId(id), false, "donor.self", at.AddDays(3));
                        }
                    }

                    if (id % 20 == 0)
                    {
                        storage.Reports.InsertRecollection(new DonorRegistry.Storage.Recollection($"TUBE-R{id}", new Donors.DonorId(id), new Donors.DriveId($"D-{id % 20:00}"), at, DateOnly.FromDateTime(clock.UtcDateTime).AddDays(-30)));
                    }

                    access.Add(new DonorRegistry.Access.AccessRecord(at, "lab.zhao", [DonorRegistry.Access.Role.Lab], false, DonorRegistry.Access.RegistryAction.ReadPersonalData, AggregateKind.Donor, new Donors.DonorId(id).ToString(), DonorRegistry.Access.AccessOutcome.Masked, "check the tube label"));
                    if (id % 2 == 0)
                    {
                        searches.Add(new DonorRegistry.Storage.SearchLogEntry(at, 1_000 + id % 97, id % 5, 2));
                    }
                }

                storage.Access.Append(access);
                storage.Reports.AppendSearchLog(searches);
                return 0;
            });
        }

        var first = DateOnly.FromDateTime(clock.UtcDateTime).AddDays(-730);
        for (var day = 0; day < 730; day += 30)
        {
            storage.Write(() =>
            {
                for (var d = day; d < Math.Min(730, day + 30); d++)
                {
                    for (var drive = 0; drive < 20; drive++)
                    {
                        foreach (var metric in new[] { DonorRegistry.Storage.Metric.Enrolled, DonorRegistry.Storage.Metric.Listed, DonorRegistry.Storage.Metric.SamplesCollected, DonorRegistry.Storage.Metric.DonorsFirstSampled, DonorRegistry.Storage.Metric.SamplesTyped })
                        {
                            storage.Reports.AddCount(first.AddDays(d), new Donors.DriveId($"D-{drive:00}"), metric, 1 + (d + drive) % 7);
                        }
                    }
                }

                return 0;
            });
        }

        Console.WriteLine($"beside: consents, re-collections, 73,000 counts, {count:N0} access-log and {count / 2:N0} search-log entries in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private sealed class Inline(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
