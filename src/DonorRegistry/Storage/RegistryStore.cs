using DonorRegistry.Donors;
using DonorRegistry.Protection;
using LiteDB;

namespace DonorRegistry.Storage;

/// <summary>
/// The one open registry file: its <see cref="LiteDatabase"/>, the key store beside it, and the gate
/// that serialises writers. Every write runs inside <see cref="Write{T}"/>: one LiteDB transaction,
/// committed whole or rolled back whole.
/// </summary>
internal sealed class RegistryStore : IDisposable
{
    private const string MetaCollection = "registry";
    private const string MetaId = "registry";
    private const string Format = "DonorRegistry";
    private const int SchemaVersion = 1;

    private readonly FileLock? _fileLock;
    private readonly Lock _writeGate = new();
    private readonly DatabaseFiles _files;

    private RegistryStore(DatabaseFiles files, KeyStore keys, PersonalDataCipher cipher, FileLock? fileLock, string path)
    {
        _files = files;
        var db = files.Database;
        Database = db;
        Keys = keys;
        Cipher = cipher;
        _fileLock = fileLock;
        Path = path;
        Donors = db.GetCollection(DonorDocuments.Collection, BsonAutoId.Int64);
        Audit = db.GetCollection(DonorDocuments.AuditCollection, BsonAutoId.Int64);
        Meta = db.GetCollection(MetaCollection);
        Cases = db.GetCollection(CaseDocuments.Collection);
        Samples = db.GetCollection(SampleDocuments.Collection);
        SampleAudit = db.GetCollection(SampleDocuments.AuditCollection);
        Shipments = db.GetCollection(SampleDocuments.ShipmentCollection);
        CaseAudit = db.GetCollection(CaseDocuments.AuditCollection);
        Drives = db.GetCollection(DriveDocuments.Collection);
        DriveAudit = db.GetCollection(DriveDocuments.AuditCollection);
        Lectures = db.GetCollection(DriveDocuments.LectureCollection);
        Donations = db.GetCollection(CareDocuments.Collection);
        CareAudit = db.GetCollection(CareDocuments.AuditCollection);
        Publicity = db.GetCollection(CareDocuments.PublicityCollection, BsonAutoId.Int64);
        Recognitions = db.GetCollection(CareDocuments.RecognitionCollection);
        Counts = db.GetCollection(DailyCounts.Collection);
        SearchLog = db.GetCollection("search_log", BsonAutoId.Int64);
        Recollections = db.GetCollection(DailyCounts.RecollectionCollection);
    }

    public LiteDatabase Database { get; }

    public KeyStore Keys { get; }

    public PersonalDataCipher Cipher { get; }

    public string Path { get; }

    /// <summary>The group commit behind <see cref="Write{T}"/> (its flush count, for benchmarks).</summary>
    public CommitFlusher Commits => _files.Commits;

    public ILiteCollection<BsonDocument> Donors { get; }

    public ILiteCollection<BsonDocument> Audit { get; }

    public ILiteCollection<BsonDocument> Cases { get; }

    public ILiteCollection<BsonDocument> Samples { get; }

    public ILiteCollection<BsonDocument> SampleAudit { get; }

    public ILiteCollection<BsonDocument> Shipments { get; }

    public ILiteCollection<BsonDocument> CaseAudit { get; }

    public ILiteCollection<BsonDocument> Drives { get; }

    public ILiteCollection<BsonDocument> DriveAudit { get; }

    public ILiteCollection<BsonDocument> Lectures { get; }

    public ILiteCollection<BsonDocument> Donations { get; }

    public ILiteCollection<BsonDocument> CareAudit { get; }

    public ILiteCollection<BsonDocument> Publicity { get; }

    public ILiteCollection<BsonDocument> Recognitions { get; }

    /// <summary>Events per day, drive and metric (see <see cref="DailyCounts"/>).</summary>
    public ILiteCollection<BsonDocument> Counts { get; }

    /// <summary>Re-collected samples with their donor's first sample day (see <see cref="DailyCounts.RecollectionCollection"/>).</summary>
    public ILiteCollection<BsonDocument> Recollections { get; }

    /// <summary>One entry per search: when, how many candidates, how many matches.</summary>
    public ILiteCollection<BsonDocument> SearchLog { get; }

    private ILiteCollection<BsonDocument> Meta { get; }

    /// <summary>The mapper the database uses: strings are kept exactly as given and dates are UTC.</summary>
    public static BsonMapper CreateMapper() => new()
    {
        TrimWhitespace = false,
        EmptyStringToNull = false,
        SerializeNullValues = true,
        EnumAsInteger = false,
    };

    public static RegistryStore Open(RegistryOptions options, EligibilityPolicy policy, DateTimeOffset now)
    {
        var inMemory = options.IsInMemory;
        var path = inMemory ? RegistryOptions.InMemoryPath : System.IO.Path.GetFullPath(options.DatabasePath!);
        var keyStorePath = inMemory ? null : System.IO.Path.GetFullPath(options.KeyStorePath ?? path + ".keys");
        var cipher = new PersonalDataCipher(options.RegistryKey!);

        var fileLock = inMemory ? null : FileLock.Acquire(path);
        DatabaseFiles? db = null;
        KeyStore? keys = null;
        try
        {
            db = OpenDatabase(path, options, inMemory);
            var isNew = CheckOrCreateHeader(db.Database, path, cipher, now);
            keys = KeyStore.Open(keyStorePath, cipher, mustExist: !isNew && HasDonors(db.Database), options.Disk);
            var store = new RegistryStore(db, keys, cipher, fileLock, path);
            store.EnsureIndexes();
            store.RefreshCalendarDays(policy);
            store.DestroyKeysOfWithdrawnDonors();
            return store;
        }
        catch
        {
            keys?.Dispose();
            db?.Dispose();
            fileLock?.Dispose();
            cipher.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Called with every donor whose change was committed, inside the write gate, in commit order. The search
    /// index listens here, so it is never behind a committed change.
    /// </summary>
    public event Action<Donor>? DonorCommitted;

    /// <summary>Runs <paramref name="work"/> alone among writers (no transaction): for readers that must see no change happen meanwhile.</summary>
    public void Exclusive(Action work)
    {
        lock (_writeGate)
        {
            work();
        }
    }

    /// <summary>Reports committed donors to <see cref="DonorCommitted"/>; call inside <see cref="Write{T}"/>'s gate, after commit.</summary>
    public void Committed(IEnumerable<Donor> donors)
    {
        if (DonorCommitted is { } listeners)
        {
            foreach (var donor in donors)
            {
                listeners(donor);
            }
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
                throw new InvalidOperationException("A registry transaction is already open on this thread; registry operations do not nest.");
            }

            try
            {
                result = work();
                Database.Commit();
                commit = _files.Commits.Committed();
                afterCommit?.Invoke(result);
            }
            catch
            {
                Database.Rollback();
                throw;
            }
        }

        _files.Commits.WaitUntilDurable(commit);
        return result;
    }

    /// <summary>Hands out the next <paramref name="count"/> donor ids; call inside <see cref="Write{T}"/>.</summary>
    public long AllocateDonorIds(int count)
    {
        var meta = Meta.FindById(MetaId);
        var next = meta["nextDonor"].AsInt64;
        meta["nextDonor"] = next + count;
        Meta.Update(meta);
        return next;
    }

    /// <summary>Hands out the next case number; call inside <see cref="Write{T}"/>.</summary>
    public long AllocateCaseNumber() => NextNumber("nextCase");

    /// <summary>Hands out the next shipment number; call inside <see cref="Write{T}"/>.</summary>
    public long AllocateShipmentNumber() => NextNumber("nextShipment");

    /// <summary>Hands out the next lecture number; call inside <see cref="Write{T}"/>.</summary>
    public long AllocateLectureNumber() => NextNumber("nextLecture");

    /// <summary>Adds to the count of a metric on a day for a drive; call inside <see cref="Write{T}"/>.</summary>
    public void AddCount(DateOnly day, DriveId? drive, string metric, int n)
    {
        var document = Counts.FindById(DailyCounts.Id(day, drive, metric)) ?? DailyCounts.New(day, drive, metric);
        document["n"] = document["n"].AsInt32 + n;
        Counts.Upsert(document);
    }

    /// <summary>Hands out the next donation number; call inside <see cref="Write{T}"/>.</summary>
    public long AllocateDonationNumber() => NextNumber("nextDonation");

    /// <summary>Hands out the next recognition number; call inside <see cref="Write{T}"/>.</summary>
    public long AllocateRecognitionNumber() => NextNumber("nextRecognition");

    private long NextNumber(string field)
    {
        var meta = Meta.FindById(MetaId);
        var next = meta[field].IsNull ? 1L : meta[field].AsInt64;
        meta[field] = next + 1;
        Meta.Update(meta);
        return next;
    }

    public void Dispose()
    {
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
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            stream.ReadExactly(header);
        }

        var plain = header[0] == 0 && header.Slice(32, LiteDbBanner.Length).SequenceEqual(LiteDbBanner);
        var encrypted = header[0] == 1;
        if (!plain && !encrypted)
        {
            throw new NotARegistryException(path, "it does not start with a LiteDB header");
        }
    }

    private static ReadOnlySpan<byte> LiteDbBanner => "** This is a LiteDB file **"u8;

    private static bool CheckOrCreateHeader(LiteDatabase db, string path, PersonalDataCipher cipher, DateTimeOffset now)
    {
        var meta = db.GetCollection(MetaCollection);
        var header = db.CollectionExists(MetaCollection) ? meta.FindById(MetaId) : null;
        if (header is null)
        {
            var others = db.GetCollectionNames().Where(n => !n.StartsWith('$')).ToList();
            if (others.Count > 0)
            {
                throw new NotARegistryException(path, $"it is a LiteDB database with collections {string.Join(", ", others)} but no registry header");
            }

            meta.Insert(new BsonDocument
            {
                ["_id"] = MetaId,
                ["format"] = Format,
                ["schema"] = SchemaVersion,
                ["keyId"] = cipher.KeyId,
                ["keyCheck"] = cipher.KeyCheck,
                ["nextDonor"] = 1L,
                ["leavingAge"] = 0,
                ["createdAt"] = now.UtcDateTime,
            });
            return true;
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

        if (!header["keyCheck"].AsBinary.AsSpan().SequenceEqual(cipher.KeyCheck))
        {
            throw new RegistryKeyMismatchException(path, header["keyId"].AsString, cipher.KeyId);
        }

        return false;
    }

    private static bool HasDonors(LiteDatabase db) =>
        db.GetCollection(MetaCollection).FindById(MetaId)["nextDonor"].AsInt64 > 1;

    /// <summary>
    /// Four indexes and no more: each costs 6 to 12 µs on every enrolment (measured). The unique "nid" index
    /// (keyed national-ID hash) is the duplicate-person check; ages and date-driven changes share "due".
    /// </summary>
    private void EnsureIndexes()
    {
        Donors.EnsureIndex("state");
        Donors.EnsureIndex("drive");
        Donors.EnsureIndex("due");
        Donors.EnsureIndex("nid", unique: true);
        Cases.EnsureIndex("donor");
        Samples.EnsureIndex("donor");
        Samples.EnsureIndex("drive");
        Lectures.EnsureIndex("drive");
        Lectures.EnsureIndex("heldOn");
        Donations.EnsureIndex("donor");
        Donations.EnsureIndex("nextDue");
        Donations.EnsureIndex("nextVisit");
        Donations.EnsureIndex("end");
        Recognitions.EnsureIndex("donor");
        Recognitions.EnsureIndex("on");
        Counts.EnsureIndex("day");
        SearchLog.EnsureIndex("at");
        Recollections.EnsureIndex("at");
        Cases.EnsureIndex("openedAt");
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
            var listed = Query.In("state", nameof(DonorState.Available), nameof(DonorState.TemporarilyUnavailable), nameof(DonorState.Donated));
            foreach (var document in Donors.Find(listed).ToList())
            {
                document["due"] = DonorDocuments.CalendarDue(DonorDocuments.ToDonor(document), policy) is { } due ? due.DayNumber : BsonValue.Null;
                Donors.Update(document);
            }

            meta["leavingAge"] = policy.LeavingAge;
            Meta.Update(meta);
            return 0;
        });
    }

    /// <summary>
    /// A withdrawal commits in LiteDB and then destroys the key. If the process died in between, the
    /// key is still there; finish the job on the next open.
    /// </summary>
    private void DestroyKeysOfWithdrawnDonors()
    {
        foreach (var doc in Donors.Find(Query.EQ("state", nameof(DonorState.Withdrawn))))
        {
            var id = doc["_id"].AsInt64;
            if (Keys.Read(id) is not null)
            {
                Keys.Destroy(id);
            }
        }
    }
}
