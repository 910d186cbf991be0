using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.FakeData;
using DonorRegistry.Search;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using LiteDB;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// A registry file of N listed donors with synthetic typings, for search benchmarks. The donors are written
/// straight into the store as listed documents (a million through the verbs would take an hour of setup);
/// the file is kept in the temp folder and reused by later benchmark processes.
/// </summary>
internal static class SearchFixture
{
    /// <summary>Bump when the document layout or the generator changes, so stale cached fixtures are not reused.</summary>
    // 2: key store format DRKEYS02 (ADR 11); 3: donors' search rows (ADR 13); 4: rows without state (ADR 16), and 4.5 %
    // of the donors listed but not available (2.5 % deferred, 1 % reserved, 1 % recovering after a donation), as a
    // registry has them.
    private const int FixtureVersion = 4;

    private static readonly RegistryKey Key = RegistryKey.FromBase64("YmVuY2gtc2VhcmNoLWZpeHR1cmUta2V5LTMyLWJ5dGU=");

    public static RegistryOptions Options(int donors) => CachedFixture.Options($"search-{donors}-{FixtureVersion}", Key, options => Create(options, donors));

    /// <summary>Patients typed at all five loci, drawn from the same population as the donors.</summary>
    public static IReadOnlyList<SearchRequest> TenOfTenRequests(int count)
    {
        var synthetic = new SyntheticHla(seed: 424_242) { ThreeLocusShare = 0 };
        var today = Workloads.Today();
        return Enumerable.Range(0, count)
            .Select(_ => new SearchRequest(HlaTyping.FromLoci(synthetic.Next(today).Loci)) { MaxMismatches = 2, Limit = 100 })
            .ToList();
    }

    private static void Create(RegistryOptions options, int donors)
    {
        using var registry = Registry.Open(options);
        var store = registry.Store;
        var policy = new EligibilityPolicy();
        var synthetic = new SyntheticHla(seed: 2026);
        var random = new Random(2026);
        var today = Workloads.Today();
        var now = TimeProvider.System.GetUtcNow();
        const int Batch = 20_000;
        for (var done = 0; done < donors; done += Batch)
        {
            var count = Math.Min(Batch, donors - done);
            store.Write(() =>
            {
                var first = store.AllocateDonorIds(count);
                store.Keys.WriteRange(first, Enumerable.Repeat(new byte[DonorRegistry.Protection.PersonalDataCipher.WrappedKeyLength], count).ToList()); // a slot per donor number, as the open checks (ADR 11)
                var documents = new List<BsonDocument>(count);
                for (var i = 0; i < count; i++)
                {
                    var profile = new DonorProfile(
                        random.Next(2) == 0 ? Sex.Female : Sex.Male,
                        today.AddDays(-random.Next(18 * 365, 59 * 365)),
                        (AboGroup)random.Next(1, 5),
                        RhD.Positive,
                        (CmvStatus)random.Next(0, 3),
                        new DriveId("BENCH"));
                    var donor = new Donor(new DonorId(first + i), profile, now) { State = DonorState.Available, Version = 4, Typing = synthetic.Next(today) };
                    var caseReference = new CaseReference($"CASE-BENCH-{first + i}");
                    switch ((done + i) % 200)
                    {
                        case < 5:
                            donor.State = DonorState.TemporarilyUnavailable;
                            donor.DeferredUntil = today.AddDays(30);
                            break;
                        case < 7:
                            donor.State = DonorState.Reserved;
                            donor.ReservedFor = caseReference;
                            break;
                        case < 9:
                            donor.State = DonorState.Donated;
                            donor.LastDonation = new Donation(caseReference, DonationProduct.Pbsc, today.AddDays(-30));
                            donor.RecoveryUntil = today.AddDays(60);
                            break;
                    }

                    var document = DonorDocuments.Write(donor, new BsonDocument(), policy);
                    var sealedData = new byte[300];
                    random.NextBytes(sealedData);
                    document["pd"] = sealedData;
                    document["nid"] = Guid.NewGuid();
                    documents.Add(document);
                }

                store.Collection(DonorDocuments.Collection).InsertBulk(documents);
                return 0;
            });
        }

        store.Write(store.RebuildSearchRows); // the documents went straight into the file: write their search rows (ADR 13)
    }
}
