using System.Collections.Concurrent;
using System.Diagnostics;
using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Search;

namespace DonorRegistry.Tests.Storage;

/// <summary>What a load run did and what it found.</summary>
internal sealed record LoadReport(
    TimeSpan Duration,
    int Writers,
    int Readers,
    long Writes,
    long Conflicts,
    long Reads,
    IReadOnlyList<string> LostUpdates,
    IReadOnlyList<string> Untyped,
    long ManagedAfterWarmUp,
    long ManagedAtEnd)
{
    public double WritesPerSecond => Writes / Duration.TotalSeconds;

    public double ReadsPerSecond => Reads / Duration.TotalSeconds;

    public double Growth => (ManagedAtEnd - ManagedAfterWarmUp) / (double)ManagedAfterWarmUp;

    public override string ToString() =>
        $"{Duration.TotalSeconds:F0} s, {Writers} writers and {Readers} readers: {Writes:N0} writes ({WritesPerSecond:N0}/s, {Conflicts:N0} refused as concurrent), " +
        $"{Reads:N0} reads ({ReadsPerSecond:N0}/s); lost updates {LostUpdates.Count}, untyped exceptions {Untyped.Count}; " +
        $"managed memory {ManagedAfterWarmUp / 1048576.0:F1} MiB after warm-up, {ManagedAtEnd / 1048576.0:F1} MiB at the end ({Growth:P1})";
}

/// <summary>
/// Writers and readers on one registry at once. Every writer changes donors with the version it last saw, so each
/// change it is told succeeded must show as exactly one version and one audit record; a change refused as concurrent
/// is the library telling it the truth. Readers search, read donors and read histories, and check what they read.
/// Anything thrown that is not one of the library's own exceptions is recorded as untyped.
/// </summary>
internal static class LoadHarness
{
    private const string By = "coordinator.load";

    public static LoadReport Run(Registry registry, IReadOnlyList<DonorId> donors, int writers, int readers, TimeSpan duration, TimeSpan warmUp)
    {
        var today = DateOnly.FromDateTime(registry.TimeProvider.GetUtcNow().UtcDateTime);
        var initial = donors.ToDictionary(id => id, id => registry.Donors.Get(id).Version);
        var acknowledged = new ConcurrentDictionary<DonorId, int>();
        var untyped = new ConcurrentQueue<string>();
        long writes = 0, conflicts = 0, reads = 0;
        var patient = HlaTyping.FromLoci(registry.Donors.Get(donors[0]).Typing!.Loci);
        using var stop = new CancellationTokenSource();

        void Guarded(Action work)
        {
            try
            {
                work();
            }
            catch (ConcurrentUpdateException)
            {
                Interlocked.Increment(ref conflicts);
            }
            catch (InvalidDonorTransitionException)
            {
                Interlocked.Increment(ref conflicts); // another writer moved the donor first; the step no longer applies
            }
            catch (Exception e) when (e is not DonorRegistryException)
            {
                untyped.Enqueue($"{e.GetType().FullName}: {e.Message}");
            }
            catch (DonorRegistryException e)
            {
                untyped.Enqueue($"unexpected {e.GetType().Name}: {e.Message}");
            }
        }

        void Writer(int seed)
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                var id = donors[random.Next(donors.Count)];
                Guarded(() =>
                {
                    var seen = registry.Donors.Get(id);
                    var changed = seen.State == DonorState.Available
                        ? registry.Donors.Defer(id, today.AddDays(30 + random.Next(60)), "出差", By, seen.Version)
                        : registry.Donors.EndDeferral(id, By, seen.Version);
                    acknowledged.AddOrUpdate(id, 1, (_, n) => n + 1);
                    Interlocked.Increment(ref writes);
                    if (changed.Version != seen.Version + 1)
                    {
                        untyped.Enqueue($"{id}: version {seen.Version} became {changed.Version}");
                    }
                });
            }
        }

        void Reader(int seed)
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                var id = donors[random.Next(donors.Count)];
                Guarded(() =>
                {
                    switch (random.Next(3))
                    {
                        case 0:
                            registry.Search.Find(new SearchRequest(patient) { MaxMismatches = 2, Limit = 20 });
                            break;
                        case 1:
                            var donor = registry.Donors.Get(id);
                            if (donor.State is not (DonorState.Available or DonorState.TemporarilyUnavailable))
                            {
                                untyped.Enqueue($"{id} read in state {donor.State}");
                            }

                            break;
                        default:
                            var history = registry.Donors.GetHistory(id);
                            if (history.Select(r => r.Version).SequenceEqual(Enumerable.Range(1, history.Count)) is false)
                            {
                                untyped.Enqueue($"{id}: history versions are not 1..{history.Count}");
                            }

                            break;
                    }

                    Interlocked.Increment(ref reads);
                });
            }
        }

        var threads = Enumerable.Range(0, writers).Select(i => new Thread(() => Writer(1000 + i)))
            .Concat(Enumerable.Range(0, readers).Select(i => new Thread(() => Reader(2000 + i))))
            .ToList();
        var clock = Stopwatch.StartNew();
        threads.ForEach(t => t.Start());
        Thread.Sleep(warmUp);
        var afterWarmUp = GC.GetTotalMemory(forceFullCollection: true);
        var (writesAtWarmUp, readsAtWarmUp) = (Interlocked.Read(ref writes), Interlocked.Read(ref reads));
        var measured = Stopwatch.StartNew();
        Thread.Sleep(duration);
        stop.Cancel();
        threads.ForEach(t => t.Join());
        var elapsed = measured.Elapsed;
        var atEnd = GC.GetTotalMemory(forceFullCollection: true);

        // Every acknowledged change is one version more, with its audit record: nothing lost, nothing doubled.
        var lost = new List<string>();
        foreach (var id in donors)
        {
            var expected = initial[id] + acknowledged.GetValueOrDefault(id);
            var stored = registry.Donors.Get(id).Version;
            var trail = registry.Donors.GetHistory(id).Count;
            if (stored != expected || trail != expected)
            {
                lost.Add($"{id}: {acknowledged.GetValueOrDefault(id)} changes acknowledged from version {initial[id]}, stored version {stored}, {trail} audit records");
            }
        }

        return new LoadReport(elapsed, writers, readers, writes - writesAtWarmUp, conflicts, reads - readsAtWarmUp, lost, untyped.ToList(), afterWarmUp, atEnd);
    }
}
