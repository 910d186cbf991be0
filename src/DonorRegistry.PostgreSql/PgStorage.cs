using DonorRegistry.Donors;
using DonorRegistry.Protection;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using Npgsql;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// The PostgreSQL engine (ADR 18): the storage contract over one database schema. Every write runs inside
/// <see cref="Write{T}"/>: one transaction (read committed) on one connection, committed whole or rolled back whole,
/// alone among this instance's writers; every update carries the version it was loaded at
/// (<c>UPDATE … WHERE id = @id AND version = @v</c>), so a change another instance made meanwhile is refused with
/// <see cref="ConcurrentUpdateException"/>. The per-donor keys stay in the key-store file (<see cref="KeyStore"/>),
/// bound to the database by the registry id as with LiteDB (ADR 12). Several instances may share the schema (ADR 21):
/// each write records what it stored in the change table, numbered in commit order, and notifies the others; this
/// instance's <see cref="PgChangeFeed"/> brings their commits to the core's search index.
/// </summary>
internal sealed class PgStorage : IRegistryStorage
{
    private const string Format = "DonorRegistry";
    private readonly Lock _writeGate = new();
    private readonly PgDatabase _db;
    private readonly PgDonorStore _donors;
    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly string? _schema;
    private readonly string _channel;
    private PgChangeFeed? _feed;

    private PgStorage(NpgsqlConnectionStringBuilder builder, PgDatabase db, KeyStore keys, PersonalDataCipher cipher, EligibilityPolicy policy)
    {
        _builder = builder;
        _schema = PgSchema.SchemaOf(builder);
        _channel = PgSchema.ChannelOf(_schema);
        _db = db;
        Keys = keys;
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

    public KeyStore Keys { get; }

    public PersonalDataCipher Cipher { get; }

    public IDonorStore Donors => _donors;

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
    public static PgStorage Open(string connectionString, RegistryOptions options, EligibilityPolicy policy, DateTimeOffset now, bool create)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var where = Describe(builder);
        var source = NpgsqlDataSource.Create(builder);
        var db = new PgDatabase(source, where);
        PersonalDataCipher? cipher = null;
        KeyStore? keys = null;
        try
        {
            PgSchema.Migrate(source, PgSchema.SchemaOf(builder), where);
            cipher = new PersonalDataCipher(options.RegistryKey!);
            var inMemoryKeys = options.KeyStorePath == RegistryOptions.InMemoryPath;
            var keyStorePath = inMemoryKeys ? null : RegistryPaths.Resolve(options.KeyStorePath!, "key store");
            var header = db.List("reading the registry header", "SELECT registry_id, key_id, key_check, format FROM registry WHERE id = 1",
                r => (Id: r.GetGuid(0), KeyId: r.GetString(1), KeyCheck: (byte[])r[2], Format: r.GetString(3))).SingleOrDefault();
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
                keys = KeyStore.Create(keyStorePath, cipher, registryId, options.Disk);
                db.Begin();
                try
                {
                    db.Execute("writing the registry header", "INSERT INTO registry (id, format, registry_id, key_id, key_check, leaving_age, created_at) VALUES (1, $1, $2, $3, $4, $5, $6)",
                        Format, registryId, cipher.KeyId, cipher.KeyCheck.ToArray(), policy.LeavingAge, PgDatabase.Instant(now));
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

                if (keyStorePath is null)
                {
                    throw new RegistryValidationException(nameof(options.KeyStorePath), RegistryOptions.InMemoryPath, "cannot open an existing registry", "an in-memory key store is new each time; give the key-store file the registry was created with");
                }

                keys = KeyStore.Open(keyStorePath, cipher, header.Id, options.Disk);
                CheckKeysBelong(db, keys);
            }

            var storage = new PgStorage(builder, db, keys, cipher, policy);
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

    /// <summary>True when the connection string's schema holds no registry header yet.</summary>
    public static bool NothingExists(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        using var db = new PgDatabase(NpgsqlDataSource.Create(builder), Describe(builder));
        var schema = PgSchema.SchemaOf(builder) ?? "public";
        return !db.Scalar<bool>("looking for the registry header", "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'registry')", schema)
            || db.Scalar<long>("looking for the registry header", "SELECT count(*) FROM registry") == 0;
    }

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
                _db.Commit();
            }
            catch (DuplicateRow e)
            {
                _db.End(rollBack: true);
                throw new RegistryUnavailableException(Path, $"storing a row ({e.Message}; another writer stored it first)", e);
            }
            catch
            {
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

    public long AllocateDonorIds(int count) => Take("donor", count);

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

        var seq = Take("change", 1);
        _db.Execute("recording the change for other instances", "INSERT INTO changes (seq, origin, kinds, ids) VALUES ($1, $2, $3, $4)",
            seq, Origin, changed.Select(c => c.Kind.ToString()).ToArray(), changed.Select(c => c.Id).ToArray());
        _db.Execute("notifying other instances", "SELECT pg_notify($1, $2)", _channel, seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

    /// <summary>A donor number the ledger names as withdrawn is never handed out again.</summary>
    private void KeepLedgerIdsUnused()
    {
        if (Keys.Ledger.Count == 0)
        {
            return;
        }

        var highest = Keys.Ledger.Entries.Max(e => e.DonorId);
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
