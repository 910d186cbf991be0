using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Storage.LiteDb;
using LiteDB;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// The spine's ratios against the engine doing the same work, interleaved in one run so that a noisy, shared
/// machine slows both sides alike (<c>--spine-ratios [rounds]</c>):
/// <list type="bullet">
/// <item>a persisted transition with its audit record, against bare LiteDB reading the donor and writing the same two
/// documents (the changed donor, one audit document) in one explicit transaction, on the same file and indexes;
/// over 1 donor and spread over 1,000;</item>
/// <item>enrolling 100,000 donors with encryption in batches of 1,000, against bare LiteDB inserting documents of the
/// same size with the same indexes and one audit document each, one transaction per 1,000; and, as a second
/// reference, the same bare inserts after one indexed lookup of each batch's identities (the duplicate-person check
/// the library must make, ADR 12).</item>
/// </list>
/// Each round runs every side once, in rotating order; the report gives every round's ratio and the median.
/// Both sides commit OS-buffered (see <see cref="BufferedOptions"/>).
/// </summary>
internal static class SpineRatios
{
    private const int TransitionsPerBlock = 2_000;
    private const int Enrolled = 100_000;
    private const int Batch = 1_000;

    /// <summary>The interleaved ratios (<c>--spine-ratios [rounds] [transitions|enrolment]</c>: either word runs that half alone).</summary>
    public static int Run(int rounds, bool enrolment = true, bool transitions = true)
    {
        Console.WriteLine($"spine ratios, {rounds} rounds, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        foreach (var donors in transitions ? new[] { 1, 1_000 } : [])
        {
            Transitions(donors, rounds);
        }

        if (enrolment)
        {
            Enrolment(rounds);
        }

        return 0;
    }

    /// <summary>
    /// Only one side's transitions, one donor, for a profiler (<c>--spine-profile library|bare [count]</c>, under
    /// <c>dotnet-trace collect --profile dotnet-sampled-thread-time</c>): no figure, just the work.
    /// </summary>
    public static int Profile(bool bare, int transitions)
    {
        var folder = Workloads.NewFolder();
        try
        {
            using var registry = Registry.Open(BufferedOptions(folder));
            Workloads.EnrolInBatches(registry, Workloads.Volunteers(1_000), 1_000);
            var id = Workloads.ListedDonor(registry, new DonorId(1));
            var deferred = false;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < transitions; i++)
            {
                if (bare)
                {
                    BareTransition(registry, id, ref deferred);
                }
                else
                {
                    Workloads.Transition(registry, id, ref deferred);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(bare ? "bare" : "library")}: {transitions:N0} transitions, {clock.Elapsed.TotalMilliseconds * 1000 / transitions:F1} µs each"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Transitions(int donors, int rounds)
    {
        var folder = Workloads.NewFolder();
        try
        {
            using var registry = Registry.Open(BufferedOptions(folder));
            Workloads.EnrolInBatches(registry, Workloads.Volunteers(1_000), 1_000);
            var ids = Enumerable.Range(1, donors).Select(i => Workloads.ListedDonor(registry, new DonorId(i))).ToArray();
            var deferred = new bool[donors];
            var flags = new bool[donors];
            var next = 0;
            void Library()
            {
                var i = next++ % donors;
                Workloads.Transition(registry, ids[i], ref deferred[i]);
            }

            void Bare()
            {
                var i = next++ % donors;
                BareTransition(registry, ids[i], ref flags[i]);
            }

            // Two sides in rotating order each round. A listed donor's deferral writes no search row (ADR 16), so the
            // bare side writes the issue's two documents: the donor and its audit record.
            var sides = new Func<double>[] { () => Interleaved.Time(Bare, TransitionsPerBlock), () => Interleaved.Time(Library, TransitionsPerBlock) };
            var times = Interleaved.Run(rounds, sides);
            var toTwo = times[1].Zip(times[0], (l, b) => l / b).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"transition, {donors:N0} donor(s): bare {Interleaved.Median(times[0]) * 1e6 / TransitionsPerBlock:F1} µs, library {Interleaved.Median(times[1]) * 1e6 / TransitionsPerBlock:F1} µs"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  library / bare (two documents): median {Interleaved.Median(toTwo):F3} (rounds: {string.Join(" ", toTwo.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Only the library's enrolment, for a profiler (<c>--enrol-profile [count]</c>): prints the time of every tenth
    /// batch of 1,000, so a cost that grows with the registry shows.
    /// </summary>
    public static int EnrolProfile(int count)
    {
        var folder = Workloads.NewFolder();
        try
        {
            var requests = Workloads.Volunteers(count);
            using var registry = Registry.Open(BufferedOptions(folder));
            using var promotions = new GcPromotions();
            var total = Stopwatch.StartNew();
            var allocated = GC.GetTotalAllocatedBytes();
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var paused = GC.GetTotalPauseDuration();
            for (var at = 0; at < requests.Count; at += Batch)
            {
                var watch = Stopwatch.StartNew();
                registry.Donors.EnrolMany(requests.Skip(at).Take(Batch).ToList(), Workloads.By);
                if (at / Batch % 10 == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch at {at:N0}: {watch.Elapsed.TotalMilliseconds:F0} ms"));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"enrolled {count:N0} in {total.Elapsed.TotalSeconds:F2} s ({count / total.Elapsed.TotalSeconds:N0}/s)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  allocated {(GC.GetTotalAllocatedBytes() - allocated) / (double)count:N0} B/donor; collections gen0 {GC.CollectionCount(0) - collections[0]}, gen1 {GC.CollectionCount(1) - collections[1]}, gen2 {GC.CollectionCount(2) - collections[2]}; GC pauses {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s; promoted out of gen0 {promotions.FromGen0 / (double)count:N0} B/donor, out of gen1 {promotions.FromGen1 / (double)count:N0} B/donor"));
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Enrolment(int rounds)
    {
        var requests = Workloads.Volunteers(Enrolled);
        var documents = BareDocuments(requests);

        // The process's CPU seconds during each side's timed part (every thread: the library's two, and the GC's), beside
        // the wall time: on two cores the library's second thread hides CPU the wall time does not show.
        var cpu = new[] { new List<double>(), new List<double>(), new List<double>() };
        var pauses = new[] { new List<double>(), new List<double>(), new List<double>() };
        var gen1 = new[] { new List<double>(), new List<double>(), new List<double>() };
        var allocated = new[] { new List<double>(), new List<double>(), new List<double>() };
        var promoted = new[] { new List<double>(), new List<double>(), new List<double>() };
        using var promotions = new GcPromotions();
        double Library()
        {
            var folder = Workloads.NewFolder();
            try
            {
                using var registry = Registry.Open(BufferedOptions(folder));
                var watch = Stopwatch.StartNew();
                var before = Process.GetCurrentProcess().TotalProcessorTime;
                var paused = GC.GetTotalPauseDuration();
                var collections = GC.CollectionCount(1);
                var bytes = GC.GetTotalAllocatedBytes();
                var survived = promotions.FromGen0;
                Workloads.EnrolInBatches(registry, requests, Batch);
                allocated[2].Add((GC.GetTotalAllocatedBytes() - bytes) / (double)Enrolled);
                promoted[2].Add((promotions.FromGen0 - survived) / (double)Enrolled);
                gen1[2].Add(GC.CollectionCount(1) - collections);
                cpu[2].Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
                pauses[2].Add((GC.GetTotalPauseDuration() - paused).TotalSeconds);
                return watch.Elapsed.TotalSeconds;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        double Bare() => BareEnrol(documents, withLookup: false, cpu[0], pauses[0], gen1[0], allocated[0], promoted[0], promotions);

        double BareWithLookup() => BareEnrol(documents, withLookup: true, cpu[1], pauses[1], gen1[1], allocated[1], promoted[1], promotions);

        // Three sides in rotating order each round: bare LiteDB as the issue names it, bare LiteDB that also looks up
        // each batch's national-ID identities first (the duplicate-person check the library makes, ADR 12), and the library.
        var times = Interleaved.Run(rounds, [Bare, BareWithLookup, Library]);
        Array.ForEach([.. cpu, .. pauses, .. gen1, .. allocated, .. promoted], side => side.RemoveAt(0)); // the warm-up
        var ratios = times[2].Zip(times[0], (l, b) => l / b).ToList();
        var toLookup = times[2].Zip(times[1], (l, b) => l / b).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"enrol {Enrolled:N0}: bare {Interleaved.Median(times[0]):F3} s ({Enrolled / Interleaved.Median(times[0]):N0}/s), bare with the identity lookup {Interleaved.Median(times[1]):F3} s ({Enrolled / Interleaved.Median(times[1]):N0}/s), library {Interleaved.Median(times[2]):F3} s ({Enrolled / Interleaved.Median(times[2]):N0} donors/s); ratio median {Interleaved.Median(ratios):F3} (rounds: {string.Join(" ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  library / bare with the identity lookup: median {Interleaved.Median(toLookup):F3} (rounds: {string.Join(" ", toLookup.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  CPU seconds, medians: bare {Interleaved.Median(cpu[0]):F2}, bare with the identity lookup {Interleaved.Median(cpu[1]):F2}, library {Interleaved.Median(cpu[2]):F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  GC pauses (s) and gen-1 collections, medians: bare {Interleaved.Median(pauses[0]):F2} / {Interleaved.Median(gen1[0]):F0}, bare with the identity lookup {Interleaved.Median(pauses[1]):F2} / {Interleaved.Median(gen1[1]):F0}, library {Interleaved.Median(pauses[2]):F2} / {Interleaved.Median(gen1[2]):F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocated bytes per donor, medians: bare {Interleaved.Median(allocated[0]):N0}, bare with the identity lookup {Interleaved.Median(allocated[1]):N0}, library {Interleaved.Median(allocated[2]):N0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  bytes per donor that survived a gen-0 collection, medians: bare {Interleaved.Median(promoted[0]):N0}, bare with the identity lookup {Interleaved.Median(promoted[1]):N0}, library {Interleaved.Median(promoted[2]):N0}"));
    }

    private static double BareEnrol(List<(BsonDocument Donor, BsonDocument Audit)> documents, bool withLookup, List<double> cpu, List<double> pauses, List<double> gen1, List<double> allocated, List<double> promoted, GcPromotions promotions)
    {
        var folder = Workloads.NewFolder();
        try
        {
            // The registry creates the file with its collections, collation and indexes; then LiteDB alone inserts.
            using var registry = Registry.Open(BufferedOptions(folder));
            var db = registry.Store.Database;
            var donorsCollection = registry.Store.Collection(DonorDocuments.Collection);
            var audit = registry.Store.Collection(DonorDocuments.AuditCollection);
            var watch = Stopwatch.StartNew();
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            var paused = GC.GetTotalPauseDuration();
            var collections = GC.CollectionCount(1);
            var bytes = GC.GetTotalAllocatedBytes();
            var survived = promotions.FromGen0;
            for (var i = 0; i < documents.Count; i += Batch)
            {
                db.BeginTrans();
                if (withLookup)
                {
                    var identities = new BsonArray(documents.Skip(i).Take(Batch).Select(d => d.Donor["nid"]));
                    _ = donorsCollection.Find(Where.In("nid", identities)).ToList();
                }

                donorsCollection.InsertBulk(documents.Skip(i).Take(Batch).Select(d => d.Donor));
                audit.InsertBulk(documents.Skip(i).Take(Batch).Select(d => d.Audit));
                db.Commit();
            }

            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
            pauses.Add((GC.GetTotalPauseDuration() - paused).TotalSeconds);
            gen1.Add(GC.CollectionCount(1) - collections);
            allocated.Add((GC.GetTotalAllocatedBytes() - bytes) / (double)documents.Count);
            promoted.Add((promotions.FromGen0 - survived) / (double)documents.Count);
            return watch.Elapsed.TotalSeconds;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Documents of the same size as an enrolment writes: the donor with a 300-byte sealed blob and its identity hash, and one audit document.</summary>
    private static List<(BsonDocument Donor, BsonDocument Audit)> BareDocuments(IReadOnlyList<EnrolmentRequest> requests)
    {
        var policy = new EligibilityPolicy();
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var list = new List<(BsonDocument, BsonDocument)>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var id = new DonorId(i + 1);
            var donor = new Donor(id, requests[i].Profile, now) { State = DonorState.Enrolled, Version = 1, StateSince = now };
            var document = DonorDocuments.Write(donor, new BsonDocument(), policy);
            var sealedData = new byte[300];
            random.NextBytes(sealedData);
            document["pd"] = sealedData;
            document["nid"] = Guid.NewGuid();
            list.Add((document, LiteDbAuditLog.ToDocument(new AuditRecord(AggregateKind.Donor, id.ToString(), 1, "Prospect", "Enrolled", "Enrol", Workloads.By, null, now), BareSeal)));
        }

        return list;
    }

    /// <summary>A seal's worth of bytes, so bare LiteDB's audit documents are the size of the library's.</summary>
    private static readonly byte[] BareSeal = RandomNumberGenerator.GetBytes(16);

    /// <summary>Bare LiteDB doing a transition's storage work: read the donor, write it changed and one audit document, in one explicit transaction.</summary>
    private static void BareTransition(Registry registry, DonorId id, ref bool deferred)
    {
        var db = registry.Store.Database;
        var donors = registry.Store.Collection(DonorDocuments.Collection);
        var audit = registry.Store.Collection(DonorDocuments.AuditCollection);
        db.BeginTrans();
        var document = donors.FindById(id.Value);
        var until = Workloads.Today().AddDays(30);
        var from = document["state"].AsString;
        document["state"] = deferred ? "Available" : "TemporarilyUnavailable";
        document["until"] = deferred ? BsonValue.Null : until.DayNumber;
        document["due"] = Workloads.CalendarDue(document, deferredUntil: deferred ? null : until);
        document["note"] = deferred ? BsonValue.Null : "bench";
        var version = document["v"].AsInt32 + 1;
        document["v"] = version;
        document["since"] = DateTime.UtcNow;
        document.Remove(Seal.Field); // bare LiteDB keeps no seal (ADR 11); the library reads such a document unchecked
        donors.Update(document);
        audit.Insert(LiteDbAuditLog.ToDocument(new AuditRecord(AggregateKind.Donor, id.ToString(), version + 500_000, from, document["state"].AsString, "Defer", Workloads.By, "bench", DateTimeOffset.UtcNow), BareSeal));
        db.Commit();
        deferred = !deferred;
    }

    /// <summary>
    /// The registry with OS-buffered commits, as bare LiteDB commits: these ratios measure the pipeline against the
    /// engine doing the same work; what forcing each commit to the disk costs is measured apart (ADR 8).
    /// </summary>
    private static RegistryOptions BufferedOptions(string folder)
    {
        var options = Workloads.Options(folder, RegistryKey.Generate());
        options.Durability = Durability.OsBuffered;
        return options;
    }
}
