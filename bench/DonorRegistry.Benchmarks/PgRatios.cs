using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DonorRegistry.Donors;
using DonorRegistry.Storage.LiteDb;
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
/// against bare Npgsql copying documents of the same size (the engine's own donor documents, made beforehand) and one
/// audit row each, one transaction per 1,000, into a new registry's tables; and a second reference, the same after one
/// indexed read of each batch's identities (the duplicate-person check the library must make, ADR 12). Every side
/// writes into a new schema.</item>
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

    private static void Enrolment(int rounds, int enrolled)
    {
        var requests = Workloads.Volunteers(enrolled);
        var documents = BareDocuments(requests);
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
            for (var at = 0; at < documents.Count; at += Batch)
            {
                var batch = documents.Skip(at).Take(Batch).ToList();
                using var connection = source.OpenConnection();
                using var transaction = connection.BeginTransaction();
                if (withLookup)
                {
                    using var lookup = new NpgsqlCommand("SELECT doc::text, id FROM donors WHERE nid = ANY($1)", connection, transaction);
                    lookup.Parameters.Add(new NpgsqlParameter { Value = batch.Select(d => d.Identity).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
                    using var reader = lookup.ExecuteReader();
                    while (reader.Read())
                    {
                    }
                }

                using (var copy = connection.BeginBinaryImport("COPY donors (id, version, state, drive, due, listed_on, nid, doc) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var d in batch)
                    {
                        copy.StartRow();
                        copy.Write(d.Id, NpgsqlDbType.Bigint);
                        copy.Write(1, NpgsqlDbType.Integer);
                        copy.Write("Enrolled", NpgsqlDbType.Text);
                        copy.WriteNull();
                        copy.WriteNull();
                        copy.WriteNull();
                        copy.Write(d.Identity, NpgsqlDbType.Uuid);
                        copy.Write(d.Json, NpgsqlDbType.Jsonb);
                    }

                    copy.Complete();
                }

                using (var copy = connection.BeginBinaryImport("COPY audit (kind, subject, version, from_state, to_state, action, actor, reason, at, chain) FROM STDIN (FORMAT BINARY)"))
                {
                    var now = DateTime.UtcNow;
                    foreach (var d in batch)
                    {
                        copy.StartRow();
                        copy.Write("Donor", NpgsqlDbType.Text);
                        copy.Write(new DonorId(d.Id).ToString(), NpgsqlDbType.Text);
                        copy.Write(1, NpgsqlDbType.Integer);
                        copy.Write("Prospect", NpgsqlDbType.Text);
                        copy.Write("Enrolled", NpgsqlDbType.Text);
                        copy.Write("Enrol", NpgsqlDbType.Text);
                        copy.Write(Workloads.By, NpgsqlDbType.Text);
                        copy.WriteNull();
                        copy.Write(now, NpgsqlDbType.TimestampTz);
                        copy.Write(BareSeal, NpgsqlDbType.Bytea);
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

    /// <summary>The engine's own document for each enrolled donor, with a 300-byte sealed blob and an identity hash: the size the library writes.</summary>
    private static List<(long Id, Guid Identity, string Json)> BareDocuments(IReadOnlyList<EnrolmentRequest> requests)
    {
        var policy = new EligibilityPolicy();
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var list = new List<(long, Guid, string)>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var donor = new Donor(new DonorId(i + 1), requests[i].Profile, now) { State = DonorState.Enrolled, Version = 1, StateSince = now };
            var sealedData = new byte[300];
            random.NextBytes(sealedData);
            var identity = Guid.NewGuid();
            list.Add((i + 1, identity, DocumentCodec.EncodeDonor(donor, policy, identity, sealedData, sealedData[..48])));
        }

        return list;
    }

    private static readonly byte[] BareSeal = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
}
