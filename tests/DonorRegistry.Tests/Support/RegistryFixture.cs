using DonorRegistry.Donors;
using Microsoft.Extensions.Time.Testing;

using DonorRegistry.FakeData;

namespace DonorRegistry.Tests.Support;

/// <summary>A real registry file in a temp folder (or a PostgreSQL schema), a fake clock, and a generator of volunteers.</summary>
internal sealed class RegistryFixture : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    /// <param name="inMemory">LiteDB in memory rather than a file.</param>
    /// <param name="configure">Changes the options.</param>
    /// <param name="postgreSql">A connection string: the registry on PostgreSQL, with its key store in the temp folder.</param>
    public RegistryFixture(bool inMemory = false, Action<RegistryOptions>? configure = null, string? postgreSql = null)
    {
        Folder = Directory.CreateTempSubdirectory("donor-registry-tests-").FullName;
        PostgreSql = postgreSql;
        DatabasePath = inMemory ? RegistryOptions.InMemoryPath : Path.Combine(Folder, "registry.db");
        Configure = configure;
        Registry = Registry.Create(Options());
    }

    public string Folder { get; }

    public string DatabasePath { get; }

    public string? PostgreSql { get; }

    public string KeyStorePath => DatabasePath + ".keys";

    public RegistryKey Key { get; } = RegistryKey.Generate();

    public FakeTimeProvider Clock { get; } = new(Start);

    public Volunteers Volunteers { get; } = new();

    public Registry Registry { get; private set; }

    public DonorOperations Donors => Registry.Donors;

    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    private Action<RegistryOptions>? Configure { get; }

    public RegistryOptions Options(string? path = null, RegistryKey? key = null)
    {
        var options = new RegistryOptions
        {
            DatabasePath = path ?? DatabasePath,
            RegistryKey = key ?? Key,
            TimeProvider = Clock,
        };
        if (PostgreSql is not null)
        {
            options.DatabasePath = null;
            options.KeyStorePath = KeyStorePath;
            global::DonorRegistry.PostgreSql.PostgreSqlRegistry.UsePostgreSql(options, PostgreSql);
        }

        Configure?.Invoke(options);
        return options;
    }

    public Registry Open() => Registry = Registry.Open(Options());

    public void Reopen()
    {
        Registry.Dispose();
        Open();
    }

    public Donor Enrol(DriveId? drive = null, int? age = null) => Donors.Enrol(Volunteers.Next(Today, drive, age), "organizer.wang");

    /// <summary>Walks a new donor to <paramref name="state"/> through the registry's own verbs.</summary>
    public Donor DonorIn(DonorState state)
    {
        const string By = "coordinator.li";
        var donor = Enrol();
        var id = donor.Id;
        return state switch
        {
            DonorState.Enrolled => donor,
            DonorState.Ineligible => Donors.ScreenOut(id, "低血红蛋白", By),
            DonorState.SampleCollected => Donors.RecordSampleCollected(id, "TUBE-" + id.Value, By),
            DonorState.Typed => Typed(id),
            DonorState.Available => Donors.List(Typed(id).Id, By),
            DonorState.TemporarilyUnavailable => Donors.Defer(Listed(id).Id, Today.AddDays(30), "出国交流", By),
            DonorState.Reserved => Donors.Reserve(Listed(id).Id, new CaseReference("CASE-" + id.Value), By),
            DonorState.Donated => Donors.RecordDonation(Donors.Reserve(Listed(id).Id, new CaseReference("CASE-" + id.Value), By).Id, DonationProduct.Pbsc, Today, By),
            DonorState.Removed => Donors.Remove(Listed(id).Id, RemovalReason.Moved, "搬到外省", By),
            DonorState.Withdrawn => Donors.Withdraw(id, By),
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Prospect is never stored; Enrol creates an Enrolled donor."),
        };

        Donor Typed(DonorId d)
        {
            Donors.RecordSampleCollected(d, "TUBE-" + d.Value, By);
            return Donors.RecordTyping(d, Volunteers.Typing(Today), By);
        }

        Donor Listed(DonorId d) => Donors.List(Typed(d).Id, By);
    }

    /// <summary>Walks an enrolled donor to <see cref="DonorState.Available"/> with <paramref name="loci"/> as the lab's typing: sample, typing, listing.</summary>
    public Donor ListTyped(DonorId id, IReadOnlyDictionary<string, string> loci, string by = "coordinator.li")
    {
        Donors.RecordSampleCollected(id, null, by);
        Donors.RecordTyping(id, new TypingResult("lab", Today, loci), by);
        return Donors.List(id, by);
    }

    /// <summary>Every byte of every file the registry wrote (database, its log, key store).</summary>
    public byte[] AllBytes() =>
        Directory.GetFiles(Folder).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)).SelectMany(File.ReadAllBytes).ToArray();

    public void Dispose()
    {
        Registry.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
