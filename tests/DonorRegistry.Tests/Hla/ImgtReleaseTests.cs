using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>The real IPD-IMGT/HLA release 3.24.0 WMDA files, read from ../shared/data when the folder exists.</summary>
[TestFixture]
public sealed class ImgtReleaseTests
{
    private HlaReference _reference = null!;

    [OneTimeSetUp]
    public void LoadRelease()
    {
        if (!Directory.Exists(HlaFixtures.RealReleaseFolder))
        {
            Assert.Ignore($"The IMGT/HLA 3.24.0 files are not at {HlaFixtures.RealReleaseFolder}; these tests need ../shared/data beside the repository.");
        }

        _reference = HlaReference.Load(HlaFixtures.RealReleaseFolder);
    }

    [Test]
    public void Load_ReadsTheReleaseAndItsGroups()
    {
        _reference.Release.Should().Be("IPD-IMGT/HLA 3.24.0");
        _reference.HasGroups.Should().BeTrue();
        _reference.GGroup(AlleleName.Parse("A*02:01:01:01")).Should().Be("02:01:01G");
        _reference.GGroup(AlleleName.Parse("A*02:09")).Should().Be("02:01:01G");
        _reference.PGroup(AlleleName.Parse("A*01:01")).Should().Be("01:01P");
        _reference.Serology(AlleleName.Parse("A*02:01:01:01")).Should().Be("2");
        _reference.Serology(AlleleName.Parse("DRB1*09:01:02")).Should().Be("9");
    }

    [Test]
    public void Grade_A0201AgainstA0209_IsAPotentialGGroupMatchInTheRealRelease()
    {
        var grader = new MatchGrader(_reference);

        var match = grader.GradeLocus(LocusTyping.Parse("A*02:01"), LocusTyping.Parse("A*02:09"));

        // A*02:01 at two fields may be A*02:01:01:01 (G group 02:01:01G, with A*02:09) or e.g. A*02:01:02
        // (a G group of its own, P group 02:01P with A*02:09): the best is GGroup, the worst PGroup.
        match.First.Grade.Should().Be(PositionGrade.GGroup);
        match.First.Worst.Should().Be(PositionGrade.PGroup);
        match.First.Reason.Should().Contain("02:01:01G");
    }

    [Test]
    public void Grade_FullLengthAllelesOfOneGGroup_IsADefiniteGGroupMatch()
    {
        var grader = new MatchGrader(_reference);

        var match = grader.GradeLocus(LocusTyping.Parse("A*02:01:01:01"), LocusTyping.Parse("A*02:09"));

        match.First.Grade.Should().Be(PositionGrade.GGroup);
        match.First.Confidence.Should().Be(MatchConfidence.Definite);
    }

    [Test]
    public void Resolve_TwoFieldName_ListsItsExpressedFullAlleles()
    {
        var alleles = _reference.Resolve(AlleleName.Parse("A*01:01"));

        alleles.Should().Contain(AlleleName.Parse("A*01:01:01:01")).And.OnlyContain(a => !a.IsNull && a.Family == 1 && a.Field(2) == 1);
    }

    [Test]
    public void Parse_EveryAlleleNameOfTheRegistrysLociInTheRelease_Succeeds()
    {
        var loci = Enum.GetNames<HlaLocus>().Select(l => l + "*").ToHashSet();
        var names = File.ReadLines(Path.Combine(HlaFixtures.RealReleaseFolder, "hla_nom_g.txt"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(';'))
            .Where(parts => loci.Contains(parts[0]))
            .SelectMany(parts => parts[1].Split('/').Select(allele => parts[0] + allele))
            .ToList();

        names.Should().HaveCountGreaterThan(10_000);
        foreach (var name in names)
        {
            AlleleName.Parse(name).ToString().Should().Be(name);
        }
    }
}
