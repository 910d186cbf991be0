using DonorRegistry.Donors;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using NpgsqlTypes;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// Donors in PostgreSQL: one row each, with the columns the queries use (state, drive, the calendar's "due" day, the
/// day first listed, the coarse national-ID identity "nid", shared by few donors and so indexed but not unique, ADR 12)
/// and the whole record as a JSONB document holding the identity's proof and the sealed personal data too. Beside
/// them, in the same transaction, each listed, typed donor's compact search row (ADR 13 and 16), as in the LiteDB engine.
/// </summary>
internal sealed class PgDonorStore(PgDatabase db, EligibilityPolicy policy) : IDonorStore
{
    private static readonly DonorState[] Listed = [DonorState.Available, DonorState.TemporarilyUnavailable, DonorState.Donated];

    /// <summary>The engine's handle on a loaded donor: the version it was loaded at, and what the row holds beside the record.</summary>
    private sealed class DonorRow(int version, Guid identity, byte[]? personalData, byte[]? proof, bool hadRow)
    {
        public int Version { get; set; } = version;

        public Guid Identity { get; set; } = identity;

        public byte[]? PersonalData { get; set; } = personalData;

        public byte[]? Proof { get; set; } = proof;

        public bool HadRow { get; set; } = hadRow;
    }

    public Loaded<Donor>? Find(DonorId key) =>
        Rows($"reading donor {key}", "SELECT doc::text, id FROM donors WHERE id = $1", key.Value).SingleOrDefault();

    public void Insert(Donor value) =>
        throw new InvalidOperationException("Donors are stored by InsertEnrolled, with their identity and sealed personal data.");

    public void Update(Loaded<Donor> value)
    {
        var row = Row(value);
        var donor = value.Value;
        var loadedAt = row.Version;
        db.Later($"storing donor {donor.Id}",
            "UPDATE donors SET version = $3, state = $4, drive = $5, due = $6, listed_on = $7, nid = $8, doc = $9 WHERE id = $1 AND version = $2",
            [donor.Id.Value, loadedAt, .. Columns(donor, row.Identity, row.PersonalData, row.Proof)],
            rows: changed =>
            {
                if (changed != 1)
                {
                    var actual = db.Scalar<int?>($"reading the version of donor {donor.Id}", "SELECT version FROM donors WHERE id = $1", donor.Id.Value);
                    throw new ConcurrentUpdateException(AggregateKind.Donor, donor.Id.ToString(), loadedAt, actual ?? 0);
                }
            });

        // The donor's search row follows its listing (ADR 16): written when the donor enters the listed states typed,
        // removed when they leave them; upsert, so that a row left behind is written over rather than refused.
        var hasRow = DocumentCodec.HasSearchRow(donor);
        if (hasRow && !row.HadRow)
        {
            db.Later($"storing the search row of donor {donor.Id}", "INSERT INTO donor_search (id, row) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET row = EXCLUDED.row",
                [donor.Id.Value, DocumentCodec.EncodeSearchRow(donor)]);
        }
        else if (!hasRow && row.HadRow)
        {
            db.Later($"removing the search row of donor {donor.Id}", "DELETE FROM donor_search WHERE id = $1", [donor.Id.Value]);
        }

        row.Version = donor.Version;
        row.HadRow = hasRow;
        db.Changed(AggregateKind.Donor, donor.Id.ToString());
    }

    // The rows are encoded here, on the enrolment's preparing thread (the JSON document is most of the work), so the
    // writer only streams them.
    public PreparedRecords PrepareEnrolled(IReadOnlyList<NewDonor> donors) =>
        new Prepared<List<EnrolledRow>>(donors.Select(d => new EnrolledRow(
            d.Donor.Id.Value,
            d.Donor.Version,
            d.Donor.State.ToString(),
            d.Donor.Profile.Drive?.Value,
            DocumentCodec.CalendarDue(d.Donor, policy),
            d.Donor.FirstListedOn,
            d.Identity.Stored,
            DocumentCodec.EncodeDonor(d.Donor, policy, d.Identity.Stored, d.SealedPersonalData, d.IdentityProof),
            DocumentCodec.HasSearchRow(d.Donor) ? DocumentCodec.EncodeSearchRow(d.Donor) : null)).ToList());

    public void InsertEnrolled(PreparedRecords donors) => CopyEnrolled(Prepared<List<EnrolledRow>>.Of(donors));

    // Sent now, into one COPY the write keeps open for the next chunk (PgDatabase.CopyNow): the server stores each chunk
    // while the preparing thread seals the next, and the COPY is completed before the write's next command or its
    // commit. The search rows (which name their donor) are queued behind it (PgDatabase.CopyLater).
    private void CopyEnrolled(List<EnrolledRow> donors)
    {
        db.CopyNow("storing enrolled donors", "COPY donors (id, version, state, drive, due, listed_on, nid, doc) FROM STDIN (FORMAT BINARY)", copy =>
        {
            foreach (var donor in donors)
            {
                copy.StartRow();
                copy.Write(donor.Id, NpgsqlDbType.Bigint);
                copy.Write(donor.Version, NpgsqlDbType.Integer);
                copy.Write(donor.State, NpgsqlDbType.Text);
                Text(copy, donor.Drive);
                Day(copy, donor.Due);
                Day(copy, donor.ListedOn);
                copy.Write(donor.Nid, NpgsqlDbType.Uuid);
                copy.Write(donor.Document, NpgsqlDbType.Jsonb);
            }
        });

        foreach (var enrolled in donors)
        {
            db.Changed(AggregateKind.Donor, new DonorId(enrolled.Id).ToString());
        }

        var rows = donors.Where(d => d.SearchRow is not null).ToList();
        if (rows.Count > 0)
        {
            db.CopyLater("storing search rows", "COPY donor_search (id, row) FROM STDIN (FORMAT BINARY)", copy =>
            {
                foreach (var row in rows)
                {
                    copy.StartRow();
                    copy.Write(row.Id, NpgsqlDbType.Bigint);
                    copy.Write(row.SearchRow!, NpgsqlDbType.Bytea);
                }
            });
        }
    }

    /// <summary>An enrolled donor's row as the COPY writes it: its key and query columns, the JSON document, and its search row if it has one.</summary>
    private sealed record EnrolledRow(long Id, int Version, string State, string? Drive, DateOnly? Due, DateOnly? ListedOn, Guid Nid, string Document, byte[]? SearchRow);

    public void SetIdentity(Loaded<Donor> donor, NationalIdentity identity, byte[]? sealedPersonalData, byte[]? identityProof = null)
    {
        var row = Row(donor);
        row.Identity = identity.Stored;
        row.PersonalData = sealedPersonalData;
        row.Proof = identityProof;
    }

    public Guid IdentityOf(Loaded<Donor> donor) => Row(donor).Identity;

    public byte[]? SealedPersonalData(DonorId id) =>
        Row(Find(id) ?? throw new DonorNotFoundException(id)).PersonalData;

    public IReadOnlyList<IdentityCandidate> FindByIdentity(NationalIdentity identity) =>
        FindByIdentities([identity]).TryGetValue(identity.Stored, out var found) ? found : [];

    /// <summary>
    /// The donors holding each identity, in id order, as the server holds them (only the identity, id and proof are read,
    /// not the documents): inside a write, with the donors it copied (<see cref="CopyEnrolled"/>'s COPY is completed
    /// first), without sending the copies it queued (none holds donors). The fingerprints are not used: other instances
    /// write the same database, so no process could answer from what it saw written.
    /// </summary>
    public IReadOnlyDictionary<Guid, IReadOnlyList<IdentityCandidate>> FindByIdentities(IReadOnlyCollection<NationalIdentity> identities)
    {
        if (identities.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<IdentityCandidate>>();
        }

        LockIdentities();
        var wanted = identities.Select(i => i.Stored).ToHashSet();
        var stored = db.ListBesideQueued("reading donors by identity", "SELECT nid, id, doc -> 'nidp' ->> '$binary' FROM donors WHERE nid = ANY($1)",
            r => (Identity: r.GetGuid(0), Candidate: new IdentityCandidate(new DonorId(r.GetInt64(1)), r.IsDBNull(2) ? null : Convert.FromBase64String(r.GetString(2)))),
            Column.Typed(wanted.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid));
        return stored
            .GroupBy(c => c.Identity)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<IdentityCandidate>)[.. g.Select(c => c.Candidate).OrderBy(c => c.Id.Value)]);
    }

    /// <summary>
    /// Inside a write, the duplicate-person check reads the identities under the donor sequence's row lock, which every
    /// enrolment takes first (AllocateDonorIds): a check in one instance waits for another instance's enrolment to
    /// commit and then reads its donors, so two instances cannot both find an identity free (read committed: the read
    /// after the lock sees what committed before it).
    /// </summary>
    /// <remarks>A write that took donor numbers holds that lock already (its update of the row), until it commits: an enrolment locks once, not once per chunk.</remarks>
    private void LockIdentities()
    {
        if (db.InWrite && !db.DonorSequenceLocked)
        {
            db.Execute("locking the donor sequence for the duplicate-person check", "SELECT next FROM sequences WHERE name = 'donor' FOR UPDATE");
            db.DonorSequenceLocked = true;
        }
    }

    // Pages in id order through the (state, id) index: stable, and cheap for a state of millions.
    public IReadOnlyList<Donor> FindByState(DonorState state, int skip, int limit) =>
        Donors("reading donors by state", "SELECT doc::text, id FROM donors WHERE state = $1 ORDER BY id OFFSET $2 LIMIT $3", state.ToString(), (long)skip, (long)limit);

    public IReadOnlyList<Donor> FindByDrive(DriveId drive, int skip, int limit) =>
        Donors("reading a drive's donors", "SELECT doc::text, id FROM donors WHERE drive = $1 ORDER BY id OFFSET $2 LIMIT $3", drive.Value, (long)skip, (long)limit);

    public IReadOnlyList<Donor> FindByDriveAndState(DriveId drive, DonorState state) =>
        Donors("reading a drive's donors by state", "SELECT doc::text, id FROM donors WHERE drive = $1 AND state = $2 ORDER BY id", drive.Value, state.ToString());

    public int CountByState(DonorState state) => (int)db.Scalar<long>("counting donors by state", "SELECT count(*) FROM donors WHERE state = $1", state.ToString());

    public int Count() => (int)db.Scalar<long>("counting donors", "SELECT count(*) FROM donors");

    public (int Enrolled, int EverListed) CountByDrive(DriveId drive) =>
        db.List("counting a drive's donors", "SELECT count(*), count(listed_on) FROM donors WHERE drive = $1", r => ((int)r.GetInt64(0), (int)r.GetInt64(1)), drive.Value)[0];

    public DriveId? DriveOf(DonorId id) =>
        db.List($"reading the drive of donor {id}", "SELECT drive FROM donors WHERE id = $1", r => r.IsDBNull(0) ? (DriveId?)null : new DriveId(r.GetString(0)), id.Value).SingleOrDefault();

    public IReadOnlyList<Loaded<Donor>> FindDueBy(DateOnly day) =>
        Rows("reading the donors due", "SELECT doc::text, id FROM donors WHERE due <= $1 ORDER BY due, id", day);

    public IReadOnlyList<DonorId> FindWithdrawn() =>
        db.List("reading the withdrawn donors", "SELECT id FROM donors WHERE state = $1 ORDER BY id", r => new DonorId(r.GetInt64(0)), nameof(DonorState.Withdrawn));

    /// <summary>
    /// The search rows of donors in <paramref name="states"/>, in id order: from the compact rows when the states are
    /// search states (always, for the index), otherwise from the donors. From the rows, an available donor's version is
    /// not known and is 0 (ADR 16); the few listed donors who are not available are read from the state index first.
    /// </summary>
    public IEnumerable<SearchRow> ScanForSearch(IReadOnlyCollection<DonorState> states) =>
        states.All(DocumentCodec.SearchStates.Contains) ? ScanRows(states) : Scan(states);

    private IEnumerable<SearchRow> ScanRows(IReadOnlyCollection<DonorState> states)
    {
        var others = db.List("reading the listed donors who are not available", "SELECT id, state, version FROM donors WHERE state = ANY($1)",
                r => (Id: r.GetInt64(0), State: Enum.Parse<DonorState>(r.GetString(1)), Version: r.GetInt32(2)),
                Column.Typed(DocumentCodec.NotAvailable.Select(s => s.ToString()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text))
            .ToDictionary(x => x.Id, x => (x.State, x.Version));
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, bytes) in db.Stream("reading the search rows", "SELECT id, row FROM donor_search ORDER BY id", r => (r.GetInt64(0), (byte[])r[1])))
        {
            var (state, version) = others.TryGetValue(id, out var other) ? other : (DonorState.Available, 0);
            if (states.Contains(state))
            {
                yield return DocumentCodec.DecodeSearchRow(id, bytes, state, version, strings, db.Where);
            }
        }
    }

    private IEnumerable<SearchRow> Scan(IReadOnlyCollection<DonorState> states) =>
        FindInStates(states)
            .Where(d => d.Typing is not null)
            .Select(d => new SearchRow(d.Id.Value, d.Version, d.State, d.Profile.BirthDate, d.Profile.Sex, d.Profile.Cmv, d.Profile.Abo, d.Typing!.Loci));

    public IEnumerable<Donor> FindInStates(IReadOnlyCollection<DonorState> states) =>
        db.Stream("reading donors by state", "SELECT doc::text, id FROM donors WHERE state = ANY($1) ORDER BY id",
            r => DocumentCodec.DecodeDonor(r.GetString(0), db.Where, r.GetInt64(1)).Donor,
            Column.Typed(states.Select(s => s.ToString()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));

    /// <summary>Computes every listed donor's calendar day again (the leaving age changed); inside a write.</summary>
    public void RefreshDue()
    {
        foreach (var loaded in Rows("reading the listed donors", "SELECT doc::text, id FROM donors WHERE state = ANY($1) ORDER BY id",
            Column.Typed(Listed.Select(s => s.ToString()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)))
        {
            var row = Row(loaded);
            db.Execute($"storing donor {loaded.Value.Id}", "UPDATE donors SET due = $2, doc = $3 WHERE id = $1",
                loaded.Value.Id.Value, Column.Of(DocumentCodec.CalendarDue(loaded.Value, policy)),
                PgDatabase.Json(DocumentCodec.EncodeDonor(loaded.Value, policy, row.Identity, row.PersonalData, row.Proof)));
        }
    }

    private object?[] Columns(Donor donor, Guid identity, byte[]? personalData, byte[]? proof) =>
    [
        donor.Version,
        .. QueryColumns(donor, identity),
        PgDatabase.Json(DocumentCodec.EncodeDonor(donor, policy, identity, personalData, proof)),
    ];

    /// <summary>The columns the donor queries and indexes use, in the order of <see cref="QueryColumns"/>.</summary>
    internal static readonly string[] QueryColumnNames = ["state", "drive", "due", "listed_on", "nid"];

    /// <summary>What a donor's query columns hold for its record and identity (the verifier holds the stored ones to them).</summary>
    internal object?[] QueryColumns(Donor donor, Guid identity) =>
    [
        donor.State.ToString(),
        donor.Profile.Drive?.Value,
        Column.Of(DocumentCodec.CalendarDue(donor, policy)),
        Column.Of(donor.FirstListedOn),
        identity,
    ];

    /// <summary>The donors with these ids as stored now (for other instances' changes, ADR 21); an id no donor has is absent.</summary>
    public IReadOnlyList<Donor> FindMany(IReadOnlyCollection<long> ids) => ids.Count == 0
        ? []
        : Donors("reading the donors other instances changed", "SELECT doc::text, id FROM donors WHERE id = ANY($1) ORDER BY id", Column.Typed(ids.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint));

    private List<Loaded<Donor>> Rows(string what, string sql, params object?[] values) =>
        db.List(what, sql, r =>
        {
            var (donor, identity, personalData, proof) = DocumentCodec.DecodeDonor(r.GetString(0), db.Where, r.GetInt64(1));
            return new Loaded<Donor>(donor, new DonorRow(donor.Version, identity, personalData, proof, DocumentCodec.HasSearchRow(donor)));
        }, values);

    private List<Donor> Donors(string what, string sql, params object?[] values) =>
        db.List(what, sql, r => DocumentCodec.DecodeDonor(r.GetString(0), db.Where, r.GetInt64(1)).Donor, values);

    private static DonorRow Row(Loaded<Donor> donor) =>
        donor.Token as DonorRow ?? throw new InvalidOperationException("A donor loaded by another engine was handed to PostgreSQL.");

    private static void Text(Npgsql.NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void Day(Npgsql.NpgsqlBinaryImporter copy, DateOnly? value)
    {
        if (value is { } day)
        {
            copy.Write(day, NpgsqlDbType.Date);
        }
        else
        {
            copy.WriteNull();
        }
    }
}
