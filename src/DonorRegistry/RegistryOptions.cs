using DonorRegistry.Donors;
using DonorRegistry.Hla;
using Microsoft.Extensions.Logging;

namespace DonorRegistry;

/// <summary>How to open a registry. Only <see cref="DatabasePath"/> and <see cref="RegistryKey"/> are required.</summary>
public sealed class RegistryOptions
{
    /// <summary>The <see cref="DatabasePath"/> that keeps the whole registry in memory (for tests and demos); nothing is written to disk.</summary>
    public const string InMemoryPath = ":memory:";

    /// <summary>
    /// The registry's LiteDB file: made by <see cref="Registry.Create"/>, opened by <see cref="Registry.Open"/>. Required.
    /// Use <see cref="InMemoryPath"/> for a registry that lives only as long as the process (always new).
    /// </summary>
    public string? DatabasePath { get; set; }

    /// <summary>
    /// Lets <see cref="Registry.Open"/> (and the DI container's first resolve) create the registry when none of its files
    /// exists yet: no database, no key store, no ledger (or each of them empty). When any of them exists, the open
    /// checks them all as usual and never creates over them. Default: false (an open of a missing registry is refused).
    /// </summary>
    public bool CreateIfMissing { get; set; }

    /// <summary>
    /// The master key that protects personal data. Required. Create one with <see cref="DonorRegistry.RegistryKey.Generate"/>,
    /// keep it in a secrets store, and give the same key every time the registry is opened.
    /// </summary>
    public RegistryKey? RegistryKey { get; set; }

    /// <summary>
    /// The key-store file that holds the donors' wrapped data keys. Default: <see cref="DatabasePath"/> + <c>.keys</c>.
    /// Keep its backups apart from (and shorter-lived than) the database's: destroying a key is what
    /// makes a withdrawn donor's data unreadable in every database backup.
    /// </summary>
    public string? KeyStorePath { get; set; }

    /// <summary>
    /// An optional LiteDB file password (AES, ECB mode, no integrity): a second layer over the personal-data
    /// encryption, not a replacement for it. Default: none.
    /// </summary>
    public string? FilePassword { get; set; }

    /// <summary>Ages and rest periods. Default: the China Marrow Donor Program's rules.</summary>
    public EligibilityPolicy Eligibility { get; set; } = new();

    /// <summary>
    /// HLA reference tables: G and P groups and serology from an IPD-IMGT/HLA release (<see cref="HlaReference.Load"/>),
    /// and NMDP multiple-allele codes (<see cref="HlaReference.WithMacTable"/>). Typings are checked with them when
    /// recorded. Default: <see cref="HlaReference.None"/> (names are checked; codes such as <c>A*02:AB</c> are refused).
    /// </summary>
    public HlaReference Hla { get; set; } = HlaReference.None;

    /// <summary>The rules of care after donation: follow-up years, the anonymity period, appreciation visits. Copied when the registry opens.</summary>
    public Care.CarePolicy Care { get; set; } = new();

    /// <summary>How national ID numbers are checked at enrolment. Default: <see cref="NationalIdFormat.ChineseResidentId"/>.</summary>
    public NationalIdFormat NationalIdFormat { get; set; } = NationalIdFormat.ChineseResidentId;

    /// <summary>
    /// The time zone in which instants become calendar days (ages, deferral ends, recovery ends).
    /// Default: UTC. A Beijing branch sets <c>TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")</c>.
    /// </summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>The clock. Default: <see cref="System.TimeProvider.System"/> (with DI: the container's <see cref="System.TimeProvider"/>).</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Where logs go. Default: nowhere (with DI: the container's <see cref="ILoggerFactory"/>).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// When a verb's change is on the disk. Default: <see cref="DonorRegistry.Durability.Durable"/>: a verb returns once its
    /// commit is forced to the disk, so an acknowledged enrolment or transition survives a power loss. That costs one
    /// disk flush (fsync) per commit, shared by writers that commit at the same time. How much that is depends on the
    /// disk: on a shared virtual disk it was measured at 1.8 to 2.7 ms per commit for one writer (3.7 to 6.4 times
    /// <see cref="DonorRegistry.Durability.OsBuffered"/>), and 1.5 to 2.5 times with four writers (docs/benchmarks.md,
    /// "Durable commits"). <see cref="DonorRegistry.Durability.OsBuffered"/> saves the flush, and a power loss can then
    /// lose the last seconds of acknowledged changes. Nothing changes for an in-memory registry.
    /// </summary>
    public Durability Durability { get; set; } = Durability.Durable;

    /// <summary>
    /// The largest typing-results file <see cref="Samples.SampleOperations.ImportTypingResults(Stream, string, DateOnly, Access.Actor, string?)"/>
    /// reads, in bytes: a larger one is refused with <see cref="Samples.TypingImportException"/> before anything is imported.
    /// The import reads the file as a stream, so memory does not grow with this limit. Default: 256 MiB; 1 KiB to 4 GiB.
    /// </summary>
    public long MaxTypingFileBytes { get; set; } = Samples.TypingResultsFile.DefaultMaxBytes;

    /// <summary>
    /// Which roles may take each action (<see cref="Access.RegistryAction"/>). Default: <see cref="Access.PermissionPolicy.Default"/>.
    /// Immutable; change it with <c>PermissionPolicy.Default.Allow(action, role)</c> or <c>.Deny(action, role)</c>.
    /// </summary>
    public Access.PermissionPolicy Permissions { get; set; } = Access.PermissionPolicy.Default;

    /// <summary>
    /// Refuses trusted host actors (a bare name given as <c>by</c>, or <see cref="Access.Actor.Host"/>) with
    /// <see cref="Access.AccessDeniedException"/>, so that every verb needs <see cref="Access.Actor.For"/> with the user's
    /// roles. Set it in a web app, where a bare string must not slip through. Default: false (console tools, jobs, tests).
    /// </summary>
    public bool RequireRoles { get; set; }

    /// <summary>How many failed sign-ins in a row lock a user out (<see cref="Access.UserOperations.RecordFailedSignIn"/>). Default: 5; 1 to 100.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a lockout lasts, from the failed sign-in that caused it. Default: 15 minutes; 1 second to 1 day.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Where the files are opened: the local disk, or a simulated disk in the power-loss tests.</summary>
    internal Storage.IRegistryDisk Disk { get; set; } = Storage.LocalDisk.Instance;

    /// <summary>
    /// The engine when it is not the built-in LiteDB one: set by an engine package's extension (DonorRegistry.PostgreSql's
    /// <c>UsePostgreSql</c>). Null: LiteDB on <see cref="DatabasePath"/>.
    /// </summary>
    internal Storage.IStorageEngine? Engine { get; set; }

    internal bool IsInMemory => Engine is null && DatabasePath == InMemoryPath;

    /// <summary>The calendar day an instant falls on in <see cref="TimeZone"/> (ages, deferral and recovery ends, collection days).</summary>
    internal DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>The instant a calendar day begins in <see cref="TimeZone"/>, as UTC.</summary>
    internal DateTime StartOf(DateOnly day) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), TimeZone);

    /// <summary>Checks the options and says what is missing or wrong.</summary>
    /// <exception cref="RegistryValidationException">An option is missing or out of range.</exception>
    public void Validate()
    {
        if (Engine is not null)
        {
            if (DatabasePath is not null)
            {
                throw new RegistryValidationException(nameof(DatabasePath), Guard.Prefix(DatabasePath), "is not allowed", $"RegistryOptions.DatabasePath names a LiteDB file, and this registry is on {Engine.Describe()}: leave DatabasePath unset.", $"RegistryOptions.DatabasePath names a LiteDB file, and this registry is on {Engine.Describe()}: leave DatabasePath unset.");
            }

            if (Engine.KeysOnServer && KeyStorePath is not null)
            {
                throw new RegistryValidationException(nameof(KeyStorePath), Guard.Prefix(KeyStorePath), "is not allowed", $"RegistryOptions.KeyStorePath names a key-store file, and this registry keeps its per-donor keys on the server ({Engine.Describe()}, ADR 20): leave KeyStorePath unset.", $"RegistryOptions.KeyStorePath names a key-store file, and this registry keeps its per-donor keys on the server ({Engine.Describe()}, ADR 20): leave KeyStorePath unset.");
            }

            if (!Engine.KeysOnServer && string.IsNullOrWhiteSpace(KeyStorePath))
            {
                throw new RegistryValidationException(nameof(KeyStorePath), null, "is not allowed", $"RegistryOptions.KeyStorePath is required for a registry on {Engine.Describe()}: give the key-store file (the per-donor keys in a file beside the server, ADR 18), or \"{InMemoryPath}\" for a throw-away registry, or keep the keys on the server (UsePostgreSql(connectionString, keys: …), ADR 20).", $"RegistryOptions.KeyStorePath is required for a registry on {Engine.Describe()}: give the key-store file (the per-donor keys in a file beside the server, ADR 18), or \"{InMemoryPath}\" for a throw-away registry, or keep the keys on the server (UsePostgreSql(connectionString, keys: …), ADR 20).");
            }
        }
        else if (string.IsNullOrWhiteSpace(DatabasePath))
        {
            throw new RegistryValidationException(nameof(DatabasePath), null, "is not allowed", $"RegistryOptions.DatabasePath is required: give a file path (made by Registry.Create) or \"{InMemoryPath}\".", $"RegistryOptions.DatabasePath is required: give a file path (made by Registry.Create) or \"{InMemoryPath}\".");
        }

        if (RegistryKey is null)
        {
            throw new RegistryValidationException(nameof(RegistryKey), null, "is not allowed", "RegistryOptions.RegistryKey is required: create one with RegistryKey.Generate(), store it safely, and give it every time.", "RegistryOptions.RegistryKey is required: create one with RegistryKey.Generate(), store it safely, and give it every time.");
        }

        if (KeyStorePath is not null && Engine is null && !IsInMemory
            && string.Equals(Path.GetFullPath(KeyStorePath), Path.GetFullPath(DatabasePath!), StringComparison.Ordinal))
        {
            throw new RegistryValidationException(nameof(KeyStorePath), null, "is not allowed", $"RegistryOptions.KeyStorePath '{KeyStorePath}' is the database file itself; give a separate file.", $"RegistryOptions.KeyStorePath '{KeyStorePath}' is the database file itself; give a separate file.");
        }

        Guard.NotNull(Eligibility, nameof(Eligibility), "give a value; null is not allowed");
        Guard.NotNull(TimeZone, nameof(TimeZone), "give a value; null is not allowed");
        Guard.NotNull(Hla, nameof(Hla), "give a value; null is not allowed");
        Guard.NotNull(Care, nameof(Care), "give a value; null is not allowed");
        Care.Validate();
        if (!Enum.IsDefined(NationalIdFormat))
        {
            throw new RegistryValidationException(nameof(NationalIdFormat), null, "is not allowed", $"RegistryOptions.NationalIdFormat {(int)NationalIdFormat} is not defined; use ChineseResidentId or Opaque.", $"RegistryOptions.NationalIdFormat {(int)NationalIdFormat} is not defined; use ChineseResidentId or Opaque.");
        }

        if (!Enum.IsDefined(Durability))
        {
            throw new RegistryValidationException(nameof(Durability), null, "is not allowed", $"RegistryOptions.Durability {(int)Durability} is not defined; use Durable or OsBuffered.", $"RegistryOptions.Durability {(int)Durability} is not defined; use Durable or OsBuffered.");
        }

        if (MaxTypingFileBytes is < 1024 or > 4L * 1024 * 1024 * 1024)
        {
            throw new RegistryValidationException(nameof(MaxTypingFileBytes), MaxTypingFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), "is out of range", "give 1,024 bytes to 4 GiB (4,294,967,296 bytes)");
        }

        Guard.NotNull(Permissions, nameof(Permissions), "give a value; null is not allowed (PermissionPolicy.Default is the default)");
        if (MaxFailedSignIns is < 1 or > 100)
        {
            throw new RegistryValidationException(nameof(MaxFailedSignIns), MaxFailedSignIns.ToString(System.Globalization.CultureInfo.InvariantCulture), "is out of range", "give 1 to 100 failed sign-ins");
        }

        if (LockoutDuration < TimeSpan.FromSeconds(1) || LockoutDuration > TimeSpan.FromDays(1))
        {
            throw new RegistryValidationException(nameof(LockoutDuration), LockoutDuration.ToString("c", System.Globalization.CultureInfo.InvariantCulture), "is out of range", "give 1 second to 1 day");
        }

        Guard.NotNull(Disk, nameof(Disk), "give a value; null is not allowed");
        Eligibility.Validate();
    }
}
