using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Hla;
using DonorRegistry.PostgreSql;
using DonorRegistry.Search;
using DonorRegistry.Storage;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// <c>--pg-fixture DONORS SCHEMA</c>: a registry on PostgreSQL (the server in <c>DONORREGISTRY_PG</c>, the schema
/// SCHEMA) holding DONORS listed donors, made as <see cref="SearchFixture"/> makes its LiteDB file: the registry is
/// created by <see cref="Registry.Create"/> with <c>UsePostgreSql</c>, then the donors are written straight into the
/// engine's donor store (<c>IDonorStore.InsertEnrolled</c>: the engine's own document mapping and its binary COPY of the
/// donors and their search rows), 50,000 per write, without audit records (10 million through the verbs would take
/// many hours). Typings: <see cref="SyntheticHla"/> (seed 2026, 10 % typed at A, B and DRB1 only), profiles as in
/// <see cref="SearchSpeed"/>; 4.5 % of the donors listed but not available, as in <see cref="SearchFixture"/>; 300
/// random bytes of sealed personal data each. Donors 1-16 carry the typings of the first 16 search patients
/// (<see cref="PgPatients"/>), so a search can be checked to find them. After the load the registry is opened again
/// with <see cref="Registry.Open"/> and a sample of donors is read back and compared.
/// </summary>
internal static class PgFixture
{
    private const int Batch = 50_000;

    /// <summary>The day the fixture's ages are counted from (the search harness's fixed day).</summary>
    public static readonly DateOnly Today = new(2026, 12, 6);

    public static int Run(int donors, string schema)
    {
        Console.WriteLine($"pg-fixture: {donors:N0} donors into schema {schema}, {Environment.ProcessorCount} processors, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load {PgBench.Load()}");
        PgBench.Sql(PgBench.ConnectionString("public"), $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"); // a fixture is made anew
        var options = PgFixtureKeys.Options(schema, create: true);
        var watch = Stopwatch.StartNew();
        var expected = new Dictionary<long, (DonorState State, DateOnly Birth, string A)>();
        var patients = PgPatients.Typings();
        using (var registry = Registry.Create(options))
        {
            var storage = registry.Storage;
            var policy = new EligibilityPolicy();
            var now = TimeProvider.System.GetUtcNow();
            using var batches = new BlockingCollection<List<NewDonor>>(boundedCapacity: 2);
            var producer = Task.Run(() =>
            {
                var synthetic = new SyntheticHla(seed: 2026);
                var random = new Random(2026);
                var id = 0L;
                for (var done = 0; done < donors; done += Batch)
                {
                    var count = Math.Min(Batch, donors - done);
                    var list = new List<NewDonor>(count);
                    for (var i = 0; i < count; i++)
                    {
                        id++;
                        var profile = new DonorProfile(
                            random.Next(2) == 0 ? Sex.Female : Sex.Male,
                            Today.AddDays(-random.Next(18 * 365, 59 * 365)),
                            (AboGroup)random.Next(1, 5),
                            RhD.Positive,
                            (CmvStatus)random.Next(0, 3),
                            new DriveId("BENCH"));
                        var typing = synthetic.Next(Today);
                        var donor = new Donor(new DonorId(id), profile, now) { State = DonorState.Available, Version = 4, Typing = id <= PgPatients.Planted ? patients[(int)id - 1] : typing };
                        var caseReference = new CaseReference($"CASE-BENCH-{id}");
                        switch (id % 200)
                        {
                            case < 5 when id > PgPatients.Planted:
                                donor.State = DonorState.TemporarilyUnavailable;
                                donor.DeferredUntil = Today.AddDays(30);
                                break;
                            case < 7 when id > PgPatients.Planted:
                                donor.State = DonorState.Reserved;
                                donor.ReservedFor = caseReference;
                                break;
                            case < 9 when id > PgPatients.Planted:
                                donor.State = DonorState.Donated;
                                donor.LastDonation = new Donation(caseReference, DonationProduct.Pbsc, Today.AddDays(-30));
                                donor.RecoveryUntil = Today.AddDays(60);
                                break;
                        }

                        var sealedData = new byte[300];
                        random.NextBytes(sealedData);
                        list.Add(new NewDonor(donor, new NationalIdentity(Guid.NewGuid(), 0), sealedData));
                        if (id % 9_973 == 0 || id <= PgPatients.Planted)
                        {
                            lock (expected)
                            {
                                expected[id] = (donor.State, profile.BirthDate, donor.Typing!.Loci["A"]);
                            }
                        }
                    }

                    batches.Add(list);
                }

                batches.CompleteAdding();
            });

            var written = 0;
            foreach (var list in batches.GetConsumingEnumerable())
            {
                storage.Write(() =>
                {
                    var first = storage.AllocateDonorIds(list.Count);
                    if (first != list[0].Donor.Id.Value)
                    {
                        throw new InvalidOperationException($"the registry handed out donor {first}, the fixture made {list[0].Donor.Id}: not an empty schema?");
                    }

                    PgFixtureKeys.Slots(storage, first, list.Count);
                    storage.Donors.InsertEnrolled(list);
                    return 0;
                });
                written += list.Count;
                if (written % 1_000_000 == 0 || written == donors)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {written:N0} donors in {watch.Elapsed.TotalSeconds:F0} s ({written / watch.Elapsed.TotalSeconds:F0}/s), load {PgBench.Load()}"));
                }
            }

            producer.GetAwaiter().GetResult();
        }

        var loaded = watch.Elapsed;
        PgBench.Sql(PgBench.ConnectionString(schema), "VACUUM ANALYZE donors");
        PgBench.Sql(PgBench.ConnectionString(schema), "VACUUM ANALYZE donor_search");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {donors:N0} donors in {loaded.TotalSeconds:F1} s; VACUUM ANALYZE to {watch.Elapsed.TotalSeconds:F1} s; load {PgBench.Load()}"));

        // Open again, as a registry host would, and read a sample back.
        watch.Restart();
        using (var registry = Registry.Open(PgFixtureKeys.Options(schema, create: false)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Registry.Open: {watch.Elapsed.TotalSeconds:F1} s; {registry.Storage.Donors.CountByState(DonorState.Available):N0} available"));
            var wrong = 0;
            foreach (var (id, (state, birth, a)) in expected)
            {
                var donor = registry.Donors.Get(new DonorId(id));
                if (donor.State != state || donor.Profile.BirthDate != birth || donor.Typing?.Loci["A"] != a)
                {
                    wrong++;
                    Console.WriteLine($"  donor {id} reads back as {donor.State} {donor.Profile.BirthDate} {donor.Typing?.Loci["A"]}, written as {state} {birth} {a}");
                }
            }

            Console.WriteLine($"read back {expected.Count} sampled donors: {(wrong == 0 ? "all as written" : $"{wrong} differ")}");
            return wrong == 0 ? 0 : 1;
        }
    }
}

/// <summary>
/// The fixture's registry key and per-donor key slots, in one place: the keys are a key-store file beside the server
/// for now (ADR 18); when they move to a server schema, only this class changes.
/// </summary>
internal static class PgFixtureKeys
{
    private static readonly RegistryKey Key = RegistryKey.FromBase64("YmVuY2gtc2VhcmNoLWZpeHR1cmUta2V5LTMyLWJ5dGU=");

    public static RegistryOptions Options(string schema, bool create, HlaReference? hla = null)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "donor-registry-bench")).FullName;
        var keys = Path.Combine(folder, $"pg-{schema}.keys");
        if (create)
        {
            foreach (var stale in Directory.GetFiles(folder, $"pg-{schema}.keys*"))
            {
                File.Delete(stale);
            }
        }

        return new RegistryOptions { RegistryKey = Key, KeyStorePath = keys, Hla = hla ?? HlaReference.None }.UsePostgreSql(PgBench.ConnectionString(schema));
    }

    /// <summary>A key slot per donor number, as the open checks (ADR 11); the fixture's personal data is random bytes under no key.</summary>
    public static void Slots(IRegistryStorage storage, long first, int count) =>
        storage.Keys.WriteRange(first, Enumerable.Repeat(new byte[Protection.PersonalDataCipher.WrappedKeyLength], count).ToList());
}

/// <summary>The 64 patients of <see cref="SearchSpeed"/> (seed 424,242, typed at all five loci); the first 16 are planted as donors 1-16.</summary>
internal static class PgPatients
{
    public const int Planted = 16;

    public static List<TypingResult> Typings()
    {
        var synthetic = new SyntheticHla(seed: 424_242) { ThreeLocusShare = 0 };
        return Enumerable.Range(0, 64).Select(_ => synthetic.Next(PgFixture.Today)).ToList();
    }

    public static List<SearchRequest> Requests(HlaReference reference, int limit) =>
        Typings().Select(t => new SearchRequest(reference.ParseTyping(string.Join('^', t.Loci.Values))) { MaxMismatches = 2, Limit = limit, Threshold = MatchThreshold.PGroup }).ToList();
}
