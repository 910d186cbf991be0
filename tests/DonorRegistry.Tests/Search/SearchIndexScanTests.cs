using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Hla;
using DonorRegistry.Search;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Search;

/// <summary>
/// The branch-free row scan (ADR 15): every filter and limit it folds into one sum gives what the linear scan gives,
/// including those the other index tests leave alone (per-locus limits, a maximum age, female donors, required DQB1 and
/// DPB1, withdrawn donors whose slots are free).
/// </summary>
[TestFixture]
public sealed class SearchIndexScanTests
{
    private const string By = "coordinator.li";
    private static readonly HlaLocus[] Five = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1];
    private static readonly string[] Dpb1 = ["DPB1*04:01", "DPB1*02:01", "DPB1*05:01", "DPB1*13:01"];

    private RegistryFixture _fx = null!;

    [OneTimeSetUp]
    public void Registry()
    {
        _fx = new RegistryFixture(inMemory: true);
        var synthetic = new SyntheticHla(seed: 31) { ThreeLocusShare = 0.25 };
        var random = new Random(31);
        foreach (var donor in _fx.Donors.EnrolMany(_fx.Volunteers.Many(240, _fx.Today), By))
        {
            var loci = new Dictionary<string, string>(synthetic.Next(_fx.Today).Loci);
            if (random.NextDouble() < 0.5)
            {
                loci["DPB1"] = $"{Dpb1[random.Next(Dpb1.Length)]}+{Dpb1[random.Next(Dpb1.Length)]}";
            }

            _fx.ListTyped(donor.Id, loci, By);
            var roll = random.NextDouble();
            if (roll < 0.1)
            {
                _fx.Donors.Reserve(donor.Id, new CaseReference("CASE-" + donor.Id.Value), By);
            }
            else if (roll < 0.2)
            {
                _fx.Donors.Withdraw(donor.Id, By);
            }
        }

        _fx.Registry.Search.BuildIndex();
    }

    [OneTimeTearDown]
    public void Dispose() => _fx.Dispose();

    [Test]
    public void Find_AnyFiltersAndLimits_ReturnsExactlyWhatTheLinearScanReturns()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var request = RandomRequest(new Random(seed));

            var fast = _fx.Registry.Search.Find(request);
            var plain = _fx.Registry.Search.FindByLinearScan(request);

            fast.Matches.Select(m => $"{m} {m.Mismatches} {m.Grade} {m.Age} {m.Sex}").Should()
                .Equal(plain.Matches.Select(m => $"{m} {m.Mismatches} {m.Grade} {m.Age} {m.Sex}"), $"seed {seed}");
            fast.Candidates.Should().Be(plain.Candidates, $"seed {seed}: donors within every limit");
            fast.Scanned.Should().Be(plain.Scanned, $"seed {seed}: donors past the state, age and sex filters");
        }));
    }

    [Test]
    public void AgeWindow_HoldsExactlyTheDifferencesWhoseWholeYearsAreWithinTheAges()
    {
        // The scan compares today - birth (yyyymmdd) with a window instead of dividing; the index has always counted a
        // missing minimum as 0.
        var ages = Gen.OneOf(Gen.Choose(-3, 130).Select(a => (int?)a), Gen.Constant((int?)null));
        var edges = from years in Gen.Choose(-3, 130)
                    from offset in Gen.Elements(-10_000, -1, 0, 9_999, 10_000)
                    select (years * 10_000) + offset;
        var cases = from difference in Gen.OneOf(Gen.Choose(-1_400_000, 1_400_000), edges)
                    from minimum in ages
                    from maximum in ages
                    select (Difference: difference, Minimum: minimum, Maximum: maximum);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(5_000), Prop.ForAll(Arb.From(cases), c =>
        {
            var (low, span) = SearchIndex.AgeWindow(c.Minimum, c.Maximum);
            var age = c.Difference / 10_000;
            var expected = age >= (c.Minimum ?? 0) && age <= (c.Maximum ?? int.MaxValue);

            ((ulong)(c.Difference - low) <= span).Should().Be(expected, $"{c}: {age} whole years");
        }));
    }

    private SearchRequest RandomRequest(Random random)
    {
        var patient = HlaTyping.FromLoci(new SyntheticHla(seed: random.Next()) { ThreeLocusShare = 0.2 }.Next(_fx.Today).Loci);
        var searched = Five.Where(l => !patient[l].IsUntyped).ToList();
        var perLocus = searched.Where(_ => random.NextDouble() < 0.3).ToDictionary(l => l, _ => random.Next(0, 3));
        var required = new[] { HlaLocus.C, HlaLocus.DQB1, HlaLocus.DPB1 }.Where(_ => random.NextDouble() < 0.2).ToList();
        var minimum = random.NextDouble() < 0.3 ? random.Next(18, 40) : (int?)null;
        return new SearchRequest(patient)
        {
            MaxMismatches = random.Next(0, (2 * searched.Count) + 1),
            MaxMismatchesPerLocus = perLocus,
            Limit = random.Next(1, 80),
            IncludeReserved = random.NextDouble() < 0.5,
            MinimumAge = minimum,
            MaximumAge = random.NextDouble() < 0.3 ? random.Next(minimum ?? 18, 60) : null,
            DonorSex = random.NextDouble() < 0.3 ? (random.NextDouble() < 0.5 ? Sex.Female : Sex.Male) : null,
            PatientCmv = random.NextDouble() < 0.5 ? CmvStatus.Positive : CmvStatus.Unknown,
            PatientAbo = random.NextDouble() < 0.5 ? AboGroup.O : AboGroup.Unknown,
            Threshold = (MatchThreshold)random.Next(0, 4),
            RequiredDonorLoci = required,
        };
    }
}
