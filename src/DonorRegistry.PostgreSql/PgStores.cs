using DonorRegistry.Access;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using NpgsqlTypes;

namespace DonorRegistry.PostgreSql;

/// <summary>Samples keyed by barcode (the primary key: a barcode names one sample), with donor, drive and collection time as columns; shipments beside them.</summary>
internal sealed class PgSampleStore(PgDatabase db) : PgRecordStore<string, Sample>(db, AggregateKind.Sample, "samples", DocumentCodec.Sample), ISampleStore
{
    protected override string[] Columns => ["donor", "drive", "collected_at"];

    public IReadOnlyList<Sample> FindByDonor(DonorId donor) => Ordered(Query("reading a donor's samples", "SELECT doc::text, id FROM samples WHERE donor = $1", donor.Value));

    public IReadOnlyList<Sample> FindByDrive(DriveId drive) => Ordered(Query("reading a drive's samples", "SELECT doc::text, id FROM samples WHERE drive = $1", drive.Value));

    public DateTimeOffset? FirstCollectedAt(DonorId donor) =>
        Db.List("reading a donor's first sample", "SELECT min(collected_at) FROM samples WHERE donor = $1", r => r.IsDBNull(0) ? (DateTimeOffset?)null : PgDatabase.Instant(r, 0), donor.Value)[0];

    public void InsertShipment(Shipment shipment) => Db.Execute($"storing shipment '{shipment.Id}'", "INSERT INTO shipments (id, doc) VALUES ($1, $2)", shipment.Id, PgDatabase.Json(DocumentCodec.Shipment.Encode(shipment)));

    public Shipment? FindShipment(string id) => string.IsNullOrEmpty(id)
        ? null
        : Db.List($"reading shipment '{id}'", "SELECT doc::text FROM shipments WHERE id = $1", r => DocumentCodec.Shipment.Decode(r.GetString(0), Db.Where, id), id).SingleOrDefault();

    public IReadOnlyDictionary<string, Loaded<Sample>> FindMany(IReadOnlyCollection<string> barcodes)
    {
        var ids = barcodes.Where(b => !string.IsNullOrEmpty(b)).Distinct(StringComparer.Ordinal).ToArray();
        return ids.Length == 0
            ? new Dictionary<string, Loaded<Sample>>()
            : Query("reading samples by barcode", "SELECT doc::text, id FROM samples WHERE id = ANY($1)", Column.Typed(ids, NpgsqlDbType.Array | NpgsqlDbType.Text))
                .ToDictionary(s => s.Barcode, s => new Loaded<Sample>(s, new RowVersion(s.Version)), StringComparer.Ordinal);
    }

    protected override object?[] Values(Sample value) => [value.DonorId.Value, value.Drive?.Value, PgDatabase.Instant(value.CollectedAt)];

    protected override string? Id(string key) => string.IsNullOrEmpty(key) ? null : key;

    private static List<Sample> Ordered(List<Sample> samples) => samples.OrderBy(s => s.CollectedAt).ThenBy(s => s.Barcode, StringComparer.Ordinal).ToList();
}

/// <summary>Match cases keyed by case reference, with donor and opening time as columns.</summary>
internal sealed class PgCaseStore(PgDatabase db) : PgRecordStore<CaseReference, MatchCase>(db, AggregateKind.Case, "cases", DocumentCodec.Case), ICaseStore
{
    protected override string[] Columns => ["donor", "opened_at"];

    public IReadOnlyList<MatchCase> FindByDonor(DonorId donor) =>
        Query("reading a donor's cases", "SELECT doc::text, id FROM cases WHERE donor = $1", donor.Value).OrderBy(c => c.OpenedAt).ThenBy(c => c.Id.Value, StringComparer.Ordinal).ToList();

    public IReadOnlyList<MatchCase> FindOpenedBetween(DateTimeOffset from, DateTimeOffset until) =>
        Query("reading cases by opening time", "SELECT doc::text, id FROM cases WHERE opened_at BETWEEN $1 AND $2 ORDER BY opened_at, id", PgDatabase.Instant(from), PgDatabase.Instant(until));

    protected override object?[] Values(MatchCase value) => [value.DonorId.Value, PgDatabase.Instant(value.OpenedAt)];

    protected override string? Id(CaseReference key) => key.Value;
}

/// <summary>Drives keyed by drive code; lectures beside them, with drive and day as columns.</summary>
internal sealed class PgDriveStore(PgDatabase db) : PgRecordStore<DriveId, Drive>(db, AggregateKind.Drive, "drives", DocumentCodec.Drive), IDriveStore
{
    protected override string[] Columns => [];

    public IReadOnlyList<Drive> FindAll() =>
        Query("reading the drives", "SELECT doc::text, id FROM drives").OrderBy(d => d.Plan.StartsOn).ThenBy(d => d.Id.Value, StringComparer.Ordinal).ToList();

    public void InsertLecture(Lecture lecture) => Db.Execute($"storing lecture '{lecture.Id}'", "INSERT INTO lectures (id, drive, held_on, doc) VALUES ($1, $2, $3, $4)",
        lecture.Id, lecture.Drive?.Value, lecture.HeldOn, PgDatabase.Json(DocumentCodec.Lecture.Encode(lecture)));

    public IReadOnlyList<Lecture> FindLectures(DriveId drive) => Lectures("SELECT doc::text, id FROM lectures WHERE drive = $1", drive.Value);

    public IReadOnlyList<Lecture> FindLectures(DateOnly from, DateOnly to) => Lectures("SELECT doc::text, id FROM lectures WHERE held_on BETWEEN $1 AND $2", from, to);

    protected override object?[] Values(Drive value) => [];

    protected override string? Id(DriveId key) => key.Value;

    private List<Lecture> Lectures(string sql, params object?[] values) =>
        Db.List("reading lectures", sql, r => DocumentCodec.Lecture.Decode(r.GetString(0), Db.Where, r.GetString(1)), values)
            .OrderBy(l => l.HeldOn).ThenBy(l => l.Id, StringComparer.Ordinal).ToList();
}

/// <summary>
/// Donation records with their next follow-up and visit days and collection end as columns; publicity consents (the
/// current one, and every one given or withdrawn with who and when) and recognitions beside them.
/// </summary>
internal sealed class PgDonationStore(PgDatabase db) : PgRecordStore<string, DonationRecord>(db, AggregateKind.Donation, "donations", DocumentCodec.Donation), IDonationStore
{
    protected override string[] Columns => ["donor", "next_due", "next_visit", "collection_end"];

    public IReadOnlyList<DonationRecord> FindByDonor(DonorId donor) =>
        Query("reading a donor's donations", "SELECT doc::text, id FROM donations WHERE donor = $1", donor.Value)
            .OrderBy(r => r.Details.CollectionStart).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    public IReadOnlyList<DonationRecord> FindAll() => Query("reading the donations", "SELECT doc::text, id FROM donations ORDER BY id");

    public IReadOnlyList<DonationRecord> FindFollowUpDueBefore(DateOnly day) =>
        Query("reading the follow-ups due", "SELECT doc::text, id FROM donations WHERE next_due < $1 ORDER BY next_due, id", day);

    public IReadOnlyList<DonationRecord> FindVisitDueBy(DateOnly day) =>
        Query("reading the visits due", "SELECT doc::text, id FROM donations WHERE next_visit <= $1 ORDER BY next_visit, id", day);

    public IReadOnlyList<DonationRecord> FindCollectedBetween(DateOnly from, DateOnly to) =>
        Query("reading donations by collection day", "SELECT doc::text, id FROM donations WHERE collection_end BETWEEN $1 AND $2", from, to)
            .OrderBy(r => r.Details.CollectionEnd).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    public bool HasPublicityConsent(DonorId donor) =>
        Db.Scalar<bool>("reading a publicity consent", "SELECT consent FROM publicity WHERE donor = $1", donor.Value);

    public void SetPublicityConsent(DonorId donor, bool consent, string actor, DateTimeOffset at)
    {
        Db.Execute("storing a publicity consent", "INSERT INTO publicity (donor, consent, since) VALUES ($1, $2, $3) ON CONFLICT (donor) DO UPDATE SET consent = EXCLUDED.consent, since = EXCLUDED.since",
            donor.Value, consent, PgDatabase.Instant(at));
        Db.Execute("storing a publicity consent", "INSERT INTO publicity_history (donor, consent, actor, at) VALUES ($1, $2, $3, $4)", donor.Value, consent, actor, PgDatabase.Instant(at));
    }

    public IReadOnlyList<PublicityConsent> ReadPublicityConsents(long after, int limit)
    {
        Guard.Page(0, limit);
        var consents = Db.List("reading publicity consents", "SELECT donor, consent, since FROM publicity WHERE donor > $1 ORDER BY donor LIMIT $2",
            r => (Donor: r.GetInt64(0), Consent: r.GetBoolean(1), Since: PgDatabase.Instant(r, 2)), after, limit);
        if (consents.Count == 0)
        {
            return [];
        }

        var history = Db.List("reading publicity consents' history", "SELECT donor, consent, actor, at FROM publicity_history WHERE donor BETWEEN $1 AND $2 ORDER BY donor, seq",
                r => (Donor: r.GetInt64(0), Change: new PublicityChange(r.GetBoolean(1), r.GetString(2), PgDatabase.Instant(r, 3))), consents[0].Donor, consents[^1].Donor)
            .ToLookup(h => h.Donor, h => h.Change);
        return consents.Select(c => new PublicityConsent(new DonorId(c.Donor), c.Consent, c.Since, history[c.Donor].ToList())).ToList();
    }

    // Two statements per page: the consents, then every history entry in order (the identity numbers them as given).
    public void InsertPublicityConsents(IReadOnlyList<PublicityConsent> consents)
    {
        PublicityConsent.CheckAll(consents);
        if (consents.Count == 0)
        {
            return;
        }

        var history = consents.SelectMany(c => c.History.Select(h => (c.Donor.Value, h))).ToList();
        Db.Execute("storing publicity consents", "INSERT INTO publicity (donor, consent, since) SELECT * FROM unnest($1, $2, $3)",
            Column.Typed(consents.Select(c => c.Donor.Value).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint),
            Column.Typed(consents.Select(c => c.Consent).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Boolean),
            Column.Typed(consents.Select(c => PgDatabase.Instant(c.Since)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz));
        Db.Execute("storing publicity consents' history",
            "INSERT INTO publicity_history (donor, consent, actor, at) SELECT d, c, a, t FROM unnest($1, $2, $3, $4) WITH ORDINALITY AS h(d, c, a, t, n) ORDER BY n",
            Column.Typed(history.Select(h => h.Value).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint),
            Column.Typed(history.Select(h => h.h.Consent).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Boolean),
            Column.Typed(history.Select(h => h.h.Actor).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            Column.Typed(history.Select(h => PgDatabase.Instant(h.h.At)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.TimestampTz));
    }

    public void InsertRecognition(Recognition recognition) => Db.Execute($"storing recognition '{recognition.Id}'", "INSERT INTO recognitions (id, donor, on_day, doc) VALUES ($1, $2, $3, $4)",
        recognition.Id, recognition.Donor.Value, recognition.On, PgDatabase.Json(DocumentCodec.Recognition.Encode(recognition)));

    public IReadOnlyList<Recognition> FindRecognitions(DateOnly from, DateOnly to) => Recognitions("SELECT doc::text, id FROM recognitions WHERE on_day BETWEEN $1 AND $2 ORDER BY on_day, id", from, to);

    public IReadOnlyList<Recognition> FindRecognitions(DonorId donor) => Recognitions("SELECT doc::text, id FROM recognitions WHERE donor = $1 ORDER BY id", donor.Value);

    protected override object?[] Values(DonationRecord value) =>
    [
        value.Donor.Value,
        Column.Of(value.FollowUps.Where(f => !f.IsDone).Select(f => (DateOnly?)f.DueOn).Min()),
        Column.Of(value.Visits.Where(v => v.State == VisitState.Due).Select(v => (DateOnly?)v.DueOn).Min()),
        value.Details.CollectionEnd,
    ];

    protected override string? Id(string key) => string.IsNullOrEmpty(key) ? null : key;

    private List<Recognition> Recognitions(string sql, params object?[] values) =>
        Db.List("reading recognitions", sql, r => DocumentCodec.Recognition.Decode(r.GetString(0), Db.Where, r.GetString(1)), values);
}

/// <summary>Volunteer honours keyed by number, with the day named as a column.</summary>
internal sealed class PgVolunteerStore(PgDatabase db) : PgRecordStore<string, VolunteerHonour>(db, AggregateKind.Volunteer, "volunteers", DocumentCodec.Volunteer), IVolunteerStore
{
    protected override string[] Columns => ["named_on"];

    public IReadOnlyList<VolunteerHonour> FindNamedBetween(DateOnly from, DateOnly to) =>
        Query("reading volunteers by day named", "SELECT doc::text, id FROM volunteers WHERE named_on BETWEEN $1 AND $2", from, to)
            .OrderBy(v => v.NamedOn).ThenBy(v => v.Id, StringComparer.Ordinal).ToList();

    protected override object?[] Values(VolunteerHonour value) => [value.NamedOn];

    protected override string? Id(string key) => string.IsNullOrEmpty(key) ? null : key;
}

/// <summary>User accounts keyed by user name (issue 11, ADR 17), the account as a document.</summary>
internal sealed class PgUserStore(PgDatabase db) : PgRecordStore<string, UserAccount>(db, AggregateKind.User, "users", DocumentCodec.User), IUserStore
{
    protected override string[] Columns => [];

    public IReadOnlyList<UserAccount> FindAll() =>
        Query("reading the users", "SELECT doc::text, id FROM users").OrderBy(u => u.UserName, StringComparer.Ordinal).ToList();

    public int Count() => (int)Db.Scalar<long>("counting the users", "SELECT count(*) FROM users");

    protected override object?[] Values(UserAccount value) => [];

    protected override string? Id(string key) => string.IsNullOrEmpty(key) ? null : key;
}

/// <summary>
/// The access log (ADR 17): refusals, personal-data reads and their outcome, apart from the records' audit trails;
/// numbered in the order stored, read newest first.
/// </summary>
internal sealed class PgAccessLog(PgDatabase db) : IAccessLog
{
    // One COPY per batch, as the audit log stores its records (PgAuditLog.AppendMany), not a statement per entry.
    public void Append(IReadOnlyList<AccessRecord> records) =>
        db.Copy("storing access-log entries", "COPY access_log (at, actor, roles, host, action, kind, subject, outcome, reason) FROM STDIN (FORMAT BINARY)", copy =>
        {
            foreach (var r in records)
            {
                copy.StartRow();
                copy.Write(PgDatabase.Instant(r.At), NpgsqlDbType.TimestampTz);
                copy.Write(r.Actor, NpgsqlDbType.Text);
                copy.Write(string.Join(",", r.Roles.Select(role => role.ToString())), NpgsqlDbType.Text);
                copy.Write(r.IsHost, NpgsqlDbType.Boolean);
                copy.Write(r.Action.ToString(), NpgsqlDbType.Text);
                WriteOrNull(copy, r.Kind?.ToString());
                WriteOrNull(copy, r.Id);
                copy.Write(r.Outcome.ToString(), NpgsqlDbType.Text);
                copy.Write(r.Reason, NpgsqlDbType.Text);
            }
        });

    private static void WriteOrNull(Npgsql.NpgsqlBinaryImporter copy, string? text)
    {
        if (text is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(text, NpgsqlDbType.Text);
        }
    }

    public IReadOnlyList<Numbered<AccessRecord>> ReadAfter(long after, int limit)
    {
        Guard.Page(0, limit);
        return db.List("reading the access log in order", "SELECT at, actor, roles, host, action, kind, subject, outcome, reason, id FROM access_log WHERE id > $1 ORDER BY id LIMIT $2",
            r => new Numbered<AccessRecord>(r.GetInt64(9), ToRecord(r)), after, limit);
    }

    public IReadOnlyList<AccessRecord> Find(AccessQuery query) => db.List(
        "reading the access log",
        """
        SELECT at, actor, roles, host, action, kind, subject, outcome, reason FROM access_log
        WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR subject = $3)
          AND at >= $4 AND at <= $5
        ORDER BY at DESC, id DESC LIMIT $6
        """,
        ToRecord,
        query.Actor,
        query.Kind?.ToString(),
        query.Id,
        PgDatabase.Instant(query.From ?? DateTimeOffset.UnixEpoch),
        PgDatabase.Instant(query.Until ?? new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)),
        query.Limit);

    private static AccessRecord ToRecord(Npgsql.NpgsqlDataReader r) => new AccessRecord(
            PgDatabase.Instant(r, 0),
            r.GetString(1),
            r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(UserDocuments.RoleNamed).ToList(),
            r.GetBoolean(3),
            Enum.Parse<RegistryAction>(r.GetString(4)),
            r.IsDBNull(5) ? null : Enum.Parse<AggregateKind>(r.GetString(5)),
            r.IsDBNull(6) ? null : r.GetString(6),
            Enum.Parse<AccessOutcome>(r.GetString(7)),
            r.GetString(8));
}
