using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DonorRegistry.Donors;
using Npgsql;
using NpgsqlTypes;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// <c>--pg-ratios [rounds] [enrolled]</c>: issue 13's ratios on PostgreSQL, against bare Npgsql doing the same two writes
/// in one transaction, interleaved in one run (each round runs every side once, in rotating order, after one warm-up
/// of each; the report gives every round's ratio and the median). The server is <c>DONORREGISTRY_PG</c>, with its own
/// settings for both sides (the test cluster: fsync and synchronous_commit on).
/// <list type="bullet">
/// <item>A transition (Defer, then EndDeferral, alternately) with its audit record, against bare Npgsql reading the
/// donor's row, writing it changed (the JSONB document parsed, its state and version set, written back with the
/// columns) and inserting one audit row, in one transaction; 1,000 transitions per block, over 1 donor and spread over
/// 1,000. Both sides work on the same registry's tables and indexes, on donors of their own.</item>
/// <item>Enrolment of ENROLLED donors (default 20,000) with encryption in batches of 1,000 (<c>Donors.EnrolMany</c>),
/// against bare Npgsql copying the very rows the library writes (its donor rows and audit rows, read back from one
/// library enrolment of the same requests made beforehand, untimed), one transaction per 1,000, into a new registry's
/// tables and indexes; and a second reference, the same after one indexed read of each batch's identities with the
/// holders' ids and proofs (the duplicate-person check the library must make, ADR 12; the coarse identities are the
/// library's, so it meets the same few shared ones). Every side writes into a new schema.</item>
/// </list>
/// </summary>
internal static class PgRatios
{
    private const int TransitionsPerBlock = 1_000;
    private const int Batch = 1_000;

    public static int Run(int rounds, int enrolled)
    {
        Console.WriteLine($"pg-ratios: {rounds} rounds, {Environment.ProcessorCount} processors, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load {PgBench.Load()}");
        foreach (var donors in new[] { 1, 1_000 })
        {
            Transitions(donors, rounds);
        }

        Enrolment(rounds, enrolled);
        return 0;
    }

    private static void Transitions(int donors, int rounds)
    {
        const string Schema = "bench_ratios_t";
        PgBench.Sql(PgBench.ConnectionString("public"), $"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        using var registry = Registry.Create(PgFixtureKeys.Options(Schema, create: true));
        Workloads.EnrolInBatches(registry, Workloads.Volunteers(2 * donors), 1_000);
        var library = Enumerable.Range(1, donors).Select(i => Workloads.ListedDonor(registry, new DonorId(i))).ToArray();
        var bare = Enumerable.Range(donors + 1, donors).Select(i => Workloads.ListedDonor(registry, new DonorId(i))).ToArray();
        var deferred = new bool[donors];
        var flags = new bool[donors];
        using var source = NpgsqlDataSource.Create(PgBench.ConnectionString(Schema));
        var next = 0;
        void Library()
        {
            var i = next++ % donors;
            Workloads.Transition(registry, library[i], ref deferred[i]);
        }

        void Bare()
        {
            var i = next++ % donors;
            BareTransition(source, bare[i], ref flags[i]);
        }

        var times = Interleaved.Run(rounds, [() => Interleaved.Time(Bare, TransitionsPerBlock), () => Interleaved.Time(Library, TransitionsPerBlock)]);
        var ratios = times[1].Zip(times[0], (l, b) => l / b).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transition, {donors:N0} donor(s): bare Npgsql {Interleaved.Median(times[0]) * 1e6 / TransitionsPerBlock:F1} µs, library {Interleaved.Median(times[1]) * 1e6 / TransitionsPerBlock:F1} µs; library / bare median {Interleaved.Median(ratios):F3} (rounds: {string.Join(" ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}); load {PgBench.Load()}"));
    }

    /// <summary>Bare Npgsql doing a transition's two writes: read the donor's row, write it changed, insert one audit row; one transaction.</summary>
    private static void BareTransition(NpgsqlDataSource source, DonorId id, ref bool deferred)
    {
        using var connection = source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        string json;
        int version;
        using (var read = new NpgsqlCommand("SELECT doc::text, version, state FROM donors WHERE id = $1", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = id.Value });
            using var reader = read.ExecuteReader();
            reader.Read();
            json = reader.GetString(0);
            version = reader.GetInt32(1);
        }

        var from = deferred ? "TemporarilyUnavailable" : "Available";
        var to = deferred ? "Available" : "TemporarilyUnavailable";
        var document = JsonNode.Parse(json)!.AsObject();
        document["state"] = to;
        document["note"] = deferred ? null : "bench";
        if (document.ContainsKey("v"))
        {
            document["v"] = version + 1;
        }
        var until = Workloads.Today().AddDays(30);
        using (var update = new NpgsqlCommand("UPDATE donors SET version = $3, state = $4, due = $5, doc = $6 WHERE id = $1 AND version = $2", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = id.Value });
            update.Parameters.Add(new NpgsqlParameter { Value = version });
            update.Parameters.Add(new NpgsqlParameter { Value = version + 1 });
            update.Parameters.Add(new NpgsqlParameter { Value = to });
            update.Parameters.Add(new NpgsqlParameter { Value = deferred ? DBNull.Value : until.AddDays(1), NpgsqlDbType = NpgsqlDbType.Date });
            update.Parameters.Add(new NpgsqlParameter { Value = document.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
            if (update.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException("bare transition: the version changed");
            }
        }

        using (var audit = new NpgsqlCommand("INSERT INTO audit (kind, subject, version, from_state, to_state, action, actor, reason, at, chain) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", connection, transaction))
        {
            foreach (var value in new object[] { "Donor", id.ToString(), version + 1, from, to, deferred ? "EndDeferral" : "Defer", Workloads.By, "bench", DateTime.UtcNow, BareSeal })
            {
                audit.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            audit.ExecuteNonQuery();
        }

        transaction.Commit();
        deferred = !deferred;
    }

    /// <summary>
    /// Only the library's enrolment on PostgreSQL, for a profiler (<c>--pg-enrol-profile [rounds] [enrolled]</c>): each
    /// round enrols into a new schema in batches of 1,000 and prints its wall time and the process's CPU seconds (every
    /// thread: the writer, the preparing thread and the GC), the client's share that the server's cores do not get.
    /// </summary>
    public static int EnrolProfile(int rounds, int enrolled)
    {
        Console.WriteLine($"pg-enrol-profile: {rounds} rounds, {Environment.ProcessorCount} processors, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load {PgBench.Load()}");
        var requests = Workloads.Volunteers(enrolled);
        var walls = new List<double>();
        var cpus = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var schema = $"bench_enrol_profile{round % 2}";
            PgBench.Sql(PgBench.ConnectionString("public"), $"DROP SCHEMA IF EXISTS {schema} CASCADE");
            using var registry = Registry.Create(PgFixtureKeys.Options(schema, create: true));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes();
            var paused = GC.GetTotalPauseDuration();
            var watch = Stopwatch.StartNew();
            Workloads.EnrolInBatches(registry, requests, Batch);
            var wall = watch.Elapsed.TotalSeconds;
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var perDonor = (GC.GetTotalAllocatedBytes() - allocated) / (double)enrolled;
            var pause = (GC.GetTotalPauseDuration() - paused).TotalSeconds;
            if (round > 0)
            {
                walls.Add(wall);
                cpus.Add(used);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(round == 0 ? "warm-up" : $"round {round}")}: {wall:F3} s ({enrolled / wall:N0}/s), client CPU {used:F3} s, allocated {perDonor:N0} B/donor, GC pauses {pause:F3} s"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: {Interleaved.Median(walls):F3} s, client CPU {Interleaved.Median(cpus):F3} s; load {PgBench.Load()}"));
        return 0;
    }

    private static void Enrolment(int rounds, int enrolled)
    {
        var requests = Workloads.Volunteers(enrolled);
        var (donors, audit) = LibraryRows(requests);
        var made = 0;
        string NewSchema()
        {
            var schema = $"bench_ratios_e{made++ % 3}";
            PgBench.Sql(PgBench.ConnectionString("public"), $"DROP SCHEMA IF EXISTS {schema} CASCADE");
            return schema;
        }

        double Library()
        {
            using var registry = Registry.Create(PgFixtureKeys.Options(NewSchema(), create: true));
            var watch = Stopwatch.StartNew();
            Workloads.EnrolInBatches(registry, requests, Batch);
            return watch.Elapsed.TotalSeconds;
        }

        double BareEnrol(bool withLookup)
        {
            var schema = NewSchema();
            using (Registry.Create(PgFixtureKeys.Options(schema, create: true)))
            {
                // The registry creates the schema with its tables and indexes; then Npgsql alone writes.
            }

            using var source = NpgsqlDataSource.Create(PgBench.ConnectionString(schema));
            var watch = Stopwatch.StartNew();
            for (var at = 0; at < donors.Count; at += Batch)
            {
                var batch = donors.GetRange(at, Math.Min(Batch, donors.Count - at));
                using var connection = source.OpenConnection();
                using var transaction = connection.BeginTransaction();
                if (withLookup)
                {
                    // What the duplicate-person check needs of the donors sharing an identity: their ids and proofs.
                    using var lookup = new NpgsqlCommand("SELECT nid, id, doc -> 'nidp' ->> '$binary' FROM donors WHERE nid = ANY($1)", connection, transaction);
                    lookup.Parameters.Add(new NpgsqlParameter { Value = batch.Select(d => d.Nid).Distinct().ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
                    using var reader = lookup.ExecuteReader();
                    while (reader.Read())
                    {
                        _ = reader.IsDBNull(2) ? null : Convert.FromBase64String(reader.GetString(2));
                    }
                }

                using (var copy = connection.BeginBinaryImport("COPY donors (id, version, state, drive, due, listed_on, nid, doc) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var d in batch)
                    {
                        copy.StartRow();
                        copy.Write(d.Id, NpgsqlDbType.Bigint);
                        copy.Write(d.Version, NpgsqlDbType.Integer);
                        copy.Write(d.State, NpgsqlDbType.Text);
                        Maybe(copy, d.Drive, NpgsqlDbType.Text);
                        Maybe(copy, d.Due, NpgsqlDbType.Date);
                        Maybe(copy, d.ListedOn, NpgsqlDbType.Date);
                        copy.Write(d.Nid, NpgsqlDbType.Uuid);
                        copy.Write(d.Json, NpgsqlDbType.Jsonb);
                    }

                    copy.Complete();
                }

                using (var copy = connection.BeginBinaryImport("COPY audit (kind, subject, version, from_state, to_state, action, actor, reason, at, chain) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var r in audit.GetRange(at, batch.Count))
                    {
                        copy.StartRow();
                        copy.Write(r.Kind, NpgsqlDbType.Text);
                        copy.Write(r.Subject, NpgsqlDbType.Text);
                        copy.Write(r.Version, NpgsqlDbType.Integer);
                        copy.Write(r.From, NpgsqlDbType.Text);
                        copy.Write(r.To, NpgsqlDbType.Text);
                        copy.Write(r.Action, NpgsqlDbType.Text);
                        copy.Write(r.Actor, NpgsqlDbType.Text);
                        Maybe(copy, r.Reason, NpgsqlDbType.Text);
                        copy.Write(r.At, NpgsqlDbType.TimestampTz);
                        Maybe(copy, r.Chain, NpgsqlDbType.Bytea);
                    }

                    copy.Complete();
                }

                transaction.Commit();
            }

            return watch.Elapsed.TotalSeconds;
        }

        var times = Interleaved.Run(rounds, [() => BareEnrol(withLookup: false), () => BareEnrol(withLookup: true), Library]);
        var ratios = times[2].Zip(times[0], (l, b) => l / b).ToList();
        var toLookup = times[2].Zip(times[1], (l, b) => l / b).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"enrol {enrolled:N0}: bare Npgsql {Interleaved.Median(times[0]):F3} s ({enrolled / Interleaved.Median(times[0]):N0}/s), bare with the identity lookup {Interleaved.Median(times[1]):F3} s, library {Interleaved.Median(times[2]):F3} s ({enrolled / Interleaved.Median(times[2]):N0} donors/s); library / bare median {Interleaved.Median(ratios):F3} (rounds: {string.Join(" ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}); library / bare with the lookup median {Interleaved.Median(toLookup):F3} (rounds: {string.Join(" ", toLookup.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}); load {PgBench.Load()}"));
    }

    /// <summary>
    /// The rows the library writes for these requests, read back from one library enrolment made beforehand (untimed):
    /// the bare side copies exactly them (the same ids, columns, documents, coarse identities and audit rows), so the
    /// two sides store the same bytes and the bare lookup meets the same identities shared by a few donors.
    /// </summary>
    private static (List<DonorRowData> Donors, List<AuditRowData> Audit) LibraryRows(IReadOnlyList<EnrolmentRequest> requests)
    {
        const string Schema = "bench_ratios_rows";
        PgBench.Sql(PgBench.ConnectionString("public"), $"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        using (var registry = Registry.Create(PgFixtureKeys.Options(Schema, create: true)))
        {
            Workloads.EnrolInBatches(registry, requests, Batch);
        }

        using var connection = new NpgsqlConnection(PgBench.ConnectionString(Schema));
        connection.Open();
        var donors = new List<DonorRowData>(requests.Count);
        using (var read = new NpgsqlCommand("SELECT id, version, state, drive, due, listed_on, nid, doc::text FROM donors ORDER BY id", connection))
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                donors.Add(new DonorRowData(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5), reader.GetGuid(6), reader.GetString(7)));
            }
        }

        var audit = new List<AuditRowData>(requests.Count);
        using (var read = new NpgsqlCommand("SELECT kind, subject, version, from_state, to_state, action, actor, reason, at, chain FROM audit WHERE kind = 'Donor' ORDER BY length(subject), subject, version", connection))
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                audit.Add(new AuditRowData(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetDateTime(8), reader.IsDBNull(9) ? null : (byte[])reader[9]));
            }
        }

        if (donors.Count != requests.Count || audit.Count != requests.Count)
        {
            throw new InvalidOperationException($"the library stored {donors.Count} donors and {audit.Count} audit records for {requests.Count} requests");
        }

        PgBench.Sql(PgBench.ConnectionString("public"), $"DROP SCHEMA IF EXISTS {Schema} CASCADE");
        return (donors, audit);
    }

    private static void Maybe<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, type);
        }
    }

    private sealed record DonorRowData(long Id, int Version, string State, string? Drive, DateOnly? Due, DateOnly? ListedOn, Guid Nid, string Json);

    private sealed record AuditRowData(string Kind, string Subject, int Version, string From, string To, string Action, string Actor, string? Reason, DateTime At, byte[]? Chain);

    private static readonly byte[] BareSeal = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
}
