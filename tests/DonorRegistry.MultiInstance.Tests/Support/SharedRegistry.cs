using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Hla;
using DonorRegistry.PostgreSql;
using DonorRegistry.Protection;
using DonorRegistry.Search;
using Npgsql;

namespace DonorRegistry.MultiInstance.Tests.Support;

/// <summary>
/// A registry on a schema of its own with <c>count</c> donors listed with one typing, and its key store in a temp folder.
/// Each application instance opens it with a copy of the key store (<see cref="KeyStoreCopy"/>): the key store is a local
/// file locked by the instance that opens it, and transitions of existing donors never write to it (ADR 18).
/// </summary>
internal sealed class SharedRegistry : IDisposable
{
    public const string By = "coordinator.li";

    public SharedRegistry(int count, TimeProvider? time = null, string? server = null)
    {
        Schema = PgServer.NewSchema("multi", server);
        Folder = Directory.CreateTempSubdirectory("multi-instance-").FullName;
        Time = time ?? TimeProvider.System;
        using var registry = Registry.Create(Options(Path.Combine(Folder, "keys")));
        var today = Today;
        var volunteers = new Volunteers();
        var loci = Volunteers.Typing(today).Loci;
        foreach (var donor in registry.Donors.EnrolMany(volunteers.Many(count, today), "organizer.wang"))
        {
            registry.Donors.RecordSampleCollected(donor.Id, null, By);
            registry.Donors.RecordTyping(donor.Id, new TypingResult("中华骨髓库 HLA 实验室", today, loci), By);
            registry.Donors.List(donor.Id, By);
        }
    }

    public PgServer.Schema Schema { get; }

    public string Folder { get; }

    public RegistryKey Key { get; } = RegistryKey.Generate();

    public TimeProvider Time { get; }

    public DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    /// <summary>The patient every donor matches (they share one typing).</summary>
    public SearchRequest Patient => new(HlaTyping.FromLoci(Volunteers.Typing(Today).Loci)) { Limit = 10_000 };

    /// <summary>The options of one instance, with its own key-store path; <paramref name="application"/> names its connections on the server.</summary>
    public RegistryOptions Options(string keyStorePath, string? application = null)
    {
        var connection = new NpgsqlConnectionStringBuilder(Schema.ConnectionString) { ApplicationName = application ?? "DonorRegistry" }.ConnectionString;
        return new RegistryOptions { RegistryKey = Key, KeyStorePath = keyStorePath, TimeProvider = Time }.UsePostgreSql(connection);
    }

    /// <summary>A copy of the key store and its ledger for one more instance (made while no instance holds the original).</summary>
    public string KeyStoreCopy(string name)
    {
        var original = Path.Combine(Folder, "keys");
        var copy = Path.Combine(Folder, name + ".keys");
        File.Copy(original, copy);
        File.Copy(WithdrawalLedger.PathFor(original), WithdrawalLedger.PathFor(copy));
        return copy;
    }

    /// <summary>Opens one more instance in this process, on a copy of the key store.</summary>
    public Registry Open(string name) => Registry.Open(Options(KeyStoreCopy(name), name));

    /// <summary>The donors the store holds as available: what every instance's search must find.</summary>
    public static HashSet<long> AvailableInStore(Registry registry) =>
        registry.Donors.FindByState(DonorState.Available, 0, 100_000).Select(d => d.Id.Value).ToHashSet();

    /// <summary>The donors an instance's search finds now.</summary>
    public HashSet<long> Found(Registry registry) => registry.Search.Find(Patient).Matches.Select(m => m.DonorId.Value).ToHashSet();

    public void Dispose()
    {
        Schema.Dispose();
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
