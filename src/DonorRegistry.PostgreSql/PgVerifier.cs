using System.Data;
using DonorRegistry.Donors;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using DonorRegistry.Verification;
using Npgsql;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// <see cref="Registry.Verify"/> on PostgreSQL: reads every table once, in one read-only snapshot, with this instance's
/// writers waiting, and lists every problem it meets without stopping at the first, in the kinds the LiteDB verifier
/// uses. Each check is one small method in <see cref="Checks"/>; one the server cannot finish (a table gone, a page or
/// index the server finds corrupt) is reported as <see cref="VerificationProblemKind.Unreadable"/>, rolled back to
/// its savepoint, and the next one runs in the same snapshot. A failure of the server itself (gone, refusing, too
/// slow) is <see cref="RegistryUnavailableException"/>, as for any read.
/// </summary>
/// <remarks>
/// What the LiteDB verifier checks and what this one checks instead (docs/architecture.md, "Verification"):
/// <list type="bullet">
/// <item>Seals: the documents carry no per-document seal on PostgreSQL (ADR 18: JSONB reorders nested keys, so a
/// stored document would not hash back to one; the server's page checksums guard the bytes). No document is reported
/// <see cref="VerificationProblemKind.Unsealed"/>. What is sealed is checked: each audit record's keyed chain link, the
/// sealed personal data and the wrapped key (AES-GCM, in <see cref="KeySlots"/>), and each search row's checksum.</item>
/// <item>Indexes: LiteDB's index pages have no counterpart to read; the server keeps its indexes. Instead the columns
/// the indexes and queries are built on must say what the document says (<see cref="VerificationProblemKind.IndexMismatch"/>),
/// each primary key must list an id once, and every index of the registry's tables must be valid
/// (<see cref="Constraints"/>).</item>
/// </list>
/// </remarks>
internal sealed partial class PgVerifier(PgStorage store, VerificationInputs inputs)
{
    private const string Donors = "donors";
    private const string AuditTable = "audit";
    private const string KeyStore = "key store";

    private readonly PgDatabase _db = store.Database;
    private readonly VerificationFindings _findings = new();

    /// <summary>Each kind's records as decoded: key → (version, state name).</summary>
    private readonly Dictionary<AggregateKind, Dictionary<string, (int Version, string State)>> _records = [];

    /// <summary>The ids each table holds, as the sequences name them (a donor as DR-…).</summary>
    private readonly Dictionary<string, HashSet<string>> _ids = new(StringComparer.Ordinal);

    private readonly List<Donor> _donors = [];
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;

    /// <summary>The checks, in order. The documents are read first (the later checks use what they found).</summary>
    private IEnumerable<(string Name, Action Run)> Checks =>
    [
        ("documents", Documents),
        ("audit trails", AuditTrails),
        ("sequences", Sequences),
        ("key slots", KeySlots),
        ("constraints", Constraints),
        ("search rows", SearchRows),
        ("search index", SearchIndex),
    ];

    public VerificationReport Run()
    {
        store.Exclusive(() =>
        {
            using var connection = _db.Guarded("opening a connection for the verification", _db.Source.OpenConnection);

            // One snapshot for every check (REPEATABLE READ): the checks see the tables as they stood at the first read,
            // whole commits or none, while other instances' writers (which do not wait for this instance's gate) go on
            // beside it without being seen; this instance's writers wait at the gate. READ ONLY: the verification writes
            // nothing and takes no row lock a writer would wait for.
            using var transaction = _db.Guarded("beginning the verification's snapshot", () => connection.BeginTransaction(IsolationLevel.RepeatableRead));
            _connection = connection;
            _transaction = transaction;
            Execute("making the verification read only", "SET TRANSACTION READ ONLY");
            foreach (var (name, run) in Checks)
            {
                Execute("marking where a check starts", "SAVEPOINT verify_check");
                try
                {
                    run();
                    Execute("ending a check", "RELEASE SAVEPOINT verify_check");
                }
                catch (RegistryDamagedException e)
                {
                    // The server refused a statement of the check: back to its savepoint, so the next check reads on.
                    Execute("going on after a check the server could not finish", "ROLLBACK TO SAVEPOINT verify_check");
                    Add(VerificationProblemKind.Unreadable, e.Collection ?? name, e.DocumentId, e.Expected, $"the {name} check stopped: {VerificationFindings.Found(e)}");
                }
            }

            _db.Guarded("ending the verification's snapshot", () => transaction.Rollback()); // nothing was written
        });
        return _findings.Report();
    }

    private void Add(VerificationProblemKind kind, string collection, string? id, string expected, string found) => _findings.Add(kind, collection, id, expected, found);

    /// <summary>Every row of every table of records decodes, under the id its record has, and its columns say what its document says.</summary>
    private void Documents()
    {
        ReadDonors();
        ReadRecords((PgSampleStore)store.Samples);
        ReadRecords((PgCaseStore)store.Cases);
        ReadRecords((PgDriveStore)store.Drives);
        ReadRecords((PgDonationStore)store.Donations);
        ReadRecords((PgVolunteerStore)store.Volunteers);
        ReadRecords((PgUserStore)store.Users);

        ReadOthers("shipments", "SELECT id, doc::text FROM shipments", [], (id, json, _) => DocumentCodec.Shipment.Decode(json, _db.Where, id).Id, _ => []);
        ReadOthers("lectures", "SELECT id, doc::text, drive, held_on FROM lectures", ["drive", "held_on"], (id, json, _) => DocumentCodec.Lecture.Decode(json, _db.Where, id), l => [l.Drive?.Value, l.HeldOn]);
        ReadOthers("recognitions", "SELECT id, doc::text, donor, on_day FROM recognitions", ["donor", "on_day"], (id, json, _) => DocumentCodec.Recognition.Decode(json, _db.Where, id), r => [r.Donor.Value, r.On]);
        Publicity();

        // Not read: daily_counts, recollections, search_log, access_log, changes and import_checkpoint are plain rows
        // whose every column the server types and holds NOT NULL; there is no document in them to decode.
    }

    private void ReadDonors()
    {
        var donors = (PgDonorStore)store.Donors;
        var records = Records(AggregateKind.Donor, Donors);
        var ids = _ids[Donors];
        Rows(Donors, "reading the donors", $"SELECT id, version, {string.Join(", ", PgDonorStore.QueryColumnNames)}, doc::text FROM donors", r =>
        {
            var id = new DonorId(r.GetInt64(0));
            if (!ids.Add(id.ToString()))
            {
                Add(VerificationProblemKind.IndexMismatch, Donors, id.ToString(), "the primary key to hold each id once", "a second row");
            }

            try
            {
                var (donor, identity, _, _) = DocumentCodec.DecodeDonor(r.GetString(7), _db.Where, id.Value);
                IAggregate record = donor;
                _donors.Add(donor);
                records[record.Key] = (record.Version, record.StateName);
                Agree(Donors, id.ToString(), record.Key, record.Version, r, 1, PgDonorStore.QueryColumnNames, donors.QueryColumns(donor, identity));
            }
            catch (RegistryDamagedException e)
            {
                Add(VerificationProblemKind.Undecodable, Donors, id.ToString(), e.Expected, VerificationFindings.Found(e));
            }
        });
    }

    private void ReadRecords<TKey, T>(PgRecordStore<TKey, T> table)
        where T : class, IAggregate
    {
        var name = TableOf(table.Kind);
        var records = Records(table.Kind, name);
        var ids = _ids[name];
        var columns = table.ColumnNames;
        Rows(name, $"reading the {name}", $"SELECT id, version, {string.Join("", columns.Select(c => c + ", "))}doc::text FROM {name}", r =>
        {
            var id = r.GetString(0);
            if (!ids.Add(id))
            {
                Add(VerificationProblemKind.IndexMismatch, name, id, "the primary key to hold each id once", "a second row");
            }

            try
            {
                var (value, expected) = table.Verified(r.GetString(2 + columns.Length), id);
                records[value.Key] = (value.Version, value.StateName);
                Agree(name, id, value.Key, value.Version, r, 1, columns, expected);
            }
            catch (RegistryDamagedException e)
            {
                Add(VerificationProblemKind.Undecodable, name, id, e.Expected, VerificationFindings.Found(e));
            }
        });
    }

    /// <summary>A table of documents that are not versioned records: each row decodes, and its columns (after id and doc) say what its document says.</summary>
    private void ReadOthers<T>(string table, string sql, string[] columns, Func<string, string, NpgsqlDataReader, T> decode, Func<T, object?[]> values)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        _ids[table] = ids;
        Rows(table, $"reading the {table}", sql, r =>
        {
            var id = r.GetString(0);
            ids.Add(id);
            try
            {
                var value = decode(id, r.GetString(1), r);
                ColumnsAgree(table, id, r, 2, columns, values(value));
            }
            catch (RegistryDamagedException e)
            {
                Add(VerificationProblemKind.Undecodable, table, id, e.Expected, VerificationFindings.Found(e));
            }
        });
    }

    /// <summary>Each donor's publicity consent is the last one its history gives (the consents are plain rows, ADR 18).</summary>
    private void Publicity() =>
        Rows("publicity", "reading the publicity consents",
            "SELECT p.donor, p.consent, (SELECT h.consent FROM publicity_history h WHERE h.donor = p.donor ORDER BY h.seq DESC LIMIT 1) FROM publicity p", r =>
            {
                var consent = r.GetBoolean(1);
                if (r.IsDBNull(2) || r.GetBoolean(2) != consent)
                {
                    Add(VerificationProblemKind.Undecodable, "publicity", new DonorId(r.GetInt64(0)).ToString(), $"a history whose last entry is the consent in force ({(consent ? "given" : "withdrawn")})",
                        r.IsDBNull(2) ? "no history" : $"the last entry {(r.GetBoolean(2) ? "gives" : "withdraws")} it");
                }
            });

    /// <summary>The row is its record's (id and version), and its columns say what its document says.</summary>
    private void Agree(string table, string id, string key, int version, NpgsqlDataReader row, int versionColumn, string[] columns, object?[] expected)
    {
        if (key != id)
        {
            Add(VerificationProblemKind.IndexMismatch, table, id, "the row's id to be its record's", $"the record of '{key}'");
        }

        if (row.GetInt32(versionColumn) != version)
        {
            Add(VerificationProblemKind.IndexMismatch, table, id, $"column 'version' to hold the document's version {version}", $"{row.GetInt32(versionColumn)}");
        }

        ColumnsAgree(table, id, row, versionColumn + 1, columns, expected);
    }

    /// <summary>Each query column (from <paramref name="first"/> on) holds what the document gives it: an index on it finds the record where its document says.</summary>
    private void ColumnsAgree(string table, string id, NpgsqlDataReader row, int first, string[] columns, object?[] expected)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            var stored = row.IsDBNull(first + i) ? null : row.GetValue(first + i);
            if (!Equals(Comparable(stored), Comparable(expected[i])))
            {
                Add(VerificationProblemKind.IndexMismatch, table, id, $"column '{columns[i]}' to hold what the document says ({Shown(expected[i])})", Shown(stored));
            }
        }
    }

    /// <summary>A column's value as compared: a day or instant by its ticks (date columns read back as midnight), the rest as it is.</summary>
    private static object? Comparable(object? value) => value switch
    {
        DateOnly day => day.ToDateTime(TimeOnly.MinValue).Ticks,
        DateTime at => at.Ticks,
        DateTimeOffset at => at.UtcTicks,
        _ => value,
    };

    private static string Shown(object? value) => value switch
    {
        null => "nothing",
        DateTime at => at.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "nothing",
    };

    private Dictionary<string, (int Version, string State)> Records(AggregateKind kind, string table)
    {
        var records = new Dictionary<string, (int Version, string State)>(StringComparer.Ordinal);
        _records[kind] = records;
        _ids[table] = new HashSet<string>(StringComparer.Ordinal);
        return records;
    }

    /// <summary>The table a kind of record lives in (PgSchema).</summary>
    private static string TableOf(AggregateKind kind) => kind switch
    {
        AggregateKind.Donor => Donors,
        AggregateKind.Sample => "samples",
        AggregateKind.Case => "cases",
        AggregateKind.Drive => "drives",
        AggregateKind.Donation => "donations",
        AggregateKind.Volunteer => "volunteers",
        AggregateKind.User => "users",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Runs a query in the snapshot and hands each row to <paramref name="row"/>, counting it as a document read. The
    /// server's refusal of the table (gone, a column gone, a page or index it finds corrupt) is
    /// <see cref="RegistryDamagedException"/> naming the table; any other failure of the server is <see cref="RegistryUnavailableException"/>.
    /// </summary>
    private void Rows(string table, string what, string sql, Action<NpgsqlDataReader> row, params object?[] values) =>
        Query(table, what, sql, r =>
        {
            _findings.Read++;
            row(r);
        }, values);

    /// <summary>As <see cref="Rows"/>, without counting the rows (the server's catalogue, not the registry's).</summary>
    private void Query(string table, string what, string sql, Action<NpgsqlDataReader> row, params object?[] values)
    {
        using var command = PgDatabase.Command(_connection!, _transaction, sql, values);
        using var reader = Server(table, what, () => command.ExecuteReader());
        while (Server(table, what, reader.Read))
        {
            try
            {
                row(reader);
            }
            catch (InvalidCastException e)
            {
                // A column of another type than the schema gives it (altered behind the library's back).
                throw new RegistryDamagedException(_db.Where, table, null, $"the columns of table '{table}' of the types the registry's schema gives them", e);
            }
        }
    }

    private void Execute(string what, string sql)
    {
        using var command = PgDatabase.Command(_connection!, _transaction, sql, []);
        Server(null, what, command.ExecuteNonQuery);
    }

    private T Server<T>(string? table, string what, Func<T> call)
    {
        try
        {
            return _db.Guarded(what, call);
        }
        catch (RegistryUnavailableException e) when (e.InnerException is PostgresException { SqlState: var state } && IsDamage(state))
        {
            throw new RegistryDamagedException(_db.Where, table, null, $"{(table is null ? "the registry's tables" : $"table '{table}'")} readable to its end ({what})", e.InnerException);
        }
    }

    /// <summary>The server's errors that mean the registry's tables are damaged, not that the server failed: data or an index it finds corrupt, a table or column that is not there.</summary>
    private static bool IsDamage(string state) =>
        state is PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted or PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn;
}
