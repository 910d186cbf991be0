using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Search;
using DonorRegistry.Tests.Hla;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Search;

/// <summary>The index against the linear scan on a registry opened with a release: groups, serology, nulls beside ambiguous partners, codes.</summary>
public sealed class SearchIndexWithReleaseTests
{
    private static readonly string[] A = ["A*02:01", "A*02:09", "A*24:02", "A*24:03:01", "A*11:01:01", "A*02:06:01", "A*92:01", "A*24:09N", "A*02:43N", "A*02", "A*02:AB"];
    private static readonly string[] B = ["B*15:01:01:01", "B*15:02:01", "B*46:01:01", "B*15:321", "B*15"];
    private static readonly string[] Drb1 = ["DRB1*09:01:02", "DRB1*15:01:01:01"];

    [Test]
    public void Find_RandomSearchesAtEveryThreshold_ReturnExactlyWhatTheLinearScanReturns()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.Hla = HlaFixtures.Reference);
        var random = new Random(23);
        string Genotype(string[] pool) => $"{pool[random.Next(pool.Length)]}+{pool[random.Next(pool.Length)]}";
        var volunteers = fx.Donors.EnrolMany(fx.Volunteers.Many(150, fx.Today), "coordinator.li");
        foreach (var donor in volunteers)
        {
            fx.ListTyped(donor.Id, new Dictionary<string, string> { ["A"] = Genotype(A), ["B"] = Genotype(B), ["DRB1"] = Genotype(Drb1) });
        }

        for (var search = 0; search < 200; search++)
        {
            var patient = HlaFixtures.Reference.ParseTyping($"{Genotype(A)}^{Genotype(B)}^{Genotype(Drb1)}");
            var request = new SearchRequest(patient)
            {
                Threshold = (MatchThreshold)random.Next(0, 4),
                MaxMismatches = random.Next(0, 7),
                Limit = random.Next(1, 40),
            };

            var fast = fx.Registry.Search.Find(request);
            var plain = fx.Registry.Search.FindByLinearScan(request);

            fast.Matches.Select(m => $"{m} {m.Grade.Loci[0]} {m.Grade.Loci[1]} {m.Grade.Loci[3]}")
                .Should().Equal(plain.Matches.Select(m => $"{m} {m.Grade.Loci[0]} {m.Grade.Loci[1]} {m.Grade.Loci[3]}"), $"search {search}: {patient} at {request.Threshold}");
            fast.Candidates.Should().Be(plain.Candidates);
        }
    }
}
