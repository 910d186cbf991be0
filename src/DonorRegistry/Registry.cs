using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Reporting;
using DonorRegistry.Samples;
using DonorRegistry.Search;
using DonorRegistry.Audit;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DonorRegistry;

/// <summary>
/// An open donor registry: one LiteDB file (or memory) with its key store. Open it once per file and
/// share the instance; it is safe to use from several threads. Dispose it to close the file.
/// </summary>
/// <example>
/// <code>
/// using var registry = Registry.Open(new RegistryOptions { DatabasePath = "chaoyang.db", RegistryKey = key });
/// var donor = registry.Donors.Enrol(request, by: "organizer.wang");
/// </code>
/// </example>
public sealed class Registry : IDisposable
{
    private readonly LiteDbStorage _store;
    private readonly SearchLogWriter _searchLog;
    private bool _disposed;

    internal Registry(RegistryOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        Guard.NotNull(options, nameof(options), "give a value; null is not allowed");
        options.Validate();
        TimeProvider = timeProvider;
        var policy = options.Eligibility.Clone(); // the rules cannot change under an open registry
        _store = LiteDbStorage.Open(options, policy, timeProvider.GetUtcNow());
        var writes = new RegistryWrites(_store, options, timeProvider);
        Writes = writes;
        _searchLog = new SearchLogWriter(_store);
        Donors = new DonorOperations(writes, options, policy, timeProvider, loggerFactory.CreateLogger<DonorOperations>());
        Search = new DonorSearch(writes, _searchLog, options, timeProvider);
        Cases = new CaseOperations(writes, Donors, options, timeProvider);
        Samples = new SampleOperations(writes, Donors, options, timeProvider);
        Drives = new DriveOperations(writes, Donors, options, timeProvider);
        Care = new CareOperations(writes, Donors, Cases, options, policy, options.Care.Clone(), timeProvider);
        Reports = new ReportOperations(_store, _searchLog, options, Drives, Care);
        DatabasePath = _store.Path;
    }

    /// <summary>The donors: enrolment, lifecycle steps, queries and personal data.</summary>
    public DonorOperations Donors { get; }

    /// <summary>Reports over any period, for a drive or the whole registry, with CSV and chart export.</summary>
    public ReportOperations Reports { get; }

    /// <summary>Care after donation: donation records, follow-ups, appreciation visits, publicity consent and recognition.</summary>
    public CareOperations Care { get; }

    /// <summary>Recruitment drives and knowledge lectures: plan, enrol through, list, close, and the drive's funnel.</summary>
    public DriveOperations Drives { get; }

    /// <summary>Samples: collection, shipment to the typing lab, receipt, typing or rejection.</summary>
    public SampleOperations Samples { get; }

    /// <summary>Match cases: from the potential match through confirmatory typing and work-up to collection.</summary>
    public CaseOperations Cases { get; }

    /// <summary>Searches for donors who match a patient.</summary>
    public DonorSearch Search { get; }

    /// <summary>The full path of the registry file, or <see cref="RegistryOptions.InMemoryPath"/>.</summary>
    public string DatabasePath { get; }

    /// <summary>The clock the registry uses.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The open LiteDB engine, for benchmarks that compare against bare LiteDB.</summary>
    internal LiteDbStorage Store => _store;

    /// <summary>The write side: the change pipeline and the kinds of record it changes.</summary>
    internal RegistryWrites Writes { get; }

    /// <summary>The audit trail of any record, oldest first: one record per stored change.</summary>
    /// <param name="kind">The kind of record.</param>
    /// <param name="id">Its id as text (as <see cref="AuditRecord.Id"/> gives it).</param>
    /// <returns>The records; empty when the registry holds none for that id.</returns>
    public IReadOnlyList<AuditRecord> GetHistory(AggregateKind kind, string id)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new RegistryValidationException(nameof(kind), kind.ToString(), "is not a kind of record", "use Donor, Sample, Case, Drive or Donation");
        }

        if (string.IsNullOrWhiteSpace(id) || (kind == AggregateKind.Donor && !DonorId.TryParse(id, out _)))
        {
            throw new RegistryValidationException(nameof(id), Guard.Prefix(id), "is not an id", kind == AggregateKind.Donor ? "give a donor id such as DR-00000042" : "give the record's id");
        }

        var key = kind == AggregateKind.Donor ? DonorId.Parse(id).ToString() : id;
        var history = _store.Audit.History(kind, key);
        return Writes.VersionOf(kind, key) is { } version ? Writes.Whole(kind, key, version, history) : history;
    }

    /// <summary>
    /// Reads everything once and reports every problem found, without stopping at the first: each document decodes and
    /// matches its seal; each record's state has its audit record; every number a sequence handed out names a record;
    /// each donor whose personal data is kept has a key slot that opens; the database's indexes and the in-memory search
    /// index agree with the documents. Writers wait while it runs (it reads the whole registry).
    /// </summary>
    /// <returns>The report; <see cref="Verification.VerificationReport.IsClean"/> when nothing was found.</returns>
    public Verification.VerificationReport Verify() => new LiteDbVerifier(_store, Writes.Pipeline.Chain, Search.IndexSnapshot).Run();

    /// <summary>Opens (or creates) a registry.</summary>
    /// <param name="options">Where the file is, the registry key, and the rules.</param>
    /// <returns>The open registry.</returns>
    /// <exception cref="RegistryValidationException">An option is missing or out of range.</exception>
    /// <exception cref="RegistryKeyMismatchException">The registry key or file password is not the one the registry was created with.</exception>
    /// <exception cref="NotARegistryException">The file (or its key store) is something else.</exception>
    /// <exception cref="RegistryInUseException">The file is already open in this or another process.</exception>
    public static Registry Open(RegistryOptions options)
    {
        Guard.NotNull(options, nameof(options), "give a value; null is not allowed");
        return new Registry(options, options.TimeProvider ?? TimeProvider.System, options.LoggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>Closes the file and its key store.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _searchLog.Dispose();
        _store.Dispose();
    }
}
