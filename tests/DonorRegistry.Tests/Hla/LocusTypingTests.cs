using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

public sealed class LocusTypingTests
{
    [Test]
    public void Parse_Genotype_HasTwoPositions()
    {
        var typing = LocusTyping.Parse("A*02:01+A*24:02");

        typing.Locus.Should().Be(HlaLocus.A);
        typing.IsHomozygous.Should().BeFalse();
        typing.First!.Alleles.Should().Equal(AlleleName.Parse("A*02:01"));
        typing.Second!.Alleles.Should().Equal(AlleleName.Parse("A*24:02"));
    }

    [Test]
    public void Parse_OneAllele_IsHomozygousAndExplicitlySo()
    {
        var typing = LocusTyping.Parse("B*46:01");

        typing.IsHomozygous.Should().BeTrue();
        typing.Second.Should().BeSameAs(typing.First);
    }

    [Test]
    public void Parse_AmbiguousList_KeepsEveryAlternativeWithTheLocusOmittedAfterTheFirst()
    {
        var typing = LocusTyping.Parse("A*02:01/02:06+A*11:01");

        typing.First!.Alleles.Select(a => a.ToString()).Should().Equal("A*02:01", "A*02:06");
        typing.First.IsAmbiguous.Should().BeTrue();
        typing.Second!.IsAmbiguous.Should().BeFalse();
    }

    [Test]
    public void Parse_MultipleAlleleCode_ExpandsWithTheTable()
    {
        var typing = LocusTyping.Parse("A*02:AB+A*01:GNZ", macs: HlaFixtures.Macs);

        typing.First!.Alleles.Select(a => a.ToString()).Should().Equal("A*02:01", "A*02:02");
        typing.Second!.Alleles.Select(a => a.ToString()).Should().Equal("A*01:01", "A*02:01");
    }

    [Test]
    public void Parse_MultipleAlleleCodeWithoutATable_SaysNoTableIsLoaded()
    {
        var act = () => LocusTyping.Parse("A*02:AB+A*24:02");

        act.Should().Throw<HlaParseException>().WithMessage("*position 6*'AB' is a multiple-allele code and no MAC table is loaded*");
    }

    [Test]
    public void Parse_UnknownMultipleAlleleCode_NamesTheCode()
    {
        var act = () => LocusTyping.Parse("A*02:ZZZ", macs: HlaFixtures.Macs);

        act.Should().Throw<HlaParseException>().WithMessage("*a multiple-allele code the loaded table knows, not 'ZZZ'*");
    }

    [Test]
    public void Parse_ThreeAllelesAtOneLocus_IsRejected()
    {
        var act = () => LocusTyping.Parse("A*01:01+A*02:01+A*03:01");

        act.Should().Throw<HlaParseException>().WithMessage("*position 16: expected at most two alleles at locus A*");
    }

    [Test]
    public void Parse_MixedLoci_IsRejected()
    {
        var act = () => LocusTyping.Parse("A*01:01+B*08:01");

        act.Should().Throw<HlaParseException>().WithMessage("*position 9: expected an allele of locus A, not B*");
    }

    [Test]
    public void Parse_WrongLocusForTheColumn_IsRejected()
    {
        var act = () => LocusTyping.Parse("B*08:01+B*07:02", HlaLocus.A);

        act.Should().Throw<HlaParseException>().WithMessage("*expected an allele of locus A, not B*");
    }

    [Test]
    public void Parse_Empty_IsRejected()
    {
        var act = () => LocusTyping.Parse(string.Empty);

        act.Should().Throw<HlaParseException>().WithMessage("*expected an allele name such as A*02:01*");
    }

    [Test]
    public void HlaTyping_Parse_WholeTypingWithUntypedLociPresentAndUntyped()
    {
        var typing = HlaTyping.Parse("A*02:01+A*24:02^B*46:01+B*40:01^DRB1*09:01+DRB1*15:01");

        typing[HlaLocus.B].First!.Alleles[0].ToString().Should().Be("B*46:01");
        typing[HlaLocus.C].IsUntyped.Should().BeTrue();
        typing.Loci.Should().HaveCount(6);
        typing.ToString().Should().Be("A*02:01+A*24:02^B*46:01+B*40:01^DRB1*09:01+DRB1*15:01");
    }

    [TestCase("A*02:01+A*24:02 B*46:01+B*40:01 DRB1*09:01+DRB1*15:01")]
    [TestCase("A*02:01+A*24:02\tB*46:01+B*40:01\nDRB1*09:01+DRB1*15:01")]
    [TestCase(" A*02:01+A*24:02 ^ B*46:01+B*40:01^DRB1*09:01+DRB1*15:01 ")]
    public void HlaTyping_Parse_WhitespaceOrCaretBetweenLoci_ReadsTheSameTyping(string text)
    {
        var typing = HlaTyping.Parse(text);

        typing.ToString().Should().Be("A*02:01+A*24:02^B*46:01+B*40:01^DRB1*09:01+DRB1*15:01");
    }

    [Test]
    public void HlaTyping_Parse_NoSeparatorBetweenLoci_NamesBothForms()
    {
        var act = () => HlaTyping.Parse("A*02:01+A*24:02,B*46:01");

        act.Should().Throw<HlaParseException>().WithMessage("*position 16: expected '^' or whitespace between loci*");
    }

    [Test]
    public void HlaTyping_Parse_ALocusTwice_IsRejected()
    {
        var act = () => HlaTyping.Parse("A*02:01+A*24:02^A*11:01");

        act.Should().Throw<HlaParseException>().WithMessage("*A appears twice*");
    }

    [Test]
    public void HlaTyping_FromLoci_ReadsALabReport()
    {
        var typing = HlaTyping.FromLoci(DonorRegistry.FakeData.Volunteers.Typing(new DateOnly(2026, 1, 1)).Loci);

        typing[HlaLocus.DQB1].First!.Alleles[0].ToString().Should().Be("DQB1*03:03");
        typing[HlaLocus.DPB1].IsUntyped.Should().BeTrue();
    }

    [Test]
    public void HlaTyping_FromLoci_UnknownLocus_IsRejected()
    {
        var act = () => HlaTyping.FromLoci(new Dictionary<string, string> { ["KIR"] = "2DL1" });

        act.Should().Throw<HlaParseException>().WithMessage("'KIR' is not a valid HLA name*");
    }
}
