using System.Collections.Concurrent;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace DonorRegistry.Tests.Storage;

/// <summary>
/// One simulated power cut: which workload, where the cut falls, and how the registry was opened. Odd workloads
/// checkpoint the log into the data file every 8 pages, even ones at LiteDB's default of 1,000 (that is, at close).
/// </summary>
internal sealed record PowerCut(int Workload, long At, bool KeepInOrder, bool Encrypted, Durability Durability, int Writers)
{
    public override string ToString() =>
        $"workload {Workload}, cut at disk operation {At}{(KeepInOrder ? " keeping an in-order prefix of unflushed writes" : "")}{(Encrypted ? ", encrypted" : "")}, {Durability}, {Writers} writer(s)";
}

/// <summary>
/// Runs a seeded workload of enrolments and transitions on a registry over a <see cref="SimulatedDisk"/>, cuts the
/// power, writes what the disk held into real files, opens the registry on them with <see cref="Registry.Open"/>
/// and lists every broken promise: an acknowledged change missing, a state without its audit record, a donor whose
/// personal data no longer opens, a registry that no longer opens or writes.
/// </summary>
internal sealed class PowerLossHarness : IDisposable
{
    private const string By = "coordinator.li";
    private const int Steps = 24;
    private const int StepsPerWriter = 8;
    private readonly RegistryKey _key = RegistryKey.Generate();
    private int _runs;

    public string Folder { get; } = Directory.CreateTempSubdirectory("donor-registry-power-").FullName;

    private static DateOnly Today => DateOnly.FromDateTime(RegistryFixture.Start.UtcDateTime);

    /// <summary>How many disk operations the workload makes when the power stays on (the range to cut in).</summary>
    public long Measure(PowerCut cut)
    {
        var disk = new SimulatedDisk();
        Work(cut, disk, new Journal(disk), Path.Combine(NewFolder(), "registry.db"));
        return disk.Operations;
    }

    /// <summary>Runs the cut and returns what the reopened registry broke (empty: every promise kept).</summary>
    public IReadOnlyList<string> Run(PowerCut cut)
    {
        var disk = new SimulatedDisk();
        disk.CutPowerAt(cut.At, new Random(cut.Workload * 7919 + (int)cut.At), cut.KeepInOrder);
        var journal = new Journal(disk);
        Work(cut, disk, journal, Path.Combine(NewFolder(), "registry.db"));
        disk.CutPower(); // a workload that ended before the cut point is cut at its end

        var survivors = NewFolder();
        disk.SaveSurvivors(survivors);
        return Check(cut, journal, Path.Combine(survivors, "registry.db"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    private string NewFolder() => Directory.CreateDirectory(Path.Combine(Folder, (++_runs).ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;

    private RegistryOptions Options(PowerCut cut, string path, DiskChoice disk) => disk.Apply(new RegistryOptions
    {
        DatabasePath = path,
        RegistryKey = _key,
        TimeProvider = new FakeTimeProvider(RegistryFixture.Start),
        FilePassword = cut.Encrypted ? "朝阳红十字" : null,
        Durability = cut.Durability,
    });

    private void Work(PowerCut cut, SimulatedDisk disk, Journal journal, string path)
    {
        Registry? registry = null;
        try
        {
            registry = Registry.Create(Options(cut, path, new DiskChoice(disk)));
            journal.Created = !disk.PoweredOff; // a cut before this point cut the creation: nothing was acknowledged
            if (cut.Workload % 2 == 1)
            {
                registry.Store.Database.CheckpointSize = 8; // checkpoints every few commits, so cuts land in them too
            }
            if (cut.Writers == 1)
            {
                OneWriter(registry, cut.Workload, journal);
            }
            else
            {
                ManyWriters(registry, cut, journal);
            }
        }
        finally
        {
            registry?.Dispose();

            // A transaction the cut left open on a writer thread that has ended is finalized here, not in a later
            // test: LiteDB's finalizer of such a transaction ends the process unless the registry forgot it.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    private static void OneWriter(Registry registry, int seed, Journal journal)
    {
        var random = new Random(seed);
        var volunteers = new Volunteers(seed);
        for (var step = 0; step < Steps && !journal.PoweredOff; step++)
        {
            var living = journal.Living();
            var roll = random.NextDouble();
            if (living.Count == 0 || roll < 0.3)
            {
                journal.Enrol(registry, [volunteers.Next(Today)]);
            }
            else if (roll < 0.4)
            {
                journal.Enrol(registry, [volunteers.Next(Today), volunteers.Next(Today), volunteers.Next(Today)]);
            }
            else
            {
                var id = living[random.Next(living.Count)];
                journal.Change(registry, id, random.NextDouble() < 0.05 ? Withdraw : NextStep);
            }
        }
    }

    /// <summary>Enrols two donors per writer, then each writer walks its own donors through transitions at the same time.</summary>
    private static void ManyWriters(Registry registry, PowerCut cut, Journal journal)
    {
        var volunteers = new Volunteers(cut.Workload);
        var ids = journal.Enrol(registry, Enumerable.Range(0, 2 * cut.Writers).Select(_ => volunteers.Next(Today)).ToList());
        var failures = new ConcurrentQueue<Exception>();
        var writers = Enumerable.Range(0, cut.Writers).Select(w => new Thread(() =>
        {
            try
            {
                for (var step = 0; step < StepsPerWriter && !journal.PoweredOff; step++)
                {
                    journal.Change(registry, ids[(2 * w) + (step % 2)], NextStep);
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToList();
        writers.ForEach(t => t.Start());
        writers.ForEach(t => t.Join());
        if (!failures.IsEmpty)
        {
            throw new AggregateException(failures);
        }
    }

    private static Donor NextStep(Registry registry, Donor donor) => donor.State switch
    {
        DonorState.Enrolled => registry.Donors.RecordSampleCollected(donor.Id, "TUBE-" + donor.Id.Value, By, donor.Version),
        DonorState.Ineligible => registry.Donors.Rescreen(donor.Id, By, donor.Version),
        DonorState.SampleCollected => registry.Donors.RecordTyping(donor.Id, Volunteers.Typing(Today), By, donor.Version),
        DonorState.Typed => registry.Donors.List(donor.Id, By, donor.Version),
        DonorState.Available => registry.Donors.Defer(donor.Id, Today.AddDays(30), "出国交流", By, donor.Version),
        DonorState.TemporarilyUnavailable => registry.Donors.EndDeferral(donor.Id, By, donor.Version),
        _ => throw new InvalidOperationException($"The workload has no step for a donor in {donor.State}."),
    };

    private static Donor Withdraw(Registry registry, Donor donor) => registry.Donors.Withdraw(donor.Id, By, donor.Version);

    private IReadOnlyList<string> Check(PowerCut cut, Journal journal, string path)
    {
        var problems = new List<string>();
        if (!journal.Created)
        {
            return problems;
        }

        Registry registry;
        try
        {
            registry = Registry.Open(Options(cut, path, default));
        }
        catch (Exception e)
        {
            return [$"{cut}: the registry did not open on what survived: {e.GetType().Name}: {e.Message}"];
        }

        using (registry)
        {
            foreach (var (id, acknowledged) in journal.Acknowledged)
            {
                if (!registry.Donors.TryGet(id, out var stored))
                {
                    problems.Add($"{cut}: donor {id.Value}, acknowledged at version {acknowledged.Donor.Version}, is missing");
                    continue;
                }

                var inFlight = journal.InFlight.ContainsKey(id);
                if (stored.Version != acknowledged.Donor.Version && !(inFlight && stored.Version == acknowledged.Donor.Version + 1))
                {
                    problems.Add($"{cut}: donor {id.Value} is at version {stored.Version} ({stored.State}); acknowledged: {acknowledged.Donor.Version} ({acknowledged.Donor.State})");
                }

                CheckTrail(registry, stored, acknowledged.Personal, cut, problems);
            }

            var extra = registry.Donors.Count() - journal.Acknowledged.Count;
            var unacknowledged = journal.InFlight.Keys.Count(id => !journal.Acknowledged.ContainsKey(id));
            if (extra < 0 || extra > unacknowledged)
            {
                problems.Add($"{cut}: {registry.Donors.Count()} donors stored, {journal.Acknowledged.Count} acknowledged and {unacknowledged} in flight");
            }

            foreach (var (id, personal) in journal.Enrolling.Where(e => !journal.Acknowledged.ContainsKey(e.Key)))
            {
                if (registry.Donors.TryGet(id, out var stored))
                {
                    CheckTrail(registry, stored, personal, cut, problems); // an enrolment in flight lands whole or not at all
                }
            }

            try
            {
                var next = registry.Donors.Enrol(new Volunteers(-cut.Workload - 1).Next(Today), By);
                if (next.Id.Value != registry.Donors.Count())
                {
                    problems.Add($"{cut}: the next enrolment got id {next.Id.Value} with {registry.Donors.Count()} donors stored");
                }
            }
            catch (Exception e) when (e is DonorRegistryException or LiteDB.LiteException)
            {
                problems.Add($"{cut}: the reopened registry refused an enrolment: {e.Message}");
            }
        }

        return problems;
    }

    /// <summary>Every version has its audit record, the last one leads to the stored state, and the personal data opens.</summary>
    private static void CheckTrail(Registry registry, Donor stored, PersonalData personal, PowerCut cut, List<string> problems)
    {
        var history = registry.Donors.GetHistory(stored.Id);
        if (!history.Select(h => h.Version).SequenceEqual(Enumerable.Range(1, stored.Version)) || history[^1].To != stored.State.ToString())
        {
            problems.Add($"{cut}: donor {stored.Id.Value} at version {stored.Version} ({stored.State}) has audit records for versions [{string.Join(", ", history.Select(h => $"{h.Version}→{h.To}"))}]");
        }

        if (stored.State == DonorState.Withdrawn)
        {
            return;
        }

        try
        {
            if (registry.Donors.GetPersonalData(stored.Id, "coordinator.li", "read back in a test") != personal)
            {
                problems.Add($"{cut}: donor {stored.Id.Value}'s personal data came back different");
            }
        }
        catch (DonorRegistryException e)
        {
            problems.Add($"{cut}: donor {stored.Id.Value}'s personal data does not open: {e.Message}");
        }
    }

    /// <summary>What the registry acknowledged, and what it was doing when the power went.</summary>
    private sealed class Journal(SimulatedDisk disk)
    {
        private long _nextId = 1;

        /// <summary>Once the power is cut, nothing that returns is acknowledged: the process would be dead.</summary>
        public bool PoweredOff => disk.PoweredOff;

        public ConcurrentDictionary<DonorId, (Donor Donor, PersonalData Personal)> Acknowledged { get; } = new();

        public bool Created { get; set; }

        /// <summary>Donors a verb under way may have changed (or created).</summary>
        public ConcurrentDictionary<DonorId, bool> InFlight { get; } = new();

        /// <summary>The personal data of every donor an enrolment was asked for, acknowledged or not.</summary>
        public ConcurrentDictionary<DonorId, PersonalData> Enrolling { get; } = new();

        public List<DonorId> Living() =>
            Acknowledged.Where(a => a.Value.Donor.State != DonorState.Withdrawn).Select(a => a.Key).OrderBy(id => id.Value).ToList();

        public IReadOnlyList<DonorId> Enrol(Registry registry, IReadOnlyList<EnrolmentRequest> requests)
        {
            var ids = Enumerable.Range(0, requests.Count).Select(i => new DonorId(_nextId + i)).ToList();
            for (var i = 0; i < ids.Count; i++)
            {
                InFlight[ids[i]] = true;
                Enrolling[ids[i]] = requests[i].Personal;
            }

            var enrolled = registry.Donors.EnrolMany(requests, By);
            if (!enrolled.Select(d => d.Id).SequenceEqual(ids))
            {
                throw new InvalidOperationException($"The harness expected ids {ids[0].Value}-{ids[^1].Value} and got {enrolled[0].Id.Value}-{enrolled[^1].Id.Value}.");
            }

            _nextId += ids.Count;
            if (PoweredOff)
            {
                return ids;
            }

            for (var i = 0; i < ids.Count; i++)
            {
                Acknowledged[ids[i]] = (enrolled[i], requests[i].Personal);
                InFlight.TryRemove(ids[i], out _);
            }

            return ids;
        }

        public void Change(Registry registry, DonorId id, Func<Registry, Donor, Donor> verb)
        {
            var (donor, personal) = Acknowledged[id];
            InFlight[id] = true;
            var changed = verb(registry, donor);
            if (PoweredOff)
            {
                return;
            }

            Acknowledged[id] = (changed, personal);
            InFlight.TryRemove(id, out _);
        }
    }

    /// <summary>The simulated disk for the workload, the local disk (default) for the check.</summary>
    private readonly record struct DiskChoice(SimulatedDisk? Disk)
    {
        public RegistryOptions Apply(RegistryOptions options)
        {
            if (Disk is not null)
            {
                options.Disk = Disk;
            }

            return options;
        }
    }
}
