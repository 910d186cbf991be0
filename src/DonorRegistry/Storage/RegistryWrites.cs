using DonorRegistry.Access;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;

namespace DonorRegistry.Storage;

/// <summary>
/// The registry's write side: the one <see cref="ChangePipeline"/> and the seven kinds of record it changes, with
/// their effects. Every operation class writes through here; none writes to the engine any other way.
/// </summary>
internal sealed class RegistryWrites
{
    public RegistryWrites(IRegistryStorage storage, RegistryOptions options, TimeProvider time)
    {
        Storage = storage;
        AccessLog = new AccessLogWriter(storage);
        Access = new AccessControl(options.Permissions, options.RequireRoles, AccessLog, time);
        Pipeline = new ChangePipeline(storage, new Audit.AuditChain(options.RegistryKey!), time);
        Donor = new AggregateType<DonorId, Donor>
        {
            Kind = AggregateKind.Donor,
            Store = storage.Donors,
            NotFound = id => new DonorNotFoundException(id),
            AfterStep = (scope, donor, from) =>
            {
                // Entering the registry (入库) happens once per donor; the reports count it per day.
                if (donor.State == DonorState.Available && donor.FirstListedOn is null && from != nameof(DonorState.Available))
                {
                    donor.FirstListedOn = options.DayOf(scope.Now);
                    storage.Reports.AddCount(donor.FirstListedOn.Value, donor.Profile.Drive, Metric.Listed, 1);
                }
            },
            Committed = donor => DonorCommitted?.Invoke(donor),
        };
        Sample = new AggregateType<string, Sample> { Kind = AggregateKind.Sample, Store = storage.Samples, NotFound = b => new SampleNotFoundException(b) };
        Case = new AggregateType<CaseReference, MatchCase> { Kind = AggregateKind.Case, Store = storage.Cases, NotFound = c => new CaseNotFoundException(c) };
        Drive = new AggregateType<DriveId, Drive> { Kind = AggregateKind.Drive, Store = storage.Drives, NotFound = d => new UnknownDriveException(d) };
        Donation = new AggregateType<string, DonationRecord> { Kind = AggregateKind.Donation, Store = storage.Donations, NotFound = d => new DonationNotFoundException(d) };
        Volunteer = new AggregateType<string, VolunteerHonour> { Kind = AggregateKind.Volunteer, Store = storage.Volunteers, NotFound = v => new VolunteerHonourNotFoundException(v) };
        User = new AggregateType<string, UserAccount> { Kind = AggregateKind.User, Store = storage.Users, NotFound = u => new UserNotFoundException(u) };
    }

    /// <summary>Called with every donor whose change was committed, alone among writers, in commit order (the search index listens).</summary>
    public event Action<Donor>? DonorCommitted;

    /// <summary>Called, alone among writers, when the engine cannot say what other instances changed: caches built from the store must be built again.</summary>
    public event Action? CachesStale;

    public IRegistryStorage Storage { get; }

    /// <summary>
    /// Other instances' commits (<see cref="IRegistryStorage.Follow"/>), alone among writers and in commit order: their
    /// donors reach <see cref="DonorCommitted"/> as this instance's own do. The other caches need nothing: the seals of
    /// <see cref="RecentSeals"/> are kept by version, and a version is committed once in any instance.
    /// </summary>
    public void ApplyExternal(ExternalChanges changes)
    {
        if (changes.Missed)
        {
            CachesStale?.Invoke();
        }

        foreach (var donor in changes.Donors)
        {
            DonorCommitted?.Invoke(donor);
        }
    }

    /// <summary>Who may do what: checked once here for every write, and by the read verbs that reveal data.</summary>
    public AccessControl Access { get; }

    /// <summary>The access log's writer; the registry disposes it before the engine.</summary>
    public AccessLogWriter AccessLog { get; }

    public ChangePipeline Pipeline { get; }

    public AggregateType<DonorId, Donor> Donor { get; }

    public AggregateType<string, Sample> Sample { get; }

    public AggregateType<CaseReference, MatchCase> Case { get; }

    public AggregateType<DriveId, Drive> Drive { get; }

    public AggregateType<string, DonationRecord> Donation { get; }

    public AggregateType<string, VolunteerHonour> Volunteer { get; }

    public AggregateType<string, UserAccount> User { get; }

    /// <summary>
    /// One write by <paramref name="by"/> through the pipeline, once the actor is checked here (<see cref="AccessControl.Check"/>):
    /// a refusal stores nothing but its access-log entry. <paramref name="kind"/> and <paramref name="id"/> name the record
    /// a refusal is about, when there is one.
    /// </summary>
    public T Write<T>(Actor? by, RegistryAction action, Func<WriteScope, T> work, AggregateKind? kind = null, string? id = null) =>
        Pipeline.Write(Access.Check(by, action, kind, id), work);

    /// <summary>The history of one record, oldest first; throws the kind's not-found exception when there is no such record.</summary>
    public IReadOnlyList<Audit.AuditRecord> History<TKey, T>(AggregateType<TKey, T> type, TKey key)
        where T : class, IAggregate
    {
        var loaded = type.Store.Find(key) ?? throw type.NotFound(key);
        return Whole(type.Kind, loaded.Value.Key, loaded.Value.Version, Storage.Audit.History(type.Kind, loaded.Value.Key));
    }

    /// <summary>The version a stored record is at, or null when the registry holds no record of that kind and id.</summary>
    public int? VersionOf(AggregateKind kind, string id)
    {
        try
        {
            return kind switch
            {
                AggregateKind.Donor => Donor.Store.Find(DonorId.Parse(id))?.Value.Version,
                AggregateKind.Sample => Sample.Store.Find(id)?.Value.Version,
                AggregateKind.Case => Case.Store.Find(new CaseReference(id))?.Value.Version,
                AggregateKind.Drive => Drive.Store.Find(new DriveId(id))?.Value.Version,
                AggregateKind.Volunteer => Volunteer.Store.Find(id)?.Value.Version,
                AggregateKind.User => User.Store.Find(id)?.Value.Version,
                _ => Donation.Store.Find(id)?.Value.Version,
            };
        }
        catch (Exception e) when (e is RegistryValidationException or FormatException)
        {
            return null; // no record can have that id
        }
    }

    /// <summary>
    /// A record's history as read, checked against the record read just before it: a record at version n has the audit
    /// records 1..n, one each. Reads take no gate, so a writer may have committed later versions between the two reads;
    /// a trail that goes on past n without a gap is that, not damage. A trail short of n, or with a gap, means the file
    /// lost or mixed up audit records, and is named as damage, never returned short.
    /// </summary>
    public IReadOnlyList<Audit.AuditRecord> Whole(AggregateKind kind, string id, int version, IReadOnlyList<Audit.AuditRecord> history)
    {
        var whole = history.Count >= version;
        for (var i = 0; whole && i < history.Count; i++)
        {
            whole = history[i].Version == i + 1;
        }

        return whole ? history : throw new RegistryDamagedException(
            Storage.Path, $"{kind.ToString().ToLowerInvariant()} audit trail", id, $"the audit records of versions 1 to {version} (or later), one each (found {history.Count} records)");
    }
}
