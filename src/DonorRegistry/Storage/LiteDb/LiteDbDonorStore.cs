using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Donors in LiteDB: one document each, holding the record's fields, the coarse national-ID identity ("nid", an index
/// shared by few donors: the duplicate-person check, ADR 12) and its proof under the donor's data key ("nidp"), the
/// sealed personal data ("pd") and the next calendar day ("due"). Beside them, in the same transaction, each listed,
/// typed donor's compact search row (<see cref="DonorSearchRows"/>, ADR 13 and 16), from which the search index is built.
/// </summary>
internal sealed class LiteDbDonorStore(LiteDatabase db, EligibilityPolicy policy, Damage damage) : IDonorStore
{
    private static readonly DonorState[] Listed = [DonorState.Available, DonorState.TemporarilyUnavailable, DonorState.Donated];
    private const string Name = DonorDocuments.Collection;
    private readonly ILiteCollection<BsonDocument> _donors = db.GetCollection(DonorDocuments.Collection, BsonAutoId.Int64);
    private readonly ILiteCollection<BsonDocument> _rows = db.GetCollection(DonorSearchRows.Collection, BsonAutoId.Int64);
    private readonly IdentityBits _identities = new();

    /// <summary>
    /// Four indexes and no more: each costs 6 to 12 µs on every enrolment (measured). The "nid" index (the coarse
    /// national-ID identity, not unique) finds the duplicate-person check's candidates; ages and date-driven changes share "due".
    /// </summary>
    public void EnsureIndexes()
    {
        _donors.EnsureIndex("state");
        _donors.EnsureIndex("drive");
        _donors.EnsureIndex("due");
        _donors.EnsureIndex("nid", unique: false);
    }

    public Loaded<Donor>? Find(DonorId key) =>
        damage.Read(Name, key, () => _donors.FindOneById(key.Value) is { } document ? new Loaded<Donor>(DonorDocuments.ToDonor(document), document) : null);

    public void Insert(Donor value) =>
        throw new InvalidOperationException("Donors are stored by InsertEnrolled, with their identity and sealed personal data.");

    public void Update(Loaded<Donor> value) => damage.Write(Name, value.Value.Id, () =>
    {
        var document = Document(value);
        var hadRow = HasRow(document); // read before the donor's fields are written over
        _donors.Update(Seal.Apply(DonorDocuments.Write(value.Value, document, policy)));
        KeepRow(value.Value, hadRow);
    });

    // LiteDB's form of an enrolled donor is its document, made as the engine takes it inside the insert, not ahead on
    // the preparing thread: a chunk of documents made ahead lives until the writer reaches it, survives the young
    // collections meanwhile, and the promoted documents cost more collector time than making them here costs the
    // writer (docs/benchmarks.md, run 9). What crosses the threads is each document's seal: the preparing thread makes
    // the document once to compute it and drops it at once, so the writer makes the document without hashing it.
    public PreparedRecords PrepareEnrolled(IReadOnlyList<NewDonor> donors)
    {
        var seals = new long[donors.Count];
        for (var i = 0; i < donors.Count; i++)
        {
            seals[i] = Seal.Compute(Unsealed(donors[i]));
        }

        return new Prepared<EnrolledDocuments>(new EnrolledDocuments(donors, seals));
    }

    public void InsertEnrolled(PreparedRecords donors)
    {
        var (enrolled, seals) = Prepared<EnrolledDocuments>.Of(donors);
        damage.Write(Name, null, () =>
        {
            _donors.InsertBulk(enrolled.Select((d, i) =>
            {
                _identities.Add(d.Identity);
                return Seal.ApplyComputed(Unsealed(d), seals[i]);
            }));
            var rows = enrolled.Where(d => DonorSearchRows.Has(d.Donor)).Select(d => DonorSearchRows.ToDocument(d.Donor)).ToList();
            if (rows.Count > 0)
            {
                _rows.InsertBulk(rows);
            }
        });
    }

    // An enrolled donor's document before its seal.
    private BsonDocument Unsealed(NewDonor enrolled)
    {
        var (donor, identity, sealedData, proof) = enrolled;
        var document = DonorDocuments.Write(donor, Fields.NewDocument(32), policy);
        document["nid"] = identity.Stored;
        document["pd"] = sealedData;
        if (proof is not null)
        {
            document["nidp"] = proof;
        }

        return document;
    }

    /// <summary>Enrolled donors made ready to insert: the donors and each one's document seal.</summary>
    private sealed record EnrolledDocuments(IReadOnlyList<NewDonor> Donors, long[] Seals);

    /// <summary>
    /// Writes every listed, typed donor's search row afresh from the donor documents, dropping any other row; inside a
    /// write. For a registry written before the rows existed (schema 1) and for fixtures written straight into the file.
    /// </summary>
    public int RebuildSearchRows() => damage.Read(DonorSearchRows.Collection, null, () =>
    {
        _rows.DeleteAll();
        var count = 0;
        var batch = new List<BsonDocument>(10_000);
        foreach (var document in _donors.Find(StateIn(DonorSearchRows.RowStates)))
        {
            var donor = DonorDocuments.ToDonor(document);
            if (DonorSearchRows.Has(donor))
            {
                batch.Add(DonorSearchRows.ToDocument(donor));
            }

            if (batch.Count == batch.Capacity)
            {
                count += _rows.InsertBulk(batch);
                batch.Clear();
            }
        }

        return count + (batch.Count > 0 ? _rows.InsertBulk(batch) : 0);
    });

    /// <summary>Every stored search row in id order, undecoded, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> AllSearchRows() => damage.Each(DonorSearchRows.Collection, _rows.FindAll());

    // The donor's row follows its listing: written when the donor enters the listed states typed, removed when they
    // leave them. A change within the listed states writes no row: the row holds neither state nor version, and the
    // typing and profile it holds do not change there (ADR 16). Upsert, not insert: a row left behind by damage is
    // written over rather than refused.
    private void KeepRow(Donor donor, bool hadRow)
    {
        if (DonorSearchRows.Has(donor))
        {
            if (!hadRow)
            {
                _rows.Upsert(DonorSearchRows.ToDocument(donor));
            }
        }
        else if (hadRow)
        {
            _rows.Delete(donor.Id.Value);
        }
    }

    private static bool HasRow(BsonDocument document) =>
        document["typing"].IsDocument && document["state"].IsString && Enum.TryParse<DonorState>(document["state"].AsString, out var state) && DonorSearchRows.IsRowState(state);

    public void SetIdentity(Loaded<Donor> donor, NationalIdentity identity, byte[]? sealedPersonalData, byte[]? identityProof = null)
    {
        var document = Document(donor);
        _identities.Add(identity);
        document["nid"] = identity.Stored;
        if (sealedPersonalData is null)
        {
            document.Remove("pd");
        }
        else
        {
            document["pd"] = sealedPersonalData;
        }

        if (identityProof is null)
        {
            document.Remove("nidp");
        }
        else
        {
            document["nidp"] = identityProof;
        }
    }

    public Guid IdentityOf(Loaded<Donor> donor) =>
        damage.Read(Name, donor.Value.Id, () => Fields.Decode(Document(donor), Name, d => d["nid"].IsGuid ? d["nid"].AsGuid : throw new DocumentDamage(null, null, "field 'nid' to hold the national-ID hash")));

    public byte[]? SealedPersonalData(DonorId id)
    {
        var document = damage.Read(Name, id, () => _donors.FindOneById(id.Value)) ?? throw new DonorNotFoundException(id);
        return damage.Read(Name, id, () => Fields.Decode(document, Name, d => d["pd"].IsNull ? null : d["pd"].IsBinary ? d["pd"].AsBinary : throw new DocumentDamage(null, null, "field 'pd' to hold the sealed personal data")));
    }

    // Both lookups ask the identity bits first (IdentityBits): a number no donor holds is answered without a read.
    public IReadOnlyList<IdentityCandidate> FindByIdentity(NationalIdentity identity) => damage.Read(Name, null, () =>
        !MayHold(identity)
            ? []
            : _donors.Find(Where.Eq("nid", identity.Stored))
                .Select(d => Fields.Decode(d, Name, Candidate))
                .OrderBy(c => c.Id.Value).ToList());

    public IReadOnlyDictionary<Guid, IReadOnlyList<IdentityCandidate>> FindByIdentities(IReadOnlyCollection<NationalIdentity> identities) => damage.Read(Name, null, () =>
    {
        var maybe = identities.Where(MayHold).Select(i => i.Stored).Distinct().Select(h => new BsonValue(h)).ToList();
        return maybe.Count == 0
            ? new Dictionary<Guid, IReadOnlyList<IdentityCandidate>>()
            : _donors.Find(Where.In("nid", new BsonArray(maybe)))
                .Select(d => Fields.Decode(d, Name, doc => (Hash: doc["nid"].AsGuid, Candidate: Candidate(doc))))
                .GroupBy(x => x.Hash)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<IdentityCandidate>)[.. g.Select(x => x.Candidate).OrderBy(c => c.Id.Value)]);
    });

    private bool MayHold(NationalIdentity identity)
    {
        _identities.EnsureLoaded(StoredIdentities);
        return _identities.MayHold(identity);
    }

    // The "nid" index's keys alone: a select of the indexed field only is answered from the index, without a document.
    private IEnumerable<Guid> StoredIdentities() =>
        StoredIdentitiesQuery().ToDocuments()
            .Select(d => d.Values.FirstOrDefault())
            .Where(v => v is { IsGuid: true })
            .Select(v => v!.AsGuid);

    /// <summary>The query <see cref="StoredIdentities"/> runs; its plan is checked by a test.</summary>
    internal ILiteQueryableResult<BsonDocument> StoredIdentitiesQuery() => _donors.Query().Select("$.nid");

    private static IdentityCandidate Candidate(BsonDocument doc) =>
        new(new DonorId(Fields.Long(doc, "_id")), doc["nidp"].IsBinary ? doc["nidp"].AsBinary : null);

    public IReadOnlyList<Donor> FindByState(DonorState state, int skip, int limit) =>
        damage.Read(Name, null, () => _donors.Find(Where.Eq("state", state.ToString()), skip, limit).Select(DonorDocuments.ToDonor).ToList());

    // A drive's donors are few: their ids are read through the index and sorted, so pages come in id order.
    public IReadOnlyList<Donor> FindByDrive(DriveId drive, int skip, int limit) => damage.Read(Name, null, () =>
        _donors.Query().Where(Where.Eq("drive", drive.Value)).Select("_id").ToEnumerable()
            .Select(d => Fields.Long(d, "_id")).Order().Skip(skip).Take(limit)
            .Select(id => DonorDocuments.ToDonor(_donors.FindOneById(id))).ToList());

    public IReadOnlyList<Donor> FindByDriveAndState(DriveId drive, DonorState state) => damage.Read(Name, null, () =>
        _donors.Find(Where.Eq("drive", drive.Value, "state", state.ToString())).Select(DonorDocuments.ToDonor).OrderBy(d => d.Id.Value).ToList());

    public int CountByState(DonorState state) => damage.Read(Name, null, () => _donors.Count(Where.Eq("state", state.ToString())));

    public int Count() => damage.Read(Name, null, _donors.Count);

    public (int Enrolled, int EverListed) CountByDrive(DriveId drive) => damage.Read(Name, null, () =>
    {
        int enrolled = 0, listed = 0;
        foreach (var document in _donors.Find(Where.Eq("drive", drive.Value)))
        {
            enrolled++;
            listed += document["listedOn"].IsNull ? 0 : 1;
        }

        return (enrolled, listed);
    });

    public DriveId? DriveOf(DonorId id) =>
        damage.Read(Name, id, () => _donors.FindOneById(id.Value) is { } doc ? DonorDocuments.ToDonor(doc).Profile.Drive : null);

    // A range, not "due <= day": LiteDB orders null below numbers, and most donors have no due day.
    public IReadOnlyList<Loaded<Donor>> FindDueBy(DateOnly day) =>
        damage.Read(Name, null, () => _donors.Find(Where.Between("due", 0, day.DayNumber)).Select(d => new Loaded<Donor>(DonorDocuments.ToDonor(d), d)).ToList());

    public IReadOnlyList<DonorId> FindWithdrawn() =>
        damage.Read(Name, null, () => _donors.Find(Where.Eq("state", nameof(DonorState.Withdrawn))).Select(d => new DonorId(Fields.Decode(d, Name, x => Fields.Long(x, "_id")))).ToList());

    /// <summary>Every donor document in id order, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> All() => damage.Each(Name, _donors.FindAll());

    /// <summary>
    /// The search rows of donors in <paramref name="states"/>, in id order: read from the compact rows when the states
    /// are search states (always, for the index), otherwise from the donor documents. From the rows, an available
    /// donor's version is not known and is 0 (ADR 16); the other listed donors' state and version come from their records.
    /// </summary>
    public IEnumerable<SearchRow> ScanForSearch(IReadOnlyCollection<DonorState> states) =>
        states.All(DonorSearchRows.SearchStates.Contains) ? damage.Each(DonorSearchRows.Collection, ScanRows(states)) : damage.Each(Name, Scan(states));

    private IEnumerable<SearchRow> ScanRows(IReadOnlyCollection<DonorState> states)
    {
        // The listed donors who are not available are few (reserved, deferred, recovering): their state and version are
        // read from the state index first; every other row belongs to an available donor.
        var others = new Dictionary<long, (DonorState State, int Version)>();
        foreach (var document in damage.Each(Name, _donors.Find(StateIn(DonorSearchRows.NotAvailable))))
        {
            var (id, state, version) = Fields.Decode(document, Name, d => (Fields.Long(d, "_id"), Fields.Enum<DonorState>(d, "state"), Fields.Int(d, "v")));
            others[id] = (state, version);
        }

        var strings = new Dictionary<string, string>(StringComparer.Ordinal); // genotypes repeat across donors: one string each
        foreach (var document in _rows.FindAll())
        {
            var id = document.TryGetValue("_id", out var value) && value.IsInt64 ? value.AsInt64 : 0;
            var (state, version) = others.TryGetValue(id, out var other) ? other : (DonorState.Available, 0);
            if (states.Contains(state))
            {
                yield return DonorSearchRows.Decode(document, state, version, strings);
            }
        }
    }

    private IEnumerable<SearchRow> Scan(IReadOnlyCollection<DonorState> states)
    {
        foreach (var document in _donors.Find(StateIn(states)))
        {
            var typing = document["typing"];
            if (!typing.IsDocument)
            {
                continue;
            }

            var loci = typing.AsDocument["loci"].AsDocument.ToDictionary(kv => kv.Key, kv => kv.Value.AsString, StringComparer.Ordinal);
            yield return new SearchRow(
                document["_id"].AsInt64,
                document["v"].AsInt32,
                Enum.Parse<DonorState>(document["state"].AsString),
                DateOnly.FromDayNumber(document["birth"].AsInt32),
                Enum.Parse<Sex>(document["sex"].AsString),
                Enum.Parse<CmvStatus>(document["cmv"].AsString),
                Enum.Parse<AboGroup>(document["abo"].AsString),
                loci);
        }
    }

    public IEnumerable<Donor> FindInStates(IReadOnlyCollection<DonorState> states) => damage.Each(Name, _donors.Find(StateIn(states)).Select(DonorDocuments.ToDonor));

    /// <summary>Computes every listed donor's calendar day again (the leaving age changed); inside a write.</summary>
    public void RefreshDue() => damage.Write(Name, null, () =>
    {
        foreach (var document in _donors.Find(StateIn(Listed)).ToList())
        {
            document["due"] = DonorDocuments.CalendarDue(DonorDocuments.ToDonor(document), policy) is { } due ? due.DayNumber : BsonValue.Null;
            _donors.Update(Seal.IsSealed(document) ? Seal.Apply(document) : document);
        }
    });

    private static BsonExpression StateIn(IReadOnlyCollection<DonorState> states) =>
        Query.In("state", states.Select(s => new BsonValue(s.ToString())));

    private static BsonDocument Document(Loaded<Donor> donor) =>
        donor.Token as BsonDocument ?? throw new InvalidOperationException("A donor loaded by another engine was handed to LiteDB.");
}
