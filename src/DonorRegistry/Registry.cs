using DonorRegistry.Access;
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
/// using var registry = Registry.Create(new RegistryOptions { DatabasePath = "chaoyang.db", RegistryKey = key }); // Registry.Open from then on
/// var donor = registry.Donors.Enrol(request, by: "organizer.wang");
/// </code>
/// </example>
public sealed class Registry : IDisposable
{
    private readonly IRegistryStorage _store;
    private readonly SearchLogWriter _searchLog;
    private bool _disposed;

    internal Registry(RegistryOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory, bool create)
    {
        Guard.NotNull(options, nameof(options), "give a value; null is not allowed");
        options.Validate();
        TimeProvider = timeProvider;
        var policy = options.Eligibility.Clone(); // the rules cannot change under an open registry
        create |= options.CreateIfMissing && (options.Engine?.NothingExists(options) ?? LiteDbStorage.NothingExists(options));
        _store = options.Engine is { } engine
            ? engine.Open(options, policy, timeProvider.GetUtcNow(), create)
            : LiteDbStorage.Open(options, policy, timeProvider.GetUtcNow(), create);
        var writes = new RegistryWrites(_store, options, timeProvider);
        Writes = writes;
        _searchLog = new SearchLogWriter(_store);
        Donors = new DonorOperations(writes, options, policy, timeProvider, loggerFactory.CreateLogger<DonorOperations>());
        Search = new DonorSearch(writes, _searchLog, options, timeProvider);
        Cases = new CaseOperations(writes, Donors, options, timeProvider);
        Samples = new SampleOperations(writes, Donors, options, timeProvider);
        Drives = new DriveOperations(writes, Donors, options, timeProvider);
        Care = new CareOperations(writes, Donors, Cases, options, policy, options.Care.Clone(), timeProvider);
        Reports = new ReportOperations(_store, writes.Access, _searchLog, options, Drives, Care, timeProvider);
        Access = new AccessOperations(_store, writes.Access);
        Users = new UserOperations(writes, options);
        DatabasePath = _store.Path;
        try
        {
            ApplyLedger();

            // Other instances' commits reach this one's search index (an engine several instances share, ADR 21).
            _store.Follow(writes.ApplyExternal);
        }
        catch
        {
            Dispose();
            throw;
        }
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

    /// <summary>The accounts of the people who sign in to a host: roles, password hashes, failed sign-ins.</summary>
    public UserOperations Users { get; }

    /// <summary>The access log: refused attempts and personal-data reads, apart from the audit trails.</summary>
    public AccessOperations Access { get; }

    /// <summary>Searches for donors who match a patient.</summary>
    public DonorSearch Search { get; }

    /// <summary>The full path of the registry file, or <see cref="RegistryOptions.InMemoryPath"/>; on a database server, the server, database and schema (no password).</summary>
    public string DatabasePath { get; }

    /// <summary>The full path of the key store (links resolved), or null for an in-memory registry or keys kept on a database server (ADR 20).</summary>
    public string? KeyStorePath => _store.Keys is { IsFile: true, Path: not RegistryOptions.InMemoryPath } keys ? keys.Path : null;

    /// <summary>
    /// The full path of the withdrawal ledger beside the key store (<see cref="KeyStorePath"/> + <c>.withdrawals</c>),
    /// or null in memory: donor numbers and instants of every withdrawal, no personal data. Give it to
    /// <see cref="Restore"/> so a restored backup keeps every withdrawal made since.
    /// </summary>
    public string? WithdrawalLedgerPath => KeyStorePath is { } keys ? Protection.WithdrawalLedger.PathFor(keys) : null;

    /// <summary>The clock the registry uses.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The open LiteDB engine, for benchmarks that compare against bare LiteDB and for the workflows' store (ADR 5).</summary>
    /// <exception cref="RegistryValidationException">The registry is on another engine.</exception>
    internal LiteDbStorage Store => _store as LiteDbStorage
        ?? throw new RegistryValidationException(nameof(RegistryOptions.Engine), null, "is not LiteDB", $"this part (the workflows' store, a LiteDB benchmark) needs a registry on a LiteDB file; this one is on {_store.Path}");

    /// <summary>The open engine, whichever it is.</summary>
    internal IRegistryStorage Storage => _store;

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
            throw new RegistryValidationException(nameof(kind), kind.ToString(), "is not a kind of record", "use Donor, Sample, Case, Drive, Donation, Volunteer or User");
        }

        if (string.IsNullOrWhiteSpace(id) || (kind == AggregateKind.Donor && !DonorId.TryParse(id, out _)))
        {
            throw new RegistryValidationException(nameof(id), Guard.Prefix(id), "is not an id", kind == AggregateKind.Donor ? "give a donor id such as DR-00000042" : "give the record's id");
        }

        var key = kind == AggregateKind.Donor ? DonorId.Parse(id).ToString() : id;
        var version = Writes.VersionOf(kind, key); // the record first, then its trail (see RegistryWrites.Whole)
        var history = _store.Audit.History(kind, key);
        return version is { } at ? Writes.Whole(kind, key, at, history) : history;
    }

    /// <summary>
    /// Reads everything once and reports every problem found, without stopping at the first: each document decodes and
    /// matches its seal; each record's state has its audit record and its audit chain holds; every number a sequence handed out names a record;
    /// each donor whose personal data is kept has a key slot that opens; the database's indexes and the in-memory search
    /// index agree with the documents. Writers wait while it runs (it reads the whole registry).
    /// </summary>
    /// <returns>The report; <see cref="Verification.VerificationReport.IsClean"/> when nothing was found.</returns>
    /// <remarks>
    /// On PostgreSQL it reads the tables in one read-only snapshot: this instance's writers wait, other instances' go on
    /// unseen. Its documents carry no per-document seal (ADR 18), so there a document is held to its columns, its audit
    /// trail, its sealed personal data and its search row instead, and the server's indexes to their tables
    /// (docs/architecture.md, "Verification").
    /// </remarks>
    /// <exception cref="RegistryUnavailableException">The registry is on a database server that failed or could not be reached while it read.</exception>
    public Verification.VerificationReport Verify() => _store.Verify(new Verification.VerificationInputs(Writes.Pipeline.Chain, Search.IndexSnapshot));

    /// <summary>
    /// Creates a new registry: its database, its key store and the withdrawal ledger beside it, bound together by a
    /// new registry id. It never writes over an existing file. <see cref="RegistryOptions.InMemoryPath"/> gives a new
    /// in-memory registry.
    /// </summary>
    /// <param name="options">Where the files go, the registry key, and the rules.</param>
    /// <returns>The new, open registry.</returns>
    /// <exception cref="RegistryValidationException">An option is missing or out of range.</exception>
    /// <exception cref="RegistryPathException">A file already exists there, its folder does not exist, the path is a folder, or access is denied.</exception>
    /// <exception cref="RegistryInUseException">The file is already open in this or another process.</exception>
    public static Registry Create(RegistryOptions options)
    {
        Guard.NotNull(options, nameof(options), "give a value; null is not allowed");
        return new Registry(options, options.TimeProvider ?? TimeProvider.System, options.LoggerFactory ?? NullLoggerFactory.Instance, create: true);
    }

    /// <summary>
    /// Opens an existing registry. Before anything is written it checks that the database, the key store and the
    /// withdrawal ledger are whole and belong together (the same registry id, the registry key, a key store no older
    /// than the database); then it applies every ledger withdrawal the database lacks. It never creates a registry
    /// (see <see cref="Create"/> and <see cref="RegistryOptions.CreateIfMissing"/>), except a new in-memory one for
    /// <see cref="RegistryOptions.InMemoryPath"/>.
    /// </summary>
    /// <param name="options">Where the files are, the registry key, and the rules.</param>
    /// <returns>The open registry.</returns>
    /// <exception cref="RegistryValidationException">An option is missing or out of range.</exception>
    /// <exception cref="RegistryKeyMismatchException">The registry key or file password is not the one the registry was created with.</exception>
    /// <exception cref="NotARegistryException">The database is missing, empty, or something else.</exception>
    /// <exception cref="KeyStoreMismatchException">The key store or its ledger is missing, empty, truncated, damaged, from another registry, or older than the database.</exception>
    /// <exception cref="RegistryPathException">The folder does not exist, the path is a folder, or access is denied.</exception>
    /// <exception cref="RegistryInUseException">The file is already open in this or another process (through any path or link).</exception>
    public static Registry Open(RegistryOptions options)
    {
        Guard.NotNull(options, nameof(options), "give a value; null is not allowed");
        return new Registry(options, options.TimeProvider ?? TimeProvider.System, options.LoggerFactory ?? NullLoggerFactory.Instance, create: false);
    }

    /// <summary>
    /// Takes an online backup: a consistent copy of the database, the key store and the withdrawal ledger, written
    /// into <paramref name="folder"/> under the registry's own file names. Writers wait only while the files are
    /// copied; readers go on. Keep the key-store copies on a short rotation (see docs/getting-started.md, "Backups").
    /// </summary>
    /// <param name="folder">A folder to write the copies into; created if missing (its parent must exist). It must not hold those files already.</param>
    /// <param name="by">Who takes the backup; null is the host itself (a host actor, refused under <see cref="RegistryOptions.RequireRoles"/>).</param>
    /// <returns>Where the copies are.</returns>
    /// <exception cref="RegistryValidationException">The folder is blank, or the registry is in memory or on a database server.</exception>
    /// <exception cref="RegistryPathException">A copy already exists there, the parent folder does not exist, or access is denied.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take backups.</exception>
    public RegistryBackup Backup(string folder, Actor? by = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Writes.Access.Check(by ?? AccessControl.HostItself, RegistryAction.Backup);
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new RegistryValidationException(nameof(folder), folder, "is blank", "give the folder to write the backup into");
        }

        if (_store is not LiteDbStorage lite)
        {
            throw new RegistryValidationException(nameof(folder), Guard.Prefix(folder), "cannot take a backup of a registry on a database server", "back the database up with the server's own tools (pg_dump, base backups) and copy the key store and its ledger with it");
        }

        if (KeyStorePath is null)
        {
            throw new RegistryValidationException(nameof(folder), Guard.Prefix(folder), "cannot take a backup of an in-memory registry", "open a registry on a file to back it up");
        }

        var target = Path.GetFullPath(folder);
        var parent = Path.GetDirectoryName(target);
        if (File.Exists(target))
        {
            throw new RegistryPathException(target, "is a file, not a folder", "give a folder for the backup");
        }

        if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
        {
            throw new RegistryPathException(target, $"is in the folder '{parent}', which does not exist", "create the folder first, or give a folder in an existing one");
        }

        var backup = new RegistryBackup(Path.Combine(target, Path.GetFileName(DatabasePath)));
        try
        {
            Directory.CreateDirectory(target);
            foreach (var file in new[] { backup.DatabasePath, backup.KeyStorePath, backup.WithdrawalLedgerPath })
            {
                if (File.Exists(file))
                {
                    throw new RegistryPathException(file, "already exists, and a backup never writes over a file", "give an empty folder for each backup");
                }
            }

            lite.Backup(backup.DatabasePath, backup.KeyStorePath, backup.WithdrawalLedgerPath);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new RegistryPathException(target, "cannot be written by this process (permission denied)", "give the account that runs the registry write access to the backup folder", e);
        }

        return backup;
    }

    /// <summary>
    /// Restores a backup to new files and opens it. The backup's files are copied to <paramref name="target"/>'s
    /// paths (which must not exist), the newer withdrawal ledger is laid beside the restored key store, and the
    /// open re-applies every withdrawal made since the backup: those donors are withdrawn again, their keys
    /// destroyed and their personal data erased. A restored backup never brings a withdrawn donor back.
    /// </summary>
    /// <param name="backup">The backup's files (as <see cref="Backup"/> returned them, or <c>new RegistryBackup(path)</c>).</param>
    /// <param name="target">The new registry's paths and key (the backup's registry key).</param>
    /// <param name="withdrawalLedgerPath">
    /// The live registry's ledger (<see cref="WithdrawalLedgerPath"/>), read and not changed; it may be in use. Null
    /// uses the backup's own ledger, which holds only the withdrawals made before the backup.
    /// </param>
    /// <returns>The restored, open registry.</returns>
    /// <exception cref="RegistryValidationException">An argument is missing, or the target is a database server.</exception>
    /// <exception cref="RegistryPathException">A backup file is missing, or a target file already exists.</exception>
    /// <exception cref="KeyStoreMismatchException">The ledger belongs to another registry, or does not continue the backup's ledger.</exception>
    public static Registry Restore(RegistryBackup backup, RegistryOptions target, string? withdrawalLedgerPath = null)
    {
        Guard.NotNull(backup, nameof(backup), "give the backup to restore");
        Guard.NotNull(target, nameof(target), "give the options of the registry to restore into");
        target.Validate();
        if (target.Engine is not null)
        {
            throw new RegistryValidationException(nameof(target), target.Engine.Describe(), "is a database server", "Restore copies a LiteDB backup into new files; restore a server database with the server's own tools (pg_restore, base backups) and the key store and its ledger beside it");
        }

        if (target.IsInMemory)
        {
            throw new RegistryValidationException(nameof(target.DatabasePath), target.DatabasePath, "is in memory", "give a file path to restore into");
        }

        var databasePath = RegistryPaths.Resolve(target.DatabasePath!, "registry database");
        var keyStorePath = RegistryPaths.Resolve(target.KeyStorePath ?? databasePath + ".keys", "key store");
        BackupFiles.Restore(backup, databasePath, keyStorePath, withdrawalLedgerPath);
        return Open(target);
    }

    /// <summary>Withdraws, through the verb, every donor the ledger lists and the database does not (a restored backup, an unfinished withdrawal), then destroys any key left.</summary>
    private void ApplyLedger()
    {
        foreach (var id in KeyLedger.UnappliedWithdrawals(_store))
        {
            Donors.Withdraw(id, Actor.Registry("withdrawal-ledger"));
        }

        KeyLedger.DestroyKeysOfWithdrawnDonors(_store);
    }

    /// <summary>Closes the file and its key store.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _searchLog.Dispose();
        }
        finally
        {
            try
            {
                Writes.AccessLog.Dispose(); // the queued refusals are stored before the file closes
            }
            finally
            {
                _store.Dispose();
            }
        }
    }
}
