using DonorRegistry.Access;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Protection;
using DonorRegistry.Samples;

namespace DonorRegistry.Storage;

/// <summary>
/// The storage contract: what the core asks of a storage engine. The core speaks only in its own records
/// (donors, samples, cases, drives, donation records, audit records, counts); how they are laid out is the
/// engine's business. LiteDB implements it in <c>Storage/LiteDb</c>; a server engine implements the same
/// interfaces and passes the same contract tests (tests/DonorRegistry.Tests/Storage/Contract).
/// </summary>
/// <remarks>
/// Writes run only inside <see cref="Write{T}"/>: one transaction, alone among writers, committed whole or rolled
/// back whole. Reads run at any time and never wait for a writer.
/// </remarks>
internal interface IRegistryStorage : IDisposable
{
    /// <summary>The database's full path, or <see cref="RegistryOptions.InMemoryPath"/>.</summary>
    string Path { get; }

    /// <summary>The per-donor keys and the withdrawal ledger: a file, or a schema on the server (ADR 20).</summary>
    IKeyStore Keys { get; }

    /// <summary>The registry key's cipher: wraps data keys, hashes national IDs.</summary>
    PersonalDataCipher Cipher { get; }

    IDonorStore Donors { get; }

    /// <summary>
    /// Whether a write may look donors up between its inserts at no more cost than the lookup itself (LiteDB, in
    /// process). The enrolment pipeline then checks each chunk's identities just before it stores the chunk; otherwise
    /// it looks up the whole batch once, before it stores anything (PostgreSQL: each lookup is a round trip, and the
    /// donors' COPY, once begun, holds the connection until the write ends). Both run on the writer, inside the write.
    /// </summary>
    bool LooksUpBetweenInserts { get; }

    ISampleStore Samples { get; }

    ICaseStore Cases { get; }

    IDriveStore Drives { get; }

    IDonationStore Donations { get; }

    /// <summary>Outstanding drive volunteers named for festival visits: apart from donors.</summary>
    IVolunteerStore Volunteers { get; }

    /// <summary>The accounts of the people who sign in to a host.</summary>
    IUserStore Users { get; }

    IAuditLog Audit { get; }

    /// <summary>Refused attempts and personal-data reads, apart from the audit trails.</summary>
    IAccessLog Access { get; }

    /// <summary>Per-day counts, the search log and re-collections: what reports read instead of scanning records.</summary>
    IReportData Reports { get; }

    /// <summary>Runs <paramref name="work"/> alone among writers, in one transaction, then <paramref name="afterCommit"/> still alone.</summary>
    T Write<T>(Func<T> work, Action<T>? afterCommit = null);

    /// <summary>
    /// Forces what the engine has written to its files so far to the disk, on a thread other than the writer's, where
    /// that shortens a flush a later commit of the open write would wait for (LiteDB: its log, which a checkpoint forces
    /// before it writes the data file, when commits are <see cref="Durability.OsBuffered"/> and a checkpoint is near).
    /// Does nothing where nothing is waiting to be forced. The enrolment pipeline's preparing thread calls it once per
    /// batch, the first time the writer has chunks waiting and the thread would otherwise wait.
    /// </summary>
    void ForceWrittenAhead();

    /// <summary>Runs <paramref name="work"/> alone among writers (no transaction): for a reader that must see no change happen meanwhile.</summary>
    void Exclusive(Action work);

    /// <summary>
    /// Starts following the commits other application instances make on the same registry (an engine several instances
    /// share, ADR 21): <paramref name="apply"/> is called with them in commit order, alone among this instance's writers,
    /// until the storage is disposed. An engine no other instance can open (a LiteDB file is locked by its process) has
    /// nothing to follow and never calls it.
    /// </summary>
    void Follow(Action<ExternalChanges> apply);

    /// <summary>
    /// Inside a write: holds the lock <paramref name="name"/> across every instance of this registry until the write ends,
    /// so work that must run once (the calendar) never runs in two instances at once. An engine only one process can
    /// open has its write gate for that already.
    /// </summary>
    void HoldAcrossInstances(string name);

    /// <summary>Hands out the next number of a sequence; inside a write.</summary>
    long Next(Sequence sequence);

    /// <summary>Hands out <paramref name="count"/> consecutive donor numbers and returns the first; inside a write.</summary>
    long AllocateDonorIds(int count);

    /// <summary><see cref="Registry.Verify"/> on this engine's own layout, this instance's writers waiting: damage is reported, an engine failure thrown as for any read (ADR 11, 18).</summary>
    Verification.VerificationReport Verify(Verification.VerificationInputs inputs);
}

/// <summary>The numbered sequences a registry hands out.</summary>
internal enum Sequence
{
    Case,
    Shipment,
    Lecture,
    Donation,
    Recognition,
    Volunteer,
}

/// <summary>A new donor as the enrolment pipeline hands it to the engine: the record, its identity (a coarse keyed hash, ADR 12), the identity's proof under the donor's data key, and the sealed personal data.</summary>
internal sealed record NewDonor(Donor Donor, NationalIdentity Identity, byte[] SealedPersonalData, byte[]? IdentityProof = null);

/// <summary>
/// A national ID as the duplicate-person check gives it to the engine (ADR 12). <see cref="Stored"/> is what the engine
/// stores and indexes: coarse on purpose, shared by other numbers. <see cref="Fingerprint"/> is 64 further bits of the
/// number's keyed hash, which no engine stores: an engine that sees every write of its registry (LiteDB: one process)
/// may keep it in memory, to answer that nobody holds a number written since it opened without a read. Two identities
/// with the same <see cref="Stored"/> and different fingerprints are different numbers.
/// </summary>
internal readonly record struct NationalIdentity(Guid Stored, ulong Fingerprint);

/// <summary>
/// Records an engine has made ready to store off the writing thread (<see cref="IDonorStore.PrepareEnrolled"/>,
/// <see cref="IAuditLog.PrepareMany"/>): the engine's own form of them (<see cref="Prepared{T}"/>), which only that
/// engine stores.
/// </summary>
internal abstract class PreparedRecords;

/// <summary>An engine's own form of records made ready to store; <see cref="Of"/> takes it back, refusing another engine's.</summary>
internal sealed class Prepared<T>(T value) : PreparedRecords
{
    /// <summary>The engine's form of the records in <paramref name="records"/>.</summary>
    public static T Of(PreparedRecords records) =>
        records is Prepared<T> prepared
            ? prepared.Value
            : throw new ArgumentException("The records were made ready by another engine (an internal error).", nameof(records));

    private T Value => value;
}

/// <summary>A donor holding an identity, with the proof that confirms (under their data key) which ID they hold.</summary>
internal readonly record struct IdentityCandidate(DonorId Id, byte[]? Proof);

/// <summary>What the search index keeps of a listed donor, read by the engine without building the whole record.</summary>
internal readonly record struct SearchRow(long Id, int Version, DonorState State, DateOnly BirthDate, Sex Sex, CmvStatus Cmv, AboGroup Abo, IReadOnlyDictionary<string, string> Loci);

internal interface IDonorStore : IAggregateStore<DonorId, Donor>
{
    /// <summary>
    /// Makes enrolled donors ready to store, in the engine's own form (documents built and sealed); on any thread,
    /// touching no storage, so the enrolment pipeline's preparing thread does it while the writer stores the chunk
    /// before. Only this engine's <see cref="InsertEnrolled(PreparedRecords)"/> takes the result.
    /// </summary>
    PreparedRecords PrepareEnrolled(IReadOnlyList<NewDonor> donors);

    /// <summary>Stores enrolled donors made ready by <see cref="PrepareEnrolled"/>; inside a write. Identities are not unique (ADR 12): the caller checks candidates first.</summary>
    void InsertEnrolled(PreparedRecords donors);

    /// <summary>Stores enrolled donors; inside a write (<see cref="PrepareEnrolled"/>, then <see cref="InsertEnrolled(PreparedRecords)"/>).</summary>
    void InsertEnrolled(IReadOnlyList<NewDonor> donors) => InsertEnrolled(PrepareEnrolled(donors));

    /// <summary>Sets the identity, its proof and the sealed personal data (null erases both) on a loaded donor, stored with its next update.</summary>
    void SetIdentity(Loaded<Donor> donor, NationalIdentity identity, byte[]? sealedPersonalData, byte[]? identityProof = null);

    /// <summary>The identity hash of a loaded donor.</summary>
    Guid IdentityOf(Loaded<Donor> donor);

    /// <summary>The sealed personal data of a donor, or null once erased; throws <see cref="DonorNotFoundException"/>.</summary>
    byte[]? SealedPersonalData(DonorId id);

    /// <summary>
    /// The candidates for holding a national ID, with their proofs: every donor stored with the same identity
    /// (<see cref="NationalIdentity.Stored"/>, a handful at most), except that an engine may leave them all out when it
    /// knows none of them holds this number (no write since it opened carried the <see cref="NationalIdentity.Fingerprint"/>,
    /// and no donor held the stored identity when it opened). Every donor who holds the number is among them.
    /// </summary>
    IReadOnlyList<IdentityCandidate> FindByIdentity(NationalIdentity identity);

    /// <summary>
    /// The candidates for each of a batch's national IDs, in one read, keyed by <see cref="NationalIdentity.Stored"/>
    /// (as <see cref="FindByIdentity"/>); an identity without candidates is absent.
    /// </summary>
    IReadOnlyDictionary<Guid, IReadOnlyList<IdentityCandidate>> FindByIdentities(IReadOnlyCollection<NationalIdentity> identities);

    /// <summary>A page of the donors in a state, in a stable order of the engine's choosing (a state may hold millions).</summary>
    IReadOnlyList<Donor> FindByState(DonorState state, int skip, int limit);

    /// <summary>A page of a drive's donors in id order.</summary>
    IReadOnlyList<Donor> FindByDrive(DriveId drive, int skip, int limit);

    /// <summary>A drive's donors in one state, in id order.</summary>
    IReadOnlyList<Donor> FindByDriveAndState(DriveId drive, DonorState state);

    int CountByState(DonorState state);

    int Count();

    /// <summary>How many donors a drive enrolled, and how many of them were ever listed.</summary>
    (int Enrolled, int EverListed) CountByDrive(DriveId drive);

    /// <summary>The drive a donor enrolled through, if any; null for an unknown donor too.</summary>
    DriveId? DriveOf(DonorId id);

    /// <summary>Donors whose calendar day (deferral end, recovery end, leaving age) is on or before <paramref name="day"/>.</summary>
    IReadOnlyList<Loaded<Donor>> FindDueBy(DateOnly day);

    /// <summary>The ids of withdrawn donors.</summary>
    IReadOnlyList<DonorId> FindWithdrawn();

    /// <summary>Listed donors in the given states, as the search index keeps them.</summary>
    IEnumerable<SearchRow> ScanForSearch(IReadOnlyCollection<DonorState> states);

    /// <summary>Donors in the given states, whole.</summary>
    IEnumerable<Donor> FindInStates(IReadOnlyCollection<DonorState> states);
}


internal interface ISampleStore : IAggregateStore<string, Sample>
{
    IReadOnlyList<Sample> FindByDonor(DonorId donor);

    IReadOnlyList<Sample> FindByDrive(DriveId drive);

    /// <summary>When the donor gave their first sample, if they gave any.</summary>
    DateTimeOffset? FirstCollectedAt(DonorId donor);

    void InsertShipment(Shipment shipment);

    Shipment? FindShipment(string id);

    /// <summary>
    /// The samples that these barcodes name, by barcode, in one indexed read (ready to update, as
    /// <see cref="IAggregateStore{TKey, T}.Find"/> gives them); a barcode no sample has is absent.
    /// </summary>
    IReadOnlyDictionary<string, Loaded<Sample>> FindMany(IReadOnlyCollection<string> barcodes);
}

internal interface ICaseStore : IAggregateStore<CaseReference, MatchCase>
{
    IReadOnlyList<MatchCase> FindByDonor(DonorId donor);

    IReadOnlyList<MatchCase> FindOpenedBetween(DateTimeOffset from, DateTimeOffset until);
}

internal interface IDriveStore : IAggregateStore<DriveId, Drive>
{
    IReadOnlyList<Drive> FindAll();

    void InsertLecture(Lecture lecture);

    IReadOnlyList<Lecture> FindLectures(DriveId drive);

    IReadOnlyList<Lecture> FindLectures(DateOnly from, DateOnly to);
}

internal interface IDonationStore : IAggregateStore<string, DonationRecord>
{
    IReadOnlyList<DonationRecord> FindByDonor(DonorId donor);

    IReadOnlyList<DonationRecord> FindAll();

    IReadOnlyList<DonationRecord> FindFollowUpDueBefore(DateOnly day);

    IReadOnlyList<DonationRecord> FindVisitDueBy(DateOnly day);

    IReadOnlyList<DonationRecord> FindCollectedBetween(DateOnly from, DateOnly to);

    bool HasPublicityConsent(DonorId donor);

    /// <summary>Records a consent given or withdrawn, with who and when; inside a write.</summary>
    void SetPublicityConsent(DonorId donor, bool consent, string actor, DateTimeOffset at);

    void InsertRecognition(Recognition recognition);

    IReadOnlyList<Recognition> FindRecognitions(DateOnly from, DateOnly to);

    IReadOnlyList<Recognition> FindRecognitions(DonorId donor);

    /// <summary>
    /// Up to <paramref name="limit"/> donors' publicity consents, each with its whole history in the order given, of
    /// donors numbered above <paramref name="after"/>, in donor order: a copy into another engine reads them a page at
    /// a time (ADR 22).
    /// </summary>
    IReadOnlyList<PublicityConsent> ReadPublicityConsents(long after, int limit);

    /// <summary>
    /// Stores donors' consents with their history as another engine kept them (a copy, ADR 22, a page at once); inside
    /// a write. The donors must hold no consent yet, each once; no history may be empty.
    /// </summary>
    void InsertPublicityConsents(IReadOnlyList<PublicityConsent> consents);
}

internal interface IVolunteerStore : IAggregateStore<string, VolunteerHonour>
{
    /// <summary>The volunteers named between two days, by day and number.</summary>
    IReadOnlyList<VolunteerHonour> FindNamedBetween(DateOnly from, DateOnly to);
}

internal interface IUserStore : IAggregateStore<string, UserAccount>
{
    /// <summary>Every account, by user name.</summary>
    IReadOnlyList<UserAccount> FindAll();

    /// <summary>How many accounts there are.</summary>
    int Count();
}

/// <summary>One entry of the search log.</summary>
internal readonly record struct SearchLogEntry(DateTimeOffset At, int Candidates, int Matches, int MaxMismatches);

/// <summary>A re-collected sample: a donor who had given a sample before gave another.</summary>
internal readonly record struct Recollection(string Barcode, DonorId Donor, DriveId? Drive, DateTimeOffset At, DateOnly FirstSampledOn);

internal interface IReportData
{
    /// <summary>Adds to a metric's count for a day and drive; inside a write.</summary>
    void AddCount(DateOnly day, DriveId? drive, string metric, int n);

    /// <summary>Adds each count to its day, drive and metric's (a key given twice adds twice); inside a write. A copy from another engine adds a page at once.</summary>
    void AddCounts(IReadOnlyList<DailyCount> counts);

    /// <summary>The metrics' totals over the days, for one drive or all.</summary>
    IReadOnlyDictionary<string, int> SumCounts(DateOnly from, DateOnly to, DriveId? drive);

    void InsertRecollection(Recollection recollection);

    IReadOnlyList<Recollection> FindRecollections(DateTimeOffset from, DateTimeOffset until);

    /// <summary>Appends search-log entries; these are the only writes that need no write of the pipeline (they change no record).</summary>
    void AppendSearchLog(IReadOnlyList<SearchLogEntry> entries);

    IReadOnlyList<SearchLogEntry> FindSearchLog(DateTimeOffset from, DateTimeOffset until);

    /// <summary>
    /// Up to <paramref name="limit"/> per-day counts after <paramref name="after"/> (null: from the first), in the order
    /// of <see cref="DailyCount.Order"/> (day, drive, metric; a copy into another engine reads them a page at a time).
    /// </summary>
    IReadOnlyList<DailyCount> ReadCounts(DailyCount? after, int limit);

    /// <summary>Up to <paramref name="limit"/> re-collections with barcodes after <paramref name="after"/> (ordinal), in barcode order.</summary>
    IReadOnlyList<Recollection> ReadRecollections(string after, int limit);

    /// <summary>Up to <paramref name="limit"/> search-log entries numbered above <paramref name="after"/>, in the order written, with their numbers.</summary>
    IReadOnlyList<Numbered<SearchLogEntry>> ReadSearchLog(long after, int limit);
}

/// <summary>An entry of a log with the number the engine gave it (the order written).</summary>
internal readonly record struct Numbered<T>(long Number, T Entry);

/// <summary>A day's count of one metric for one drive (null: donors who came from no drive).</summary>
internal readonly record struct DailyCount(DateOnly Day, DriveId? Drive, string Metric, int N)
{
    /// <summary>The order counts are read in: by day, then drive code (ordinal; no drive first), then metric (ordinal).</summary>
    public static int Order(DailyCount a, DailyCount b)
    {
        var byDay = a.Day.CompareTo(b.Day);
        if (byDay != 0)
        {
            return byDay;
        }

        var byDrive = string.CompareOrdinal(a.Drive?.Value ?? "", b.Drive?.Value ?? "");
        return byDrive != 0 ? byDrive : string.CompareOrdinal(a.Metric, b.Metric);
    }
}

/// <summary>A publicity consent given or withdrawn: which, who recorded it, when.</summary>
internal readonly record struct PublicityChange(bool Consent, string Actor, DateTimeOffset At);

/// <summary>A donor's publicity consent: the one in force, since when, and every consent given or withdrawn in order.</summary>
internal sealed record PublicityConsent(DonorId Donor, bool Consent, DateTimeOffset Since, IReadOnlyList<PublicityChange> History)
{
    /// <summary>Equal when every field is, the history in order.</summary>
    public bool Equals(PublicityConsent? other) =>
        other is not null && Donor == other.Donor && Consent == other.Consent && Since == other.Since && History.SequenceEqual(other.History);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Donor, Consent, Since, History.Count);

    /// <summary>Refuses a missing list or consent, a donor given twice, and what <see cref="CheckHistory"/> refuses.</summary>
    public static void CheckAll(IReadOnlyList<PublicityConsent> consents)
    {
        var seen = new HashSet<DonorId>();
        foreach (var consent in Guard.NotNull(consents, nameof(consents), "give the donors' consents with their history"))
        {
            Guard.NotNull(consent, "consent", "give each donor's consent with its history").CheckHistory();
            if (!seen.Add(consent.Donor))
            {
                throw new RegistryValidationException("consent", consent.Donor.ToString(), "is given twice", "give each donor's consent once");
            }
        }
    }

    /// <summary>Refuses a consent with no history, or whose history does not end in the consent in force.</summary>
    public void CheckHistory()
    {
        if (History is not { Count: > 0 } || History[^1].Consent != Consent)
        {
            throw new RegistryValidationException("consent", Donor.ToString(), History is not { Count: > 0 } ? "has no history" : "is not the last one its history gives",
                "give every consent given or withdrawn, in order, the last one the consent in force");
        }
    }
}

/// <summary>The names of the per-day metrics.</summary>
internal static class Metric
{
    /// <summary>Donors enrolled.</summary>
    public const string Enrolled = "enrolled";

    /// <summary>Donors listed for the first time (entered the registry).</summary>
    public const string Listed = "listed";

    /// <summary>Samples collected (re-collections included).</summary>
    public const string SamplesCollected = "samples_collected";

    /// <summary>Donors who gave their first sample.</summary>
    public const string DonorsFirstSampled = "donors_first_sampled";

    /// <summary>Samples typed (their typing entered into the registry).</summary>
    public const string SamplesTyped = "samples_typed";
}
