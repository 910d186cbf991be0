using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Search;
using DonorRegistry.Tests.Hla;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Search;

/// <summary>Serology-typed donors and patients (ADR 7, "Serology typings"): the index ranks them exactly as the linear scan does.</summary>
public sealed class SerologySearchTests
{
    // The fixture's rel_ser_ser.txt 'A;9;23/24;' and 'B;15;62/63/75/76/77;' make A9 and B15 broads of A24 and B62/B75.
    private static readonly string[] A = ["A2", "A9", "A24", "A*02:01", "A*24:02", "A*24:09N", "A*11:01:01", "A*02"];
    private static readonly string[] B = ["B15", "B62", "B75", "B*15:01:01:01", "B*15:02:01"];
    private static readonly string[] Drb1 = ["DRB1*09:01:02", "DRB1*15:01:01:01"];

    [Test]
    public void Find_WithSerologyTypings_ReturnsExactlyWhatTheLinearScanReturns()
    {
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.Hla = HlaFixtures.Reference);
        var random = new Random(41);
        string Genotype(string[] pool) => $"{pool[random.Next(pool.Length)]}+{pool[random.Next(pool.Length)]}";
        var volunteers = fx.Donors.EnrolMany(fx.Volunteers.Many(120, fx.Today), "coordinator.li");
        foreach (var donor in volunteers)
        {
            fx.ListTyped(donor.Id, new Dictionary<string, string> { ["A"] = Genotype(A), ["B"] = Genotype(B), ["DRB1"] = Genotype(Drb1) });
        }

        var serologyMatchedAtAntigen = 0;
        for (var search = 0; search < 150; search++)
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
            serologyMatchedAtAntigen += request.Threshold == MatchThreshold.Antigen
                ? fast.Matches.Count(m => m.Grade.Loci[0].First is { Donor.IsSerology: true, Grade: <= PositionGrade.Broad })
                : 0;
        }

        serologyMatchedAtAntigen.Should().BePositive("serology-typed donors were found as matches at the Antigen threshold");
    }
}
