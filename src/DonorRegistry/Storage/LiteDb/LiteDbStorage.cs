using DonorRegistry.Donors;
using DonorRegistry.Protection;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

// Over 400 lines on purpose: it is the engine's whole side of the storage contract (opening and binding the files,
// the write gate with durable commits, sequences, backup and the abandoned-transaction guard); the typed stores live in
// files of their own.
/// <summary>
/// The LiteDB engine: one open registry file, its <see cref="LiteDatabase"/>, the key store beside it, the typed
/// stores over its collections, and the gate that serialises writers. Every write runs inside <see cref="Write{T}"/>:
/// one LiteDB transaction, committed whole or rolled back whole.
/// </summary>
internal sealed class LiteDbStorage : IRegistryStorage
{
    private const string MetaCollection = "registry";
    private const string MetaId = "registry";
    private const string Format = "DonorRegistry";
    /// <summary>
    /// 2: donors' compact search rows (ADR 13). 3: the rows hold neither state nor version and are kept for every
    /// listed state (ADR 16). A schema-1 or schema-2 file gains the current rows when it is opened.
    /// </summary>
    private const int SchemaVersion = 3;

    private readonly FileLock? _fileLock;
    private readonly Lock _writeGate = new();
    private readonly LiteDbDonorStore _donors;
    private readonly DatabaseFiles _files;

    private LiteDbStorage(DatabaseFiles files, KeyStore keys, PersonalDataCipher cipher, FileLock? fileLock, string path, EligibilityPolicy policy)
    {
        _files = files;
        var db = files.Database;
        Database = db;
        Keys = keys;
        Cipher = cipher;
        _fileLock = fileLock;
        Path = path;
        Meta = db.GetCollection(MetaCollection);
        Damage = new Damage(path);
        _donors = new LiteDbDonorStore(db, policy, Damage);
        Samples = new LiteDbSampleStore(db, Damage);
        Cases = new LiteDbCaseStore(db, Damage);
        Drives = new LiteDbDriveStore(db, Damage);
        Donations = new LiteDbDonationStore(db, Damage);
        Volunteers = new LiteDbVolunteerStore(db, Damage);
        Users = new LiteDbUserStore(db, Damage);
        Audit = new LiteDbAuditLog(db, Damage);
        Access = new LiteDbAccessLog(db, Damage);
        Reports = new LiteDbReportData(db, Damage);
    }

    public LiteDatabase Database { get; }

    public KeyStore Keys { get; }

    IKeyStore IRegistryStorage.Keys => Keys;

    public PersonalDataCipher Cipher { get; }

    public string Path { get; }

    public IDonorStore Donors => _donors;

    public bool LooksUpBetweenInserts => true;

    /// <summary>The engine boundary that names damage (<see cref="LiteDb.Damage"/>).</summary>
    internal Damage Damage { get; }

    /// <summary>The registry header: the sequences' next numbers (for <see cref="LiteDbVerifier"/>).</summary>
    internal BsonDocument? Header() => Damage.Read(MetaCollection, MetaId, () => Meta.FindById(MetaId));

    /// <summary>The group commit behind <see cref="Write{T}"/> (its flush count, for benchmarks).</summary>
    public CommitFlusher Commits => _files.Commits;

    public void ForceWrittenAhead() => _files.ForceLogAhead();

    public ISampleStore Samples { get; }

    public ICaseStore Cases { get; }

    public IDriveStore Drives { get; }

    public IDonationStore Donations { get; }

    public IVolunteerStore Volunteers { get; }

    public IUserStore Users { get; }

    public IAuditLog Audit { get; }

    public IAccessLog Access { get; }

    public IReportData Reports { get; }

    private ILiteCollection<BsonDocument> Meta { get; }

    /// <summary>A raw collection, for the benchmarks' fixtures that write large registries straight into the file.</summary>
    internal ILiteCollection<BsonDocument> Collection(string name) =>
        name is DonorDocuments.Collection or DonorDocuments.AuditCollection or DonorSearchRows.Collection or "search_log" or CareDocuments.PublicityCollection
            ? Database.GetCollection(name, BsonAutoId.Int64)
            : Database.GetCollection(name);

    /// <summary>The mapper the database uses: strings are kept exactly as given and dates are UTC.</summary>
    public static BsonMapper CreateMapper() => new()
    {
        TrimWhitespace = false,
        EmptyStringToNull = false,
        SerializeNullValues = true,
        EnumAsInteger = false,
    };

    /// <summary>
    /// Opens an existing registry (<paramref name="create"/> false) or creates a new one (true). Every check runs
    /// before anything is written: the database's header, then the key store and its ledger against it (ADR 12).
    /// An in-memory registry is always new.
    /// </summary>
    public static LiteDbStorage Open(RegistryOptions options, EligibilityPolicy policy, DateTimeOffset now, bool create)
    {
        var inMemory = options.IsInMemory;
        create |= inMemory;
        var path = inMemory ? RegistryOptions.InMemoryPath : RegistryPaths.Resolve(options.DatabasePath!, "registry database");
        var keyStorePath = inMemory ? null : RegistryPaths.Resolve(options.KeyStorePath ?? path + ".keys", "key store");
        if (keyStorePath is not null && string.Equals(keyStorePath, path, StringComparison.Ordinal))
        {
            throw new RegistryValidationException(nameof(options.KeyStorePath), null, "is not allowed", $"RegistryOptions.KeyStorePath '{options.KeyStorePath}' is the database file itself; give a separate file.", $"RegistryOptions.KeyStorePath '{options.KeyStorePath}' is the database file itself; give a separate file.");
        }

        if (!inMemory)
        {
            if (create)
            {
                RefuseExisting(path, keyStorePath!, options.Disk);
            }
            else
            {
                RefuseMissing(path, options.Disk);
            }
        }

        var cipher = new PersonalDataCipher(options.RegistryKey!);
        var fileLock = inMemory ? null : FileLock.Acquire(path);
        DatabaseFiles? db = null;
        KeyStore? keys = null;
        try
        {
            db = OpenDatabase(path, options, inMemory);
            if (create)
            {
                var registryId = Guid.NewGuid();
                keys = KeyStore.Create(keyStorePath, cipher, registryId, options.Disk);
                CreateHeader(db.Database, path, cipher, registryId, now);
                db.ForceToDisk(); // a created registry is whole on the disk before Create returns
            }
            else
            {
                var registryId = CheckHeader(db.Database, path, cipher);
                keys = KeyStore.Open(keyStorePath!, cipher, registryId, options.Disk);
                CheckKeysBelong(db.Database, keys);
            }

            var store = new LiteDbStorage(db, keys, cipher, fileLock, path, policy);
            store.EnsureIndexes();
            store.UpgradeSchema();
            store.RefreshCalendarDays(policy);
            store.KeepLedgerIdsUnused();
            return store;
        }
        catch (Exception e)
        {
            try
            {
                keys?.Dispose();
                db?.Dispose();
            }
            catch (Exception closing) when (Damage.IsEngineFailure(closing) || closing is ObjectDisposedException)
            {
                // Closing an engine that met damage can fail too; the first failure is the one to report.
            }

            fileLock?.Dispose();
            cipher.Dispose();
            if (Damage.IsEngineFailure(e) && e is not (IOException or UnauthorizedAccessException))
            {
                throw new Damage(path).Named(null, null, e);
            }

            throw;
        }
    }

    /// <summary>The key store's path, or null in memory.</summary>
    public string? KeyStorePath => Keys.Path == RegistryOptions.InMemoryPath ? null : Keys.Path;

    /// <summary>Ledger entries this database has not applied (<see cref="KeyLedger.UnappliedWithdrawals"/>).</summary>
    public IReadOnlyList<DonorId> UnappliedWithdrawals() => KeyLedger.UnappliedWithdrawals(this);

    /// <summary>Destroys the keys of withdrawn donors left in the key store (<see cref="KeyLedger.DestroyKeysOfWithdrawnDonors"/>).</summary>
    public void DestroyKeysOfWithdrawnDonors() => KeyLedger.DestroyKeysOfWithdrawnDonors(this);

    /// <summary>
    /// Takes a consistent copy of the database, the key store and the ledger into new files, pausing writers only
    /// while it copies (readers go on). The copies are forced to disk.
    /// </summary>
    public void Backup(string databaseCopy, string keyStoreCopy, string ledgerCopy)
    {
        lock (_writeGate)
        {
            _files.CopyDataTo(databaseCopy);
            Keys.CopyTo(keyStoreCopy, ledgerCopy); // the ledger holds every withdrawal the database copy holds (it is written first)
        }
    }

    /// <summary>Nothing to follow: the file is locked by this process, so no other instance commits to it.</summary>
    public void Follow(Action<ExternalChanges> apply)
    {
    }

    /// <summary>Nothing to take: no other process opens the file, and the write gate keeps this one's writers apart.</summary>
    public void HoldAcrossInstances(string name)
    {
    }

    /// <summary>Reads every document once, alone among writers (<see cref="LiteDbVerifier"/>).</summary>
    public Verification.VerificationReport Verify(Verification.VerificationInputs inputs) => new LiteDbVerifier(this, inputs).Run();

    /// <summary>Runs <paramref name="work"/> alone among writers (no transaction): for readers that must see no change happen meanwhile.</summary>
    public void Exclusive(Action work)
    {
        lock (_writeGate)
        {
            work();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> alone among writers, in one LiteDB transaction, then <paramref name="afterCommit"/> still alone.
    /// Returns once the commit is on the disk (<see cref="CommitFlusher"/>), waiting outside the gate.
    /// </summary>
    public T Write<T>(Func<T> work, Action<T>? afterCommit = null)
    {
        T result;
        long commit;
        lock (_writeGate)
        {
            _files.Commits.ThrowIfBroken();
            if (!Database.BeginTrans())
            {
                throw new InvalidOperationException("A registry transaction is already open on this thread; registry writes do not nest (an internal error).");
            }

            try
            {
                result = work();
                Commit();
                commit = _files.Commits.Committed();
                afterCommit?.Invoke(result);
            }
            catch (Exception e)
            {
                try
                {
                    Database.Rollback();
                }
                catch (Exception failed) when (Damage.IsEngineFailure(failed))
                {
                    // The failure that stopped the write is the one to report; a rollback over a broken file fails too.
                    AbandonedTransaction.Forget(Database);
                }

                // The stores name damage themselves; a disk that fails a write is the storage's failure.
                if (e is IOException or UnauthorizedAccessException)
                {
                    throw new RegistryStorageException(Path, e);
                }

                throw;
            }
        }

        _files.Commits.WaitUntilDurable(commit);
        return result;
    }

    /// <summary>
    /// Commits the open transaction. A disk that fails here (an <see cref="IOException"/> writing the log) breaks the
    /// registry for writes, as a failed flush does: the change is not stored, and what reached the log is unknown.
    /// </summary>
    private void Commit()
    {
        try
        {
            Database.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _files.Commits.Break(e);
            throw;
        }
        catch (Exception e) when (Damage.IsEngineFailure(e))
        {
            throw Damage.Named(null, null, e);
        }
    }

    public long AllocateDonorIds(int count) => Damage.Read(MetaCollection, MetaId, () =>
    {
        var meta = Meta.FindById(MetaId);
        var next = Fields.Decode(meta, MetaCollection, m => Fields.Long(m, "nextDonor"));
        meta["nextDonor"] = next + count;
        Meta.Update(meta);
        return next;
    });

    public long Next(Sequence sequence) => NextNumber(sequence switch
    {
        Sequence.Case => "nextCase",
        Sequence.Shipment => "nextShipment",
        Sequence.Lecture => "nextLecture",
        Sequence.Donation => "nextDonation",
        Sequence.Volunteer => "nextVolunteer",
        _ => "nextRecognition",
    });

    private long NextNumber(string field) => Damage.Read(MetaCollection, MetaId, () =>
    {
        var meta = Meta.FindById(MetaId);
        var next = Fields.Decode(meta, MetaCollection, m => m[field].IsNull ? 1L : Fields.Long(m, field));
        meta[field] = next + 1;
        Meta.Update(meta);
        return next;
    });

    public void Dispose()
    {
        // Once the engine is closed, none of its transactions may roll back from the finalizer thread.
        AbandonedTransaction.ForgetAll(Database);
        Keys.Dispose();
        Cipher.Dispose();
        _files.Dispose();
        _fileLock?.Dispose();
    }

    private static DatabaseFiles OpenDatabase(string path, RegistryOptions options, bool inMemory)
    {
        if (!inMemory)
        {
            CheckLooksLikeLiteDb(path);
        }

        try
        {
            // Ordinal, case-sensitive comparison for codes and ids (LiteDB's default is culture-aware, ignores
            // case, and costs a third of the index time). It is fixed when the file is created; an existing file
            // is opened with its own, and CheckOrCreateHeader refuses one that is not ours.
            var collation = inMemory || !options.Disk.Exists(path) || new FileInfo(path).Length == 0 ? Collation.Binary : null;
            return DatabaseFiles.Open(path, inMemory, options.FilePassword, collation, CreateMapper(), options.Durability, options.Disk);
        }
        catch (LiteException e) when (e.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            throw new RegistryKeyMismatchException(path, null, null, e);
        }
        catch (Exception e) when (e is LiteException or InvalidCastException or IOException or FormatException or IndexOutOfRangeException or ArgumentException)
        {
            throw new NotARegistryException(path, $"it is not a LiteDB database this library can open ({e.Message.TrimEnd('.')})", e);
        }
    }

    /// <summary>
    /// LiteDB rewrites a file it fails to open, so anything that is not a LiteDB file is refused
    /// before LiteDB sees it: a plain file carries the LiteDB banner at byte 32, an encrypted one
    /// starts with 1 (then its salt).
    /// </summary>
    private static void CheckLooksLikeLiteDb(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length == 0)
        {
            return;
        }

        const int PageSize = 8192;
        if (file.Length < PageSize)
        {
            throw new NotARegistryException(path, $"the file has {file.Length} bytes, less than one LiteDB page");
        }

        Span<byte> header = stackalloc byte[64];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.ReadExactly(header);
        }
        catch (UnauthorizedAccessException e)
        {
            throw RegistryPaths.Denied(path, "registry database", e);
        }
        catch (IOException e) when (e is not EndOfStreamException)
        {
            throw new RegistryInUseException(path, e); // the exclusive lock of a registry that has it open (through another path: a hard link)
        }

        var plain = header[0] == 0 && header.Slice(32, LiteDbBanner.Length).SequenceEqual(LiteDbBanner);
        var encrypted = header[0] == 1;
        if (!plain && !encrypted)
        {
            throw new NotARegistryException(path, "it does not start with a LiteDB header");
        }
    }

    private static ReadOnlySpan<byte> LiteDbBanner => "** This is a LiteDB file **"u8;

    /// <summary>True when none of the registry's files exists yet (or each is empty): what <see cref="RegistryOptions.CreateIfMissing"/> creates over.</summary>
    public static bool NothingExists(RegistryOptions options)
    {
        if (options.IsInMemory)
        {
            return true;
        }

        var path = RegistryPaths.Resolve(options.DatabasePath!, "registry database");
        var keyStorePath = RegistryPaths.Resolve(options.KeyStorePath ?? path + ".keys", "key store");
        return new[] { path, DatabaseFiles.LogPathOf(path), keyStorePath, WithdrawalLedger.PathFor(keyStorePath) }
            .All(file => !options.Disk.Exists(file) || LengthOf(file, options.Disk) == 0);
    }

    private static void RefuseExisting(string path, string keyStorePath, IRegistryDisk disk)
    {
        foreach (var file in new[] { path, DatabaseFiles.LogPathOf(path), keyStorePath, WithdrawalLedger.PathFor(keyStorePath) })
        {
            if (disk.Exists(file) && LengthOf(file, disk) > 0)
            {
                throw new RegistryPathException(file, "already exists, and Registry.Create never writes over an existing file", "open the registry it belongs to with Registry.Open, or give new paths (DatabasePath, KeyStorePath) to create a new one");
            }
        }
    }

    private static void RefuseMissing(string path, IRegistryDisk disk)
    {
        if (!disk.Exists(path))
        {
            throw new NotARegistryException(path, "the database file does not exist");
        }

        if (LengthOf(path, disk) == 0)
        {
            throw new NotARegistryException(path, "the database file is empty (0 bytes)");
        }
    }

    private static long LengthOf(string path, IRegistryDisk disk)
    {
        if (disk is LocalDisk)
        {
            return new FileInfo(path).Length;
        }

        using var stream = disk.Open(path, FileShare.ReadWrite);
        return stream.Length;
    }

    private static void CreateHeader(LiteDatabase db, string path, PersonalDataCipher cipher, Guid registryId, DateTimeOffset now)
    {
        var others = db.GetCollectionNames().Where(n => !n.StartsWith('$')).ToList();
        if (others.Count > 0)
        {
            throw new NotARegistryException(path, $"it is a LiteDB database with collections {string.Join(", ", others)} but no registry header");
        }

        db.GetCollection(MetaCollection).Insert(new BsonDocument
        {
            ["_id"] = MetaId,
            ["format"] = Format,
            ["schema"] = SchemaVersion,
            ["registryId"] = registryId,
            ["keyId"] = cipher.KeyId,
            ["keyCheck"] = cipher.KeyCheck,
            ["nextDonor"] = 1L,
            ["leavingAge"] = 0,
            ["createdAt"] = now.UtcDateTime,
        });
    }

    /// <summary>Checks the database's header and returns its registry id; writes nothing.</summary>
    private static Guid CheckHeader(LiteDatabase db, string path, PersonalDataCipher cipher)
    {
        var header = db.CollectionExists(MetaCollection) ? db.GetCollection(MetaCollection).FindById(MetaId) : null;
        if (header is null)
        {
            var others = db.GetCollectionNames().Where(n => !n.StartsWith('$')).ToList();
            throw new NotARegistryException(path, others.Count > 0
                ? $"it is a LiteDB database with collections {string.Join(", ", others)} but no registry header"
                : "it is an empty LiteDB database with no registry header");
        }

        if (db.Collation.ToString() != Collation.Binary.ToString())
        {
            throw new NotARegistryException(path, $"it has collation '{db.Collation}', where registries use '{Collation.Binary}'");
        }

        if (header["format"] != Format)
        {
            throw new NotARegistryException(path, $"its header names format '{header["format"]}'");
        }

        if (header["schema"].AsInt32 > SchemaVersion)
        {
            throw new NotARegistryException(path, $"it has schema version {header["schema"].AsInt32} and this library reads up to {SchemaVersion}; upgrade the library");
        }

        if (!header["keyCheck"].IsBinary || !header["keyCheck"].AsBinary.AsSpan().SequenceEqual(cipher.KeyCheck))
        {
            throw new RegistryKeyMismatchException(path, header["keyId"].IsString ? header["keyId"].AsString : null, cipher.KeyId);
        }

        if (!header["registryId"].IsGuid)
        {
            throw new NotARegistryException(path, "its header names no registry id (it was written by an earlier version of this library)");
        }

        return header["registryId"].AsGuid;
    }

    /// <summary>
    /// The key store must be as new as the database: room for every donor the database numbered, and its ledger
    /// must list every donor the database holds as withdrawn (the ledger is written before a withdrawal commits).
    /// </summary>
    private static void CheckKeysBelong(LiteDatabase db, KeyStore keys)
    {
        const string Restore = "restore the key store and its .withdrawals ledger from the newest copy (never one older than the database), or open the database that belongs with them";
        var nextDonor = db.GetCollection(MetaCollection).FindById(MetaId)["nextDonor"].AsInt64;
        if (nextDonor > 1 && keys.SlotCount < nextDonor)
        {
            throw new KeyStoreMismatchException(keys.Path, $"the key store has key slots for donor ids up to {keys.SlotCount - 1}, but the database numbered donors up to {nextDonor - 1}: it is older than the database or was truncated", Restore);
        }

        var withdrawn = db.GetCollection(DonorDocuments.Collection).Find(Where.Eq("state", nameof(DonorState.Withdrawn))).Select(d => d["_id"].AsInt64);
        foreach (var id in withdrawn)
        {
            if (!keys.Ledger.Contains(id))
            {
                throw new KeyStoreMismatchException(keys.Ledger.Path, $"donor {new DonorId(id)} is withdrawn in the database but not in the withdrawal ledger: the key store and its ledger are older than the database (restored from an old backup?)", Restore);
            }
        }
    }

    /// <summary>A donor number the ledger names as withdrawn is never handed out again (a database restored from before that enrolment would reuse it).</summary>
    private void KeepLedgerIdsUnused()
    {
        if (Keys.Ledger.Count == 0)
        {
            return;
        }

        var highest = Keys.Ledger.Entries.Max(e => e.DonorId);
        if (Meta.FindById(MetaId)["nextDonor"].AsInt64 > highest)
        {
            return;
        }

        Write(() =>
        {
            var meta = Meta.FindById(MetaId);
            meta["nextDonor"] = highest + 1;
            Meta.Update(meta);
            return 0;
        });
    }

    /// <summary>A registry written by a schema before this one gains what it lacks, in one write: schema 1 lacks the donors' search rows, schema 2 has them in the layout before ADR 16.</summary>
    private void UpgradeSchema()
    {
        var meta = Meta.FindById(MetaId);
        if (meta["schema"].AsInt32 >= SchemaVersion)
        {
            return;
        }

        Write(() =>
        {
            RebuildSearchRows();
            meta["schema"] = SchemaVersion;
            Meta.Update(meta);
            return 0;
        });
    }

    /// <summary>Writes every donor's search row afresh from the donor documents; inside a write (for the schema upgrade and the benchmarks' fixtures).</summary>
    internal int RebuildSearchRows() => _donors.RebuildSearchRows();

    private void EnsureIndexes()
    {
        _donors.EnsureIndexes();
        ((LiteDbSampleStore)Samples).EnsureIndexes();
        ((LiteDbCaseStore)Cases).EnsureIndexes();
        ((LiteDbDriveStore)Drives).EnsureIndexes();
        ((LiteDbDonationStore)Donations).EnsureIndexes();
        ((LiteDbVolunteerStore)Volunteers).EnsureIndexes();
        ((LiteDbAccessLog)Access).EnsureIndexes();
        ((LiteDbReportData)Reports).EnsureIndexes();
    }

    /// <summary>
    /// The stored "due" days include the day each listed donor reaches the leaving age. When a registry is
    /// opened with another leaving age than the one they were computed for, compute them again.
    /// </summary>
    private void RefreshCalendarDays(EligibilityPolicy policy)
    {
        var meta = Meta.FindById(MetaId);
        if (meta["leavingAge"].AsInt32 == policy.LeavingAge)
        {
            return;
        }

        Write(() =>
        {
            _donors.RefreshDue();
            meta["leavingAge"] = policy.LeavingAge;
            Meta.Update(meta);
            return 0;
        });
    }
}
