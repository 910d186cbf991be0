using DonorRegistry.Donors;
using DonorRegistry.Storage.LiteDb;
using DonorRegistry.FakeData;
using LiteDB;

namespace DonorRegistry.Benchmarks;

/// <summary>The measured workloads, shared by the BenchmarkDotNet classes and the quick mode.</summary>
internal static class Workloads
{
    public const string By = "bench";

    public static string NewFolder() => Directory.CreateTempSubdirectory("donor-registry-bench-").FullName;

    /// <summary>
    /// A registry in <paramref name="folder"/>, with durable commits (the default) unless the environment variable
    /// DONORREGISTRY_BENCH_DURABILITY says OsBuffered: to compare with a build from before durable commits existed.
    /// </summary>
    public static RegistryOptions Options(string folder, RegistryKey key) => new()
    {
        DatabasePath = Path.Combine(Directory.CreateDirectory(folder).FullName, "registry.db"),
        RegistryKey = key,
        CreateIfMissing = true, // a new folder gets a new registry; an existing one is opened with every check
        Durability = Enum.TryParse<Durability>(Environment.GetEnvironmentVariable("DONORREGISTRY_BENCH_DURABILITY"), out var durability) ? durability : Durability.Durable,
    };

    public static DateOnly Today() => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    public static List<EnrolmentRequest> Volunteers(int count, int seed = 7) =>
        new Volunteers(seed).Many(count, Today()).ToList();

    public static void EnrolInBatches(Registry registry, IReadOnlyList<EnrolmentRequest> requests, int batchSize)
    {
        for (var i = 0; i < requests.Count; i += batchSize)
        {
            registry.Donors.EnrolMany(requests.Skip(i).Take(batchSize).ToList(), By);
        }
    }

    /// <summary>Walks an enrolled donor to Available so that Defer/EndDeferral can toggle it.</summary>
    public static DonorId ListedDonor(Registry registry, DonorId id)
    {
        registry.Donors.RecordSampleCollected(id, null, By);
        registry.Donors.RecordTyping(id, FakeData.Volunteers.Typing(Today()), By);
        registry.Donors.List(id, By);
        return id;
    }

    /// <summary>One persisted lifecycle transition with its audit record, alternating Defer and EndDeferral.</summary>
    public static void Transition(Registry registry, DonorId id, ref bool deferred)
    {
        if (deferred)
        {
            registry.Donors.EndDeferral(id, By);
        }
        else
        {
            registry.Donors.Defer(id, Today().AddDays(30), "bench", By);
        }

        deferred = !deferred;
    }

    /// <summary>
    /// The baseline: bare LiteDB reads the same document and writes the same change a Defer/EndDeferral
    /// writes (state, deferral end, due day, note, version; the same indexed fields), with no lifecycle,
    /// no audit record and no explicit transaction.
    /// </summary>
    public static void BareUpdate(Registry registry, DonorId id, ref bool deferred)
    {
        var collection = registry.Store.Collection(DonorDocuments.Collection);
        var document = collection.FindById(id.Value);
        var until = Today().AddDays(30);
        document["state"] = deferred ? "Available" : "TemporarilyUnavailable";
        document["until"] = deferred ? BsonValue.Null : until.DayNumber;
        document["due"] = CalendarDue(document, deferredUntil: deferred ? null : until);
        document["note"] = deferred ? BsonValue.Null : "bench";
        document["v"] = document["v"].AsInt32 + 1;
        document.Remove(Seal.Field); // bare LiteDB keeps no seal (ADR 11); the library reads such a document unchecked
        collection.Update(document);
        deferred = !deferred;
    }

    private static readonly EligibilityPolicy Policy = new();

    /// <summary>
    /// The indexed "due" day the library's donor document keeps after the change (<c>DonorDocuments.CalendarDue</c>):
    /// the leaving date while available, the day after the deferral ends while deferred. A bare reference that left
    /// the old day in place would change one index fewer than the library on every deferral's end.
    /// </summary>
    public static int CalendarDue(BsonDocument document, DateOnly? deferredUntil)
    {
        var leaves = Policy.LeavingDate(DateOnly.FromDayNumber(document["birth"].AsInt32));
        return (deferredUntil is { } until && until.AddDays(1) < leaves ? until.AddDays(1) : leaves).DayNumber;
    }
}
