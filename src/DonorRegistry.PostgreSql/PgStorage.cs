using DonorRegistry.Donors;
using DonorRegistry.Protection;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using Npgsql;

namespace DonorRegistry.PostgreSql;

// Over 400 lines on purpose: it is the engine's whole side of the storage contract (opening and binding the schema,
// the write boundary, sequences, the change feed's hooks, verification); the typed stores live in files of their own.
/// <summary>
/// The PostgreSQL engine (ADR 18): the storage contract over one database schema. Every write runs inside
/// <see cref="Write{T}"/>: one transaction (read committed) on one connection, committed whole or rolled back whole,
/// alone among this instance's writers; every update carries the version it was loaded at
/// (<c>UPDATE … WHERE id = @id AND version = @v</c>), so a change another instance made meanwhile is refused with
/// <see cref="ConcurrentUpdateException"/>. The per-donor keys are in a schema of their own on the server
/// (<see cref="PgKeyStore"/>, ADR 20), or in a key-store file (<see cref="KeyStore"/>, ADR 18); either is bound to the
/// database by the registry id (ADR 12). Several instances may share the schema (ADR 21): each write records what it
/// stored in the change table, numbered in commit order, and notifies the others; this instance's
/// <see cref="PgChangeFeed"/> brings their commits to the core's search index.
/// </summary>
internal sealed class PgStorage : IRegistryStorage
{
    private const string Format = "DonorRegistry";
    private const string KeysInFile = "file";
    private const string KeysOnServer = "server";
    private readonly Lock _writeGate = new();
    private readonly PgDatabase _db;
    private readonly PgDonorStore _donors;
    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly string? _schema;
    private readonly string _channel;
    private readonly PgKeyStore? _serverKeys;
    private PgChangeFeed? _feed;

    private PgStorage(NpgsqlConnectionStringBuilder builder, PgDatabase db, IKeyStore keys, PersonalDataCipher cipher, EligibilityPolicy policy)
    {
        _builder = builder;
        _schema = PgSchema.SchemaOf(builder);
        _channel = PgSchema.ChannelOf(_schema);
        _db = db;
        Keys = keys;
        _serverKeys = keys as PgKeyStore;
        Cipher = cipher;
        _donors = new PgDonorStore(db, policy);
        Samples = new PgSampleStore(db);
        Cases = new PgCaseStore(db);
        Drives = new PgDriveStore(db);
        Donations = new PgDonationStore(db);
        Volunteers = new PgVolunteerStore(db);
        Audit = new PgAuditLog(db);
        Users = new PgUserStore(db);
        Access = new PgAccessLog(db);
        Reports = new PgReportData(db);
    }

    public string Path => _db.Where;

    /// <summary>This instance's mark on the changes it records, so that it skips its own when following the others'.</summary>
    public Guid Origin { get; } = Guid.NewGuid();

    /// <summary>The feed of other instances' changes, once <see cref="Follow"/> started it.</summary>
    internal PgChangeFeed? Feed => _feed;

    /// <summary>The engine's connection, for the import of a LiteDB registry (its checkpoints and search rows, ADR 22).</summary>
    internal PgDatabase Database => _db;

    public IKeyStore Keys { get; }

    public PersonalDataCipher Cipher { get; }

    public IDonorStore Donors => _donors;

    public bool LooksUpBetweenInserts => false;

    // Each commit is forced by the server itself; nothing waits here to be forced.
    public void ForceWrittenAhead()
    {
    }

    public ISampleStore Samples { get; }

    public ICaseStore Cases { get; }

    public IDriveStore Drives { get; }

    public IDonationStore Donations { get; }

    public IVolunteerStore Volunteers { get; }

    public IAuditLog Audit { get; }

    public IUserStore Users { get; }

    public IAccessLog Access { get; }

    public IReportData Reports { get; }

    /// <summary>How the registry names a server: host, port, database and schema, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}" + (PgSchema.SchemaOf(builder) is { } schema ? $"?schema={schema}" : "");

    /// <summary>
    /// Opens the registry in the connection string's database and schema (<paramref name="create"/>: creates it). The
    /// schema's migrations are applied first; then the header and the key store are checked before anything is written.
    /// </summary>
    /// <remarks>With <c>keysOnServer</c> the keys are in a schema on the server (ADR 20), through <c>keysConnectionString</c> (or the records' own connection when null); otherwise in the key-store file of <see cref="RegistryOptions.KeyStorePath"/>.</remarks>
    public static PgStorage Open(string connectionString, RegistryOptions options, EligibilityPolicy policy, DateTimeOffset now, bool create, bool keysOnServer = false, string? keysConnectionString = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var where = Describe(builder);
        var source = NpgsqlDataSource.Create(Tuned(connectionString, builder));
        var db = new PgDatabase(source, where);
        PersonalDataCipher? cipher = null;
        IKeyStore? keys = null;
        try
        {
            PgSchema.Migrate(source, PgSchema.SchemaOf(builder), where);
            cipher = new PersonalDataCipher(options.RegistryKey!);
            var inMemoryKeys = keysOnServer || options.KeyStorePath == RegistryOptions.InMemoryPath;
            var keyStorePath = inMemoryKeys ? null : RegistryPaths.Resolve(options.KeyStorePath!, "key store");
            var serverKeys = keysOnServer ? PgKeyStore.Open(db, builder, keysConnectionString is null ? null : new NpgsqlConnectionStringBuilder(keysConnectionString)) : null;
            keys = serverKeys;
            var header = db.List("reading the registry header", "SELECT registry_id, key_id, key_check, format, keys FROM registry WHERE id = 1",
                r => (Id: r.GetGuid(0), KeyId: r.GetString(1), KeyCheck: (byte[])r[2], Format: r.GetString(3), Keys: r.GetString(4))).SingleOrDefault();
            if (create)
            {
                if (header != default)
                {
                    throw new RegistryPathException(where, "already holds a registry, and Registry.Create never writes over one", "open it with Registry.Open, or give another database or schema (Search Path) to create a new one");
                }

                foreach (var file in keyStorePath is null ? [] : new[] { keyStorePath, WithdrawalLedger.PathFor(keyStorePath) })
                {
                    if (options.Disk.Exists(file) && new FileInfo(file).Length > 0)
                    {
                        throw new RegistryPathException(file, "already exists, and Registry.Create never writes over an existing file", "give a new KeyStorePath for the new registry");
                    }
                }

                var registryId = Guid.NewGuid();
                if (serverKeys is { Shared: false })
                {
                    serverKeys.WriteHeader(registryId, cipher, now); // committed first: a failure below leaves keys without a registry, never the reverse
                }

                keys ??= KeyStore.Create(keyStorePath, cipher, registryId, options.Disk);
                db.Begin();
                try
                {
                    if (serverKeys is { Shared: true })
                    {
                        serverKeys.WriteHeader(registryId, cipher, now); // in the header's own transaction
                    }

                    db.Execute("writing the registry header", "INSERT INTO registry (id, format, registry_id, key_id, key_check, leaving_age, created_at, keys) VALUES (1, $1, $2, $3, $4, $5, $6, $7)",
                        Format, registryId, cipher.KeyId, cipher.KeyCheck.ToArray(), policy.LeavingAge, PgDatabase.Instant(now), keysOnServer ? KeysOnServer : KeysInFile);
                    db.Execute("creating the donor sequence", "INSERT INTO sequences (name, next) VALUES ('donor', 1)");
                    db.Commit();
                }
                catch (DuplicateRow e)
                {
                    throw new RegistryPathException(where, "already holds a registry (another instance created it meanwhile)", "open it with Registry.Open", e);
                }
                finally
                {
                    db.End(rollBack: true);
                }
            }
            else
            {
                if (header == default)
                {
                    throw new NotARegistryException(where, "it holds no registry header (create the registry there with Registry.Create)");
                }

                if (header.Format != Format)
                {
                    throw new NotARegistryException(where, $"its header names format '{header.Format}'");
                }

                if (!header.KeyCheck.AsSpan().SequenceEqual(cipher.KeyCheck))
                {
                    throw new RegistryKeyMismatchException(where, header.KeyId, cipher.KeyId);
                }

                if (header.Keys == KeysOnServer && !keysOnServer)
                {
                    throw new KeyStoreMismatchException(where, "this registry keeps its per-donor keys in a schema on the server, and the options name a key-store file", "leave KeyStorePath unset and open it with UsePostgreSql(connectionString, keys: …) as it was created (ADR 20)");
                }

                if (header.Keys != KeysOnServer && keysOnServer)
                {
                    throw new KeyStoreMismatchException(where, "this registry keeps its per-donor keys in a key-store file, and the options ask for keys on the server", "give the KeyStorePath the registry was created with (moving a file's keys to the server is not built)");
                }

                if (serverKeys is not null)
                {
                    serverKeys.CheckHeader(header.Id, cipher);
                    CheckKeysBelong(db, serverKeys);
                }
                else
                {
                    if (keyStorePath is null)
                    {
                        throw new RegistryValidationException(nameof(options.KeyStorePath), RegistryOptions.InMemoryPath, "cannot open an existing registry", "an in-memory key store is new each time; give the key-store file the registry was created with");
                    }

                    var file = KeyStore.Open(keyStorePath, cipher, header.Id, options.Disk);
                    keys = file;
                    CheckKeysBelong(db, file);
                }
            }

            var storage = new PgStorage(builder, db, keys ?? throw new InvalidOperationException("No key store was opened (an internal error)."), cipher, policy);
            storage.RefreshCalendarDays(policy);
            storage.KeepLedgerIdsUnused();
            return storage;
        }
        catch
        {
            keys?.Dispose();
            cipher?.Dispose();
            db.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The records' connection settings: as given, with a statement the server refuses in a write's batch named on its
    /// exception (<see cref="PgDatabase.SendDeferred"/> says what it meant), and the driver preparing the statements a
    /// connection runs again and again (the engine's statements are few and fixed: parsed and planned once per
    /// connection, not per write) unless the connection string says how many to prepare.
    /// </summary>
    internal static NpgsqlConnectionStringBuilder Tuned(string connectionString, NpgsqlConnectionStringBuilder builder)
    {
        var tuned = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { IncludeFailedBatchedCommand = true };
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            tuned.MaxAutoPrepare = 64;
        }

        return tuned;
    }

    /// <summary>True when the connection string's schema holds no registry header yet.</summary>
    public static bool NothingExists(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        using var db = new PgDatabase(NpgsqlDataSource.Create(builder), Describe(builder));
        var schema = PgSchema.SchemaOf(builder) ?? "public";
        return !db.Scalar<bool>("looking for the registry header", "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'registry')", schema)
            || db.Scalar<long>("looking for the registry header", "SELECT count(*) FROM registry") == 0;
    }

    /// <summary>Reads every table once, in one read-only snapshot, with this instance's writers waiting (<see cref="PgVerifier"/>).</summary>
    public Verification.VerificationReport Verify(Verification.VerificationInputs inputs) => new PgVerifier(this, inputs).Run();

    public void Exclusive(Action work)
    {
        lock (_writeGate)
        {
            work();
        }
    }

    public T Write<T>(Func<T> work, Action<T>? afterCommit = null)
    {
        lock (_writeGate)
        {
            _db.Begin();
            T result;
            try
            {
                result = work();
                RecordChanges();
                _db.CopyQueued(); // the write's deferred statements and queued rows reach the server (one batch) before its keys commit (ADR 20's order)
                _serverKeys?.Flush(); // keys of their own connection commit before the records (ADR 20); shared ones commit with them
                _db.Commit();
            }
            catch (DuplicateRow e)
            {
                _serverKeys?.Abandon();
                _db.End(rollBack: true);
                throw new RegistryUnavailableException(Path, $"storing a row ({e.Message}; another writer stored it first)", e);
            }
            catch
            {
                _serverKeys?.Abandon();
                _db.End(rollBack: true);
                throw;
            }

            _db.End(rollBack: false);
            afterCommit?.Invoke(result);
            return result;
        }
    }

    public void Follow(Action<ExternalChanges> apply)
    {
        if (_feed is not null)
        {
            throw new InvalidOperationException("The registry already follows other instances' changes (an internal error).");
        }

        _feed = PgChangeFeed.Start(_builder, _db, _donors, _channel, Origin, Exclusive, apply);
    }

    public void HoldAcrossInstances(string name)
    {
        if (!_db.InWrite)
        {
            throw new InvalidOperationException("A lock across instances is held by a write; take it inside one (an internal error).");
        }

        // Transaction-scoped: the server lets it go when the write commits or rolls back, or when its session ends.
        _db.Execute($"waiting for the '{name}' lock other instances may hold",
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", $"DonorRegistry {_schema ?? "(default)"} {name}");
    }

    public long Next(Sequence sequence) => Take(sequence.ToString().ToLowerInvariant(), 1);

    public long AllocateDonorIds(int count)
    {
        var first = Take("donor", count);
        _db.DonorSequenceLocked = _db.InWrite; // the update holds the row's lock until the write ends
        return first;
    }

    // A row per sequence, counted up inside the write: its row lock orders the writers of every instance, and a rolled
    // back write hands its numbers out again (PostgreSQL's own sequences never give a number back).
    private long Take(string name, int count) =>
        _db.Scalar<long>($"taking the next {name} number",
            "INSERT INTO sequences (name, next) VALUES ($1, 1 + $2) ON CONFLICT (name) DO UPDATE SET next = sequences.next + $2 RETURNING next - $2",
            name, (long)count);

    public void Dispose()
    {
        _feed?.Dispose();
        Keys.Dispose();
        Cipher.Dispose();
        _db.Dispose();
    }

    /// <summary>
    /// Records what the write stored in the change table and notifies the other instances, last thing before the commit
    /// (ADR 21). The change number comes from the 'change' row of sequences, whose row lock the write then holds until
    /// it commits: numbers are taken in commit order and a rolled-back write gives its number back, so a reader of the
    /// table never sees a number before the ones below it. The notification is sent by the server at the commit.
    /// </summary>
    private void RecordChanges()
    {
        var changed = _db.TakeChanged();
        if (changed.Count == 0)
        {
            return;
        }

        // One statement: the number, the row and the notification; sent in one batch with the write's deferred statements.
        _db.Later("recording the change for other instances",
            """
            WITH taken AS (
                INSERT INTO sequences (name, next) VALUES ('change', 2) ON CONFLICT (name) DO UPDATE SET next = sequences.next + 1 RETURNING next - 1 AS seq),
            recorded AS (
                INSERT INTO changes (seq, origin, kinds, ids) SELECT seq, $1, $2, $3 FROM taken)
            SELECT pg_notify($4, seq::text || ' ' || $1::text) FROM taken
            """,
            [Origin, changed.Select(c => c.Kind.ToString()).ToArray(), changed.Select(c => c.Id).ToArray(), _channel]);
    }

    /// <summary>The key store must be as new as the database (ADR 12): room for every donor numbered, and every withdrawn donor in the ledger.</summary>
    private static void CheckKeysBelong(PgDatabase db, KeyStore keys)
    {
        const string Restore = "restore the key store and its .withdrawals ledger from the newest copy (never one older than the database), or open the database that belongs with them";
        var nextDonor = db.Scalar<long?>("reading the donor sequence", "SELECT next FROM sequences WHERE name = 'donor'") ?? 1;
        if (nextDonor > 1 && keys.SlotCount < nextDonor)
        {
            throw new KeyStoreMismatchException(keys.Path, $"the key store has key slots for donor ids up to {keys.SlotCount - 1}, but the database numbered donors up to {nextDonor - 1}: it is older than the database or was truncated", Restore);
        }

        foreach (var id in db.List("reading the withdrawn donors", "SELECT id FROM donors WHERE state = $1", r => r.GetInt64(0), nameof(DonorState.Withdrawn)))
        {
            if (!keys.Ledger.Contains(id))
            {
                throw new KeyStoreMismatchException(keys.Ledger.Path, $"donor {new DonorId(id)} is withdrawn in the database but not in the withdrawal ledger: the key store and its ledger are older than the database (restored from an old backup?)", Restore);
            }
        }
    }

    /// <summary>
    /// The keys on the server must be as new as the records (ADR 12 and 20): every withdrawn donor in the ledger, and a key
    /// for the newest donor who still has personal data, and at least as many keys as such donors (a keys schema restored
    /// from a backup older than the records lacks the keys of the donors enrolled since).
    /// </summary>
    private static void CheckKeysBelong(PgDatabase db, PgKeyStore keys)
    {
        const string Restore = "restore the keys schema from its newest backup (never one older than the records), or open the records that belong with it";
        var ledger = keys.Withdrawals().Select(w => w.DonorId).ToHashSet();
        foreach (var id in db.List("reading the withdrawn donors", "SELECT id FROM donors WHERE state = $1", r => r.GetInt64(0), nameof(DonorState.Withdrawn)))
        {
            if (!ledger.Contains(id))
            {
                throw new KeyStoreMismatchException(keys.Path, $"donor {new DonorId(id)} is withdrawn in the database but not in the withdrawal ledger: the keys schema is older than the database (restored from an old backup?)", Restore);
            }
        }

        var nextDonor = db.Scalar<long?>("reading the donor sequence", "SELECT next FROM sequences WHERE name = 'donor'") ?? 1;
        if (nextDonor <= 1)
        {
            return; // no donor numbered by an enrolment yet
        }

        var listed = new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint, Value = ledger.ToArray() };
        var (holders, newest) = db.List("counting the donors with personal data", "SELECT count(*), max(id) FROM donors WHERE state <> $1 AND id < $2 AND NOT id = ANY($3)",
            r => (r.GetInt64(0), r.IsDBNull(1) ? (long?)null : r.GetInt64(1)), nameof(DonorState.Withdrawn), nextDonor, listed).Single();
        if (newest is { } last && (keys.Read(last) is null || keys.Count() < holders))
        {
            throw new KeyStoreMismatchException(keys.Path, $"the keys schema lacks keys of donors the database holds (donor {new DonorId(last)} or others): it is older than the database", Restore);
        }
    }

    /// <summary>A donor number the ledger names as withdrawn is never handed out again.</summary>
    private void KeepLedgerIdsUnused()
    {
        var withdrawals = Keys.Withdrawals();
        if (withdrawals.Count == 0)
        {
            return;
        }

        var highest = withdrawals.Max(e => e.DonorId);
        Write(() => _db.Execute("keeping withdrawn donor numbers unused",
            "INSERT INTO sequences (name, next) VALUES ('donor', $1) ON CONFLICT (name) DO UPDATE SET next = greatest(sequences.next, $1)", highest + 1));
    }

    /// <summary>When the registry opens with another leaving age than the stored "due" days were computed for, compute them again.</summary>
    private void RefreshCalendarDays(EligibilityPolicy policy)
    {
        if (_db.Scalar<int>("reading the leaving age", "SELECT leaving_age FROM registry WHERE id = 1") == policy.LeavingAge)
        {
            return;
        }

        Write(() =>
        {
            _donors.RefreshDue();
            return _db.Execute("recording the leaving age", "UPDATE registry SET leaving_age = $1 WHERE id = 1", policy.LeavingAge);
        });
    }
}
