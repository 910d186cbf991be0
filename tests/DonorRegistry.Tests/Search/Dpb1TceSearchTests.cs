using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Search;
using DonorRegistry.Tests.Hla;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Search;

/// <summary>
/// DPB1 by T-cell epitope in a search on the real release 3.58.0: every result carries its TCE grade, and
/// <see cref="SearchRequest.PreferPermissiveDpb1"/> ranks matched, permissive, unknown, non-permissive.
/// </summary>
public sealed class Dpb1TceSearchTests
{
    private const string By = "coordinator.li";
    private const string TenLoci = "A*02:01+A*24:02^B*07:02+B*08:01^C*07:01+C*07:02^DRB1*15:01+DRB1*03:01^DQB1*06:02+DQB1*02:01";

    private RegistryFixture _fx = null!;
    private HlaReference _release = null!;

    [SetUp]
    public void SetUp()
    {
        _release = HlaFixtures.Release("3.58.0");
        _fx = new RegistryFixture(inMemory: true, configure: o => o.Hla = _release);
    }

    [TearDown]
    public void TearDown() => _fx.Dispose();

    /// <summary>
    /// The patient is DPB1*03:01 ('DPB1*03:01:01:01,DPB1*03:01,2,2,') + DPB1*04:01 ('DPB1*04:01:01:01,DPB1*04:01,3,3,'):
    /// strongest group 2. The donors are 10/10 and differ at DPB1 only, the youngest being the worst at DPB1.
    /// </summary>
    private (DonorId Matched, DonorId Permissive, DonorId Untyped, DonorId HvG, DonorId GvH) Donors()
    {
        var hvg = Listed("DPB1*09:01+DPB1*04:01", 20); // 'DPB1*09:01:01:01,DPB1*09:01,1,1,': the donor brings group 1
        var gvh = Listed("DPB1*02:01+DPB1*04:01", 21); // 'DPB1*02:01:02:01,DPB1*02:01,3,3,': the donor lacks the patient's group 2
        var untyped = Listed(null, 22);
        var permissive = Listed("DPB1*06:01+DPB1*02:01", 23); // 'DPB1*06:01:01:01,DPB1*06:01,3,2a,...': group 2 beside 3
        var matched = Listed("DPB1*03:01+DPB1*04:01", 24);
        return (matched, permissive, untyped, hvg, gvh);
    }

    private static SearchRequest Request(HlaReference release) =>
        new(release.ParseTyping(TenLoci + "^DPB1*03:01+DPB1*04:01"));

    [Test]
    public void Find_PreferPermissiveDpb1_RanksMatchedThenPermissiveThenUnknownThenNonPermissive()
    {
        var donors = Donors();

        var result = _fx.Registry.Search.Find(Request(_release) with { PreferPermissiveDpb1 = true });

        result.Matches.Select(m => m.DonorId).Take(3).Should().Equal(donors.Matched, donors.Permissive, donors.Untyped);
        result.Matches.Skip(3).Select(m => m.DonorId).Should().BeEquivalentTo([donors.HvG, donors.GvH]);
        result.Matches.Should().OnlyContain(m => m.Mismatches == 0 && m.Count.ToString().StartsWith("10/10", StringComparison.Ordinal), "DPB1 never counts");
    }

    [Test]
    public void Find_ByDefault_DoesNotRankByDpb1ButCarriesTheGradeOfEveryDonorTypedAtDpb1()
    {
        var donors = Donors();

        var result = _fx.Registry.Search.Find(Request(_release));

        result.Matches.Select(m => m.DonorId).Should().Equal(donors.HvG, donors.GvH, donors.Untyped, donors.Permissive, donors.Matched);
        var byDonor = result.Matches.ToDictionary(m => m.DonorId, m => m.Dpb1Tce?.Grade);
        byDonor[donors.HvG].Should().Be(Dpb1TceGrade.NonPermissiveHvG);
        byDonor[donors.GvH].Should().Be(Dpb1TceGrade.NonPermissiveGvH);
        byDonor[donors.Permissive].Should().Be(Dpb1TceGrade.Permissive);
        byDonor[donors.Matched].Should().Be(Dpb1TceGrade.Permissive);
        byDonor[donors.Untyped].Should().BeNull("DPB1 is not typed on the donor");
        result.Matches.Single(m => m.DonorId == donors.HvG).Dpb1Tce!.Reason.Should().Contain("'DPB1*09:01:01:01,DPB1*09:01,1,1,'");
    }

    [Test]
    public void Find_PreferPermissiveDpb1_GivesWhatTheLinearScanGives()
    {
        Donors();
        Listed("DPB1*61:01N+DPB1*17:01", 30);
        Listed("DPB1*09:01/02:01+DPB1*04:01", 19);

        foreach (var prefer in new[] { false, true })
        {
            var request = Request(_release) with { PreferPermissiveDpb1 = prefer };
            var fast = _fx.Registry.Search.Find(request);
            var plain = _fx.Registry.Search.FindByLinearScan(request);

            fast.Matches.Select(m => $"{m} {m.Dpb1Tce}").Should().Equal(plain.Matches.Select(m => $"{m} {m.Dpb1Tce}"), $"PreferPermissiveDpb1 = {prefer}");
        }
    }

    [Test]
    public void Find_PatientUntypedAtDpb1_RanksNoDonorByDpb1AndGradesNone()
    {
        var donors = Donors();

        var result = _fx.Registry.Search.Find(new SearchRequest(_release.ParseTyping(TenLoci)) { PreferPermissiveDpb1 = true });

        result.Matches.Select(m => m.DonorId).Should().Equal(donors.HvG, donors.GvH, donors.Untyped, donors.Permissive, donors.Matched);
        result.Matches.Should().OnlyContain(m => m.Dpb1Tce == null);
    }

    private DonorId Listed(string? dpb1, int age)
    {
        var loci = _release.ParseTyping(TenLoci + (dpb1 is null ? string.Empty : "^" + dpb1)).Loci
            .Where(l => !l.IsUntyped).ToDictionary(l => l.Locus.ToString(), l => l.ToString());
        var id = _fx.Donors.Enrol(_fx.Volunteers.Next(_fx.Today, age: age, sex: Sex.Male), By).Id;
        return _fx.ListTyped(id, loci, By).Id;
    }
}
