using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>The NMDP code file in its published alpha.v3.txt layout (a fixture under Hla/Fixtures), and codes graded with the release.</summary>
public sealed class MacTableTests
{
    private static MacTable Fixture()
    {
        using var reader = File.OpenText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Hla", "Fixtures", "alpha.v3.txt"));
        return MacTable.Parse(reader);
    }

    [Test]
    public void Parse_AlphaV3Layout_SkipsTheHeaderAndReadsEveryCode()
    {
        var macs = Fixture();

        macs.Count.Should().Be(4, "the LAST UPDATED line, the '*\\tCODE\\tSUBTYPE' header and the blank line are not codes");
        macs.Contains("GNZ").Should().BeTrue("'*\\tGNZ\\t01:01/02:01' marks a code that lists full names");
    }

    [Test]
    public void ParseTyping_CodeFromTheFile_ExpandsToTheReleasesAllelesAndGradesAtMostGGroup()
    {
        var reference = HlaFixtures.Reference.WithMacTable(Fixture());

        var typing = reference.ParseLocus("A*02:AB");
        var match = new MatchGrader(reference).GradeLocus(typing, reference.ParseLocus("A*02:01:01:01"));

        // 'AB\t01/02': A*02:01 is a shorter form of a fixture allele; A*02:02 is in no line of the fixture hla_nom.txt.
        typing.First!.Alleles.Should().Equal(AlleleName.Parse("A*02:01"));
        typing.First.IsFromCode.Should().BeTrue();
        match.First.Grade.Should().Be(PositionGrade.GGroup, "a code grades at most GGroup even when it holds the allele");
    }

    [Test]
    public void ParseTyping_FullNameCode_KeepsEachListedFamily()
    {
        var reference = HlaFixtures.Reference.WithMacTable(Fixture());

        // '*\tGNZ\t01:01/02:01': the names are whole, so A*02:GNZ holds A*01:01 (a shorter form of 'A*;01:01:38L;20110325;;;')
        // as well as A*02:01 (of 'A*;02:01:01:01;19870101;;;').
        reference.ParseLocus("A*02:GNZ").First!.Alleles.Should().Equal(AlleleName.Parse("A*01:01"), AlleleName.Parse("A*02:01"));
    }

    [Test]
    public void ParseTyping_CodeWithoutATable_SaysNoTableIsLoaded()
    {
        var act = () => HlaFixtures.Reference.WithMacTable(MacTable.FromCodes([])).ParseLocus("A*02:AC");
        var without = () => HlaReference.None.ParseLocus("A*02:AB");

        act.Should().Throw<HlaParseException>().WithMessage("*a multiple-allele code the loaded table knows, not 'AC'*");
        without.Should().Throw<HlaParseException>().WithMessage("*'AB' is a multiple-allele code and no MAC table is loaded*");
    }
}
