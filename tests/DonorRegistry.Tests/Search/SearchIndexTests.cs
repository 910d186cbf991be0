using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.FakeData;
using DonorRegistry.Search;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Search;

public sealed class SearchIndexTests
{
    private const string By = "coordinator.li";

    [Test]
    public void Find_ThousandsOfRandomSearches_ReturnExactlyWhatTheLinearScanReturns()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var synthetic = new SyntheticHla(seed: 5);
        var volunteers = fx.Donors.EnrolMany(fx.Volunteers.Many(300, fx.Today), By);
        var reserveRandom = new Random(17);
        foreach (var donor in volunteers)
        {
            fx.Donors.RecordSampleCollected(donor.Id, null, By);
            fx.Donors.RecordTyping(donor.Id, synthetic.Next(fx.Today), By);
            fx.Donors.List(donor.Id, By);
            if (reserveRandom.NextDouble() < 0.1)
            {
                fx.Donors.Reserve(donor.Id, new CaseReference("CASE-" + donor.Id.Value), By);
            }
        }

        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 2 }, search =>
        {
            var random = new Random(search);
            // Some patients are typed at A, B and DRB1 only: without named loci the search counts those.
            var patient = HlaTyping.FromLoci(new SyntheticHla(seed: 1_000 + search) { ThreeLocusShare = 0.2 }.Next(fx.Today).Loci);
            var fullyTyped = !patient[HlaLocus.C].IsUntyped;

            var request = new SearchRequest(patient)
            {
                MaxMismatches = random.Next(0, 5),
                Limit = random.Next(1, 60),
                IncludeReserved = random.NextDouble() < 0.3,
                MinimumAge = random.NextDouble() < 0.2 ? 25 : null,
                DonorSex = random.NextDouble() < 0.2 ? Sex.Male : null,
                PatientCmv = random.NextDouble() < 0.5 ? CmvStatus.Negative : CmvStatus.Unknown,
                PatientAbo = random.NextDouble() < 0.5 ? AboGroup.A : AboGroup.Unknown,
                Loci = random.NextDouble() < 0.3 ? [HlaLocus.A, HlaLocus.B, HlaLocus.DRB1] : fullyTyped && random.NextDouble() < 0.5 ? [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1] : null,
                Threshold = (MatchThreshold)random.Next(0, 4),
                RequiredDonorLoci = random.NextDouble() < 0.2 ? [HlaLocus.C] : [],
            };

            var fast = fx.Registry.Search.Find(request);
            var plain = fx.Registry.Search.FindByLinearScan(request);

            Summary(fast).Should().Equal(Summary(plain), $"search {search} ({request.MaxMismatches} mismatches, limit {request.Limit})");
            fast.Candidates.Should().Be(plain.Candidates);
            fast.Scanned.Should().Be(plain.Scanned);
        });
    }

    [Test]
    public void Find_AfterTheIndexIsBuilt_SeesEveryLaterChange()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var typing = Volunteers.Typing(fx.Today);
        var patient = HlaTyping.FromLoci(typing.Loci);
        var listed = fx.DonorIn(DonorState.Available);
        fx.Registry.Search.BuildIndex().Should().Be(1);

        var newcomer = fx.DonorIn(DonorState.Available);
        Ids(fx, patient).Should().BeEquivalentTo([listed.Id, newcomer.Id], "a newly listed donor is found");

        fx.Donors.Withdraw(listed.Id, By);
        fx.Donors.Reserve(newcomer.Id, new CaseReference("CASE-9"), By);
        Ids(fx, patient).Should().BeEmpty("a withdrawn donor is gone and a reserved one is not available");
        fx.Registry.Search.Find(new SearchRequest(patient) { IncludeReserved = true }).Matches.Should().ContainSingle()
            .Which.Status.Should().Be(WmdaStatus.OP);

        fx.Donors.Release(newcomer.Id, By);
        fx.Donors.Defer(newcomer.Id, fx.Today, "体检", By);
        Ids(fx, patient).Should().BeEmpty("a deferred donor is not searchable");
        fx.Clock.Advance(TimeSpan.FromDays(1));
        fx.Donors.ApplyCalendar(fx.Clock.GetUtcNow());
        Ids(fx, patient).Should().Equal(newcomer.Id);
    }

    [Test]
    public void Find_IndexBuiltFromAFileAfterRestart_FindsTheStoredDonors()
    {
        using var fx = new RegistryFixture();
        var donor = fx.DonorIn(DonorState.Available);
        fx.Reopen();

        fx.Registry.Search.Find(new SearchRequest(HlaTyping.FromLoci(Volunteers.Typing(fx.Today).Loci))).Matches
            .Should().ContainSingle().Which.DonorId.Should().Be(donor.Id);
    }

    [Test]
    public void IndexBytesPerDonor_IsWithinTheTarget() =>
        new RegistryFixture(inMemory: true).Registry.Search.IndexBytesPerDonor.Should().BeLessThanOrEqualTo(200);

    private static List<DonorId> Ids(RegistryFixture fx, HlaTyping patient) =>
        fx.Registry.Search.Find(new SearchRequest(patient)).Matches.Select(m => m.DonorId).ToList();

    private static IEnumerable<string> Summary(SearchResult result) => result.Matches.Select(m =>
        $"{m} {m.Mismatches} {m.Grade} {m.Count} " +
        string.Join(',', m.Grade.Loci.Select(l => $"{l.First.Grade}/{l.First.Worst}/{l.Second.Grade}/{l.Second.Worst}/{l.Crossed}/{l.First.Reason}|{l.Second.Reason}|{l.First.Confidence}|{l.Second.Confidence}")));
}
