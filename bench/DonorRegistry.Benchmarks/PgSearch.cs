using System.Diagnostics;
using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Search;
using DonorRegistry.Storage.LiteDb;
using Npgsql;
using NpgsqlTypes;

namespace DonorRegistry.Benchmarks;

/// <summary>Helpers of the <c>--pg-*</c> modes: the server from <c>DONORREGISTRY_PG</c>, plain SQL, the load average.</summary>
internal static class PgBench
{
    public static string ConnectionString(string schema)
    {
        var server = Environment.GetEnvironmentVariable("DONORREGISTRY_PG")
            ?? throw new InvalidOperationException("Set DONORREGISTRY_PG to a connection string (scripts/pg-test-cluster start prints one).");
        return new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, CommandTimeout = 0 }.ConnectionString;
    }

    public static void Sql(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }

    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

/// <summary>
/// <c>--pg-search SCHEMA [--rounds R] [--peer P] [--hla FOLDER]</c>, on a registry made by <see cref="PgFixture"/>:
/// <list type="number">
/// <item>opens it with <see cref="Registry.Open"/> and <c>UsePostgreSql</c>, and times <c>Search.BuildIndex()</c> (the
/// index read from the server), with the managed heap measured before and after under full collections;</item>
/// <item>checks that each of the 16 planted donors is found, with no mismatch, by the search of its patient;</item>
/// <item>times the 64 patients' 10/10 searches (PGroup threshold, at most 2 mismatches, top 100) through
/// <c>registry.Search.Find</c>, one at a time, after one warm-up round, R rounds (default 10);</item>
/// <item>the SQL peer (<see cref="PgPeer"/>): builds its P-group matching tables once (timed), then for the first P
/// patients (default 16) compares its donors and mismatch counts with the index's (the index asked for every donor
/// within the limits) and times the two, interleaved patient by patient.</item>
/// </list>
/// </summary>
internal static class PgSearch
{
    public static int Run(string[] args)
    {
        var schema = PgBench.Option(args, "--pg-search")!;
        var rounds = PgBench.Option(args, "--rounds") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 10;
        var peerPatients = PgBench.Option(args, "--peer") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 16;
        var hlaFolder = PgBench.Option(args, "--hla") ?? "/work/shared/data/imgt-hla-3.58.0";
        var reference = HlaReference.Load(hlaFolder);
        Console.WriteLine($"pg-search: schema {schema}, {rounds} rounds of 64 patients, peer on {peerPatients}, HLA {reference.Release}, {Environment.ProcessorCount} processors, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load {PgBench.Load()}");

        var watch = Stopwatch.StartNew();
        using var registry = Registry.Open(PgFixtureKeys.Options(schema, create: false, reference));
        var opened = watch.Elapsed;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        watch.Restart();
        var buildCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var indexed = registry.Search.BuildIndex();
        var built = watch.Elapsed;
        buildCpu = Process.GetCurrentProcess().TotalProcessorTime - buildCpu;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"index: Registry.Open {opened.TotalSeconds:F2} s; BuildIndex {built.TotalSeconds:F2} s ({buildCpu.TotalSeconds:F2} s of this process's CPU) for {indexed:N0} donors; managed heap +{(after - before) / 1048576.0:F1} MiB = {(after - before) / (double)indexed:F1} bytes per donor (rows+map estimate {registry.Search.IndexBytesPerDonor}); load {PgBench.Load()}"));

        // The planted donors: donor k+1 carries patient k's typing.
        var all = PgPatients.Requests(reference, 10_000); // the most a request may ask for
        var missing = 0;
        for (var k = 0; k < PgPatients.Planted; k++)
        {
            var found = registry.Search.Find(all[k]).Matches.FirstOrDefault(m => m.DonorId.Value == k + 1);
            if (found is not { Mismatches: 0 })
            {
                missing++;
                Console.WriteLine($"  planted donor {k + 1} {(found is null ? "not found" : $"found with {found.Mismatches} mismatches")} by patient {k}");
            }
        }

        Console.WriteLine($"planted donors: {(missing == 0 ? $"all {PgPatients.Planted} found with 0 mismatches" : $"{missing} of {PgPatients.Planted} missing")}");

        var requests = PgPatients.Requests(reference, 100);
        var digest = 14_695_981_039_346_656_037UL;
        long candidates = 0;
        foreach (var request in requests)
        {
            var result = registry.Search.Find(request);
            candidates += result.Candidates;
            foreach (var match in result.Matches)
            {
                digest = (digest ^ (ulong)match.DonorId.Value ^ ((ulong)match.Mismatches << 48) ^ ((ulong)match.Rank << 56)) * 1_099_511_628_211UL;
            }
        }

        Console.WriteLine($"results digest {digest:x16}; {candidates / requests.Count:N0} donors within the limits per search on average");
        var times = new List<double>();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var request in requests)
            {
                var start = Stopwatch.GetTimestamp();
                _ = registry.Search.Find(request);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"index searches {times.Count}: median {times[times.Count / 2]:F3} ms, p95 {times[(int)Math.Ceiling(0.95 * times.Count) - 1]:F3} ms, mean {times.Average():F3} ms, min {times[0]:F3} ms, max {times[^1]:F3} ms; {cpu.TotalMilliseconds / times.Count:F3} ms of CPU per search; load {PgBench.Load()}"));

        if (peerPatients > 0)
        {
            var peer = new PgPeer(PgBench.ConnectionString(schema), hlaFolder);
            peer.Build();
            var typings = PgPatients.Typings();
            var differ = 0;
            var indexTimes = new List<double>();
            var sqlTimes = new List<double>();
            long compared = 0;
            var whole = 0;
            for (var k = 0; k < peerPatients; k++)
            {
                var start = Stopwatch.GetTimestamp();
                var fromIndex = registry.Search.Find(requests[k]);
                indexTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                start = Stopwatch.GetTimestamp();
                var fromSql = peer.Search(typings[k].Loci, maxMismatches: 2);
                sqlTimes.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);

                // Equality: the donors within the limits, with their mismatches, from the index asked for up to 10,000 of
                // them (the most a request may ask for): the same count, and every donor returned in the SQL result with
                // the same mismatches; when the count is within 10,000 that is the whole set.
                var wide = registry.Search.Find(all[k]);
                var everyone = wide.Matches.ToDictionary(m => m.DonorId.Value, m => m.Mismatches);
                compared += everyone.Count;
                whole += wide.Candidates == everyone.Count ? 1 : 0;
                var same = wide.Candidates == fromSql.Count && everyone.All(e => fromSql.TryGetValue(e.Key, out var m) && m == e.Value);
                if (!same)
                {
                    differ++;
                    var onlyIndex = everyone.Keys.Except(fromSql.Keys).Take(3).ToList();
                    var onlySql = fromSql.Keys.Except(everyone.Keys).Take(3).ToList();
                    var counts = everyone.Where(e => fromSql.TryGetValue(e.Key, out var m) && m != e.Value).Take(3).Select(e => $"{e.Key}: {e.Value} vs {fromSql[e.Key]}").ToList();
                    Console.WriteLine($"  patient {k}: index {wide.Candidates} ({everyone.Count} returned), SQL {fromSql.Count}; only index {string.Join(',', onlyIndex)}; only SQL {string.Join(',', onlySql)}; counts differ {string.Join("; ", counts)}");
                }

                // The top 100: the SQL peer's donors hold the index's top 100 (the peer does not rank beyond mismatches).
                if (!fromIndex.Matches.All(m => fromSql.TryGetValue(m.DonorId.Value, out var n) && n == m.Mismatches))
                {
                    Console.WriteLine($"  patient {k}: the index's top 100 is not within the SQL peer's result");
                }
            }

            var sqlMedian = PgBench.Median(sqlTimes);
            var indexMedian = PgBench.Median(indexTimes);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SQL peer on {peerPatients} patients: results {(differ == 0 ? $"equal (the same counts; {compared:N0} donors compared with their mismatch counts; whole sets for {whole} patients, the first 10,000 for the rest)" : $"differ for {differ} patients")}; median SQL {sqlMedian:F1} ms (min {sqlTimes.Min():F1}, max {sqlTimes.Max():F1}), index {indexMedian:F3} ms in the same loop; ratio of medians {sqlMedian / indexMedian:F0}x; load {PgBench.Load()}"));
        }

        return 0;
    }
}

/// <summary>
/// The 10/10 search written in SQL the way the open-source reference engine (Anthony Nolan's Atlas) matches: every
/// typed name is expanded once to the P groups of the alleles it may be (from the release's <c>hla_nom_p.txt</c>:
/// an allele's P group, or for an expressed allele in none, its own first two fields; null alleles left out unless the
/// name is itself null, and a null position takes its partner's groups), and each available donor's groups are stored
/// in one pre-computed table per locus, a row per donor, position and P group, indexed by P group. A search reads,
/// per locus, the rows holding any of the patient's groups, counts the better orientation's matched positions per
/// donor, adds the loci, and keeps the donors whose typed positions less matched are at most the mismatches allowed
/// (an untyped locus counts no mismatch, as in the library). Built from the registry's own search rows.
/// </summary>
internal sealed class PgPeer(string connectionString, string hlaFolder)
{
    private static readonly string[] Loci = ["A", "B", "C", "DRB1", "DQB1"];
    private readonly Dictionary<string, int> _groupIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _names = new(StringComparer.Ordinal);
    private List<(string Locus, string[] Fields, bool IsNull, string PGroup)>? _alleles;

    public void Build()
    {
        var watch = Stopwatch.StartNew();
        ReadPGroups();
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        Execute(connection, "CREATE TABLE IF NOT EXISTS peer_built (donors bigint NOT NULL, seconds double precision NOT NULL, at timestamptz NOT NULL DEFAULT now())");
        using (var check = new NpgsqlCommand("SELECT donors, seconds FROM peer_built", connection))
        using (var reader = check.ExecuteReader())
        {
            if (reader.Read())
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SQL peer: matching tables present ({reader.GetInt64(0):N0} donors, built in {reader.GetDouble(1):F0} s)"));
                return;
            }
        }

        foreach (var locus in Loci)
        {
            Execute(connection, $"DROP TABLE IF EXISTS peer_{Table(locus)}; CREATE UNLOGGED TABLE peer_{Table(locus)} (donor_id bigint NOT NULL, position smallint NOT NULL, pgroup int NOT NULL)");
        }

        Execute(connection, "DROP TABLE IF EXISTS peer_donor; CREATE UNLOGGED TABLE peer_donor (donor_id bigint PRIMARY KEY, typed_loci smallint NOT NULL)");
        var notAvailable = new HashSet<long>();
        using (var command = new NpgsqlCommand("SELECT id FROM donors WHERE state = ANY($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = DocumentCodec.NotAvailable.Select(s => s.ToString()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                notAvailable.Add(reader.GetInt64(0));
            }
        }

        // Read every search row on one connection while five COPYs write on others.
        var writers = Loci.ToDictionary(l => l, l =>
        {
            var c = new NpgsqlConnection(connectionString);
            c.Open();
            return (Connection: c, Copy: c.BeginBinaryImport($"COPY peer_{Table(l)} (donor_id, position, pgroup) FROM STDIN (FORMAT BINARY)"));
        });
        var donorConnection = new NpgsqlConnection(connectionString);
        donorConnection.Open();
        var donorCopy = donorConnection.BeginBinaryImport("COPY peer_donor (donor_id, typed_loci) FROM STDIN (FORMAT BINARY)");
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        long donors = 0, rows = 0;
        using (var command = new NpgsqlCommand("SELECT id, row FROM donor_search", connection))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (notAvailable.Contains(id))
                {
                    continue;
                }

                var row = DocumentCodec.DecodeSearchRow(id, (byte[])reader[1], DonorState.Available, 0, strings, "bench");
                short typed = 0;
                foreach (var locus in Loci)
                {
                    if (!row.Loci.TryGetValue(locus, out var text))
                    {
                        continue;
                    }

                    typed++;
                    var (first, second) = Positions(text);
                    var copy = writers[locus].Copy;
                    foreach (var (position, groups) in new[] { ((short)1, first), ((short)2, second) })
                    {
                        foreach (var group in groups)
                        {
                            copy.StartRow();
                            copy.Write(id, NpgsqlDbType.Bigint);
                            copy.Write(position, NpgsqlDbType.Smallint);
                            copy.Write(group, NpgsqlDbType.Integer);
                            rows++;
                        }
                    }
                }

                donorCopy.StartRow();
                donorCopy.Write(id, NpgsqlDbType.Bigint);
                donorCopy.Write(typed, NpgsqlDbType.Smallint);
                donors++;
            }
        }

        foreach (var (_, (c, copy)) in writers)
        {
            copy.Complete();
            copy.Dispose();
            c.Dispose();
        }

        donorCopy.Complete();
        donorCopy.Dispose();
        donorConnection.Dispose();
        var copied = watch.Elapsed;
        foreach (var locus in Loci)
        {
            Execute(connection, $"CREATE INDEX ON peer_{Table(locus)} (pgroup, position) INCLUDE (donor_id)");
            Execute(connection, $"VACUUM ANALYZE peer_{Table(locus)}");
        }

        Execute(connection, "VACUUM ANALYZE peer_donor");
        using (var done = new NpgsqlCommand("INSERT INTO peer_built (donors, seconds) VALUES ($1, $2)", connection))
        {
            done.Parameters.Add(new NpgsqlParameter { Value = donors });
            done.Parameters.Add(new NpgsqlParameter { Value = watch.Elapsed.TotalSeconds });
            done.ExecuteNonQuery();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SQL peer: matching tables of {donors:N0} available donors, {rows:N0} rows, copied in {copied.TotalSeconds:F0} s, indexed and analysed by {watch.Elapsed.TotalSeconds:F0} s; load {PgBench.Load()}"));
    }

    /// <summary>The donors within the limits and their mismatches.</summary>
    public Dictionary<long, int> Search(IReadOnlyDictionary<string, string> patient, int maxMismatches)
    {
        var parts = new List<string>();
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand { Connection = connection, CommandTimeout = 0 };
        var n = 0;
        foreach (var locus in Loci)
        {
            var (first, second) = Positions(patient[locus]);
            command.Parameters.Add(new NpgsqlParameter { Value = first, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { Value = second, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            int p1 = ++n, p2 = ++n;
            parts.Add($"""
                SELECT donor_id, greatest(bool_or(position = 1 AND pgroup = ANY(${p1}))::int + bool_or(position = 2 AND pgroup = ANY(${p2}))::int,
                                          bool_or(position = 1 AND pgroup = ANY(${p2}))::int + bool_or(position = 2 AND pgroup = ANY(${p1}))::int) AS matched
                FROM peer_{Table(locus)} WHERE pgroup = ANY(${p1} || ${p2}) GROUP BY donor_id
                """);
        }

        command.Parameters.Add(new NpgsqlParameter { Value = maxMismatches });
        command.CommandText = $"""
            WITH matched AS ({string.Join("\nUNION ALL\n", parts)}),
                 donors AS (SELECT donor_id, sum(matched)::int AS matched FROM matched GROUP BY donor_id HAVING sum(matched) >= 6 - ${n + 1})
            SELECT d.donor_id, 2 * p.typed_loci - d.matched AS mismatches
            FROM donors d JOIN peer_donor p ON p.donor_id = d.donor_id
            WHERE 2 * p.typed_loci - d.matched <= ${n + 1}
            """;
        var result = new Dictionary<long, int>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetInt64(0)] = reader.GetInt32(1);
        }

        return result;
    }

    private static string Table(string locus) => locus.ToLowerInvariant();

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.ExecuteNonQuery();
    }

    /// <summary>A locus typing "X+Y" (or one name, homozygous) as the P groups of each position; a null position takes its partner's.</summary>
    private (int[] First, int[] Second) Positions(string text)
    {
        var names = text.Split('+');
        var first = Groups(names[0]);
        var second = names.Length > 1 ? Groups(names[1]) : first;
        return (first.Length == 0 ? second : first, second.Length == 0 ? first : second);
    }

    private int[] Groups(string name)
    {
        if (_names.TryGetValue(name, out var known))
        {
            return known;
        }

        var star = name.IndexOf('*', StringComparison.Ordinal);
        var locus = name[..star];
        var fields = name[(star + 1)..].TrimEnd('N', 'Q', 'L', 'S').Split(':');
        var isNull = name.EndsWith('N');
        var groups = _alleles!
            .Where(a => a.Locus == locus && (isNull || !a.IsNull) && a.Fields.Length >= fields.Length && fields.SequenceEqual(a.Fields.Take(fields.Length)))
            .Select(a => Id(locus + "*" + a.PGroup))
            .Distinct().Order().ToArray();
        if (groups.Length == 0 && !isNull)
        {
            throw new InvalidOperationException($"{name} is in no row of hla_nom_p.txt");
        }

        return _names[name] = groups;
    }

    private int Id(string group) => _groupIds.TryGetValue(group, out var id) ? id : _groupIds[group] = _groupIds.Count + 1;

    private void ReadPGroups()
    {
        _alleles = [];
        foreach (var line in File.ReadLines(Path.Combine(hlaFolder, "hla_nom_p.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            var columns = line.Split(';');
            var locus = columns[0].TrimEnd('*');
            foreach (var allele in columns[1].Split('/'))
            {
                var fields = allele.TrimEnd('N', 'Q', 'L', 'S').Split(':');
                var group = columns[2].Length > 0 ? columns[2] : string.Join(':', fields.Take(2));
                _alleles.Add((locus, fields, allele.EndsWith('N'), group));
            }
        }
    }
}
