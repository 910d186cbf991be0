using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>Grading rules on the real release 3.58.0, each decided by the IMGT line quoted in the case's reason.</summary>
public sealed class ImgtRelease358GradingTests
{
    private static HlaReference Reference => HlaFixtures.Release("3.58.0");

    private static IEnumerable<TestCaseData> Positions()
    {
        yield return Case("A*02:65", "A*74:21", PositionGrade.PGroup, PositionGrade.PGroup, "hla_nom_p.txt 'A*;02:65/74:21;02:65P': group membership decides, not the first field");
        yield return Case("C*07", "C*17:03", PositionGrade.Antigen, PositionGrade.Antigen, "rel_dna_ser.txt 'C*;07:01:01:01;7;;;' and 'C*;17:03:01:01;?;;;7': the expert column gives C*17:03 the antigen C7, which every expressed C*07 allele carries");
        yield return Case("B*40", "B*41:01", PositionGrade.Antigen, PositionGrade.Mismatch, "rel_dna_ser.txt 'B*;40:39;41;;;40' and 'B*;41:01:01:01;41;;;': B*40 resolves to alleles such as B*40:39, whose antigen is B41");
        yield return Case("A*02:01", "A*02:07", PositionGrade.Antigen, PositionGrade.Antigen, "rel_dna_ser.txt 'A*;02:01:14Q;;;0/2;': the '0' of an assumed column is left out, so every resolution is antigen A2, never a mismatch");
        yield return Case("B*15:01", "B*15:03", PositionGrade.Mismatch, PositionGrade.Mismatch, "rel_dna_ser.txt 'B*;15:01:01:01;62;;;' and 'B*;15:03:01:01;72;;;', rel_ser_ser.txt 'B;15;62/...' and 'B;70;71/72;': one first field, two antigens of different broads (ADR 7)");
        yield return Case("B*15:33", "B*15:01", PositionGrade.Broad, PositionGrade.Broad, "rel_dna_ser.txt 'B*;15:33;15;;;' against B62, and rel_ser_ser.txt 'B;15;62/63/75/76/77;': a split against its broad");
        yield return Case("A*02:03", "A*02:01", PositionGrade.Associated, PositionGrade.Associated, "rel_dna_ser.txt 'A*;02:03:01:01;203;;;' and rel_ser_ser.txt 'A;2;;203/210': A203 is associated with A2");
        yield return Case("B*07:49N", "B*07:49N", PositionGrade.Allele, PositionGrade.Allele, "rel_dna_ser.txt 'B*;07:49N;0;;;': null against null counts as matched");
        yield return Case("B*35:01", "B*07:49N", PositionGrade.ExpressingVsNull, PositionGrade.ExpressingVsNull, "rel_dna_ser.txt 'B*;07:49N;0;;;': an expressed allele against a null is its own grade");
    }

    [TestCaseSource(nameof(Positions))]
    public void GradeLocus_TheReleaseDecides(string patient, string donor, PositionGrade best, PositionGrade worst, string why)
    {
        var match = new MatchGrader(Reference).GradeLocus(Reference.ParseLocus(patient), Reference.ParseLocus(donor));

        match.First.Grade.Should().Be(best, why);
        match.First.Worst.Should().Be(worst, why);
    }

    [Test]
    public void GradeLocus_NullBesideAnAmbiguousPartner_CarriesOneExpressedAlleleAtBothPositions()
    {
        // 'B*;07:49N;0;;;' is null, so the patient expresses one B*35 allele; it cannot be both B*35:01:01:01 and
        // B*35:02:02 (hla_nom_p.txt puts them in different P groups), though both are antigen B35 ('B*;35:02:02;35;;;').
        var patient = Reference.ParseLocus("B*07:49N+B*35");
        var donor = Reference.ParseLocus("B*35:01:01:01+B*35:02:02");

        new MatchGrader(Reference).GradeLocus(patient, donor).Mismatches.Should().Be(1);
        new MatchGrader(Reference, MatchThreshold.Antigen).GradeLocus(patient, donor).Mismatches.Should().Be(0);
        new MatchGrader(Reference).GradeLocus(donor, patient).Mismatches.Should().Be(1, "the other way round too");
    }

    [Test]
    public void GradeLocus_ExpressingAgainstNull_IsAMismatchAtEveryThreshold()
    {
        foreach (var threshold in Enum.GetValues<MatchThreshold>())
        {
            new MatchGrader(Reference, threshold).GradeLocus(Reference.ParseLocus("B*35:01"), Reference.ParseLocus("B*07:49N")).Mismatches.Should().Be(2, $"{threshold}");
        }
    }

    [Test]
    public void GradeLocus_XXCodeContainingTheAllele_GradesAtMostGGroup()
    {
        var match = new MatchGrader(Reference).GradeLocus(Reference.ParseLocus("A*02:XX"), Reference.ParseLocus("A*02:01:01:01"));

        match.First.Grade.Should().Be(PositionGrade.GGroup);
        match.First.Confidence.Should().Be(MatchConfidence.Potential);
    }

    [Test]
    public void Serology_UsesEveryColumnOfRelDnaSer()
    {
        // 'C*;17:03:01:01;?;;;7': the unambiguous column is '?', the expert column 7.
        Reference.Serology(AlleleName.Parse("C*17:03:01:01")).Should().Be("7");
        Reference.Serology(AlleleName.Parse("A*02:01:14Q")).Should().Be("2", "'A*;02:01:14Q;;;0/2;' without its 0");
    }

    private static TestCaseData Case(string patient, string donor, PositionGrade best, PositionGrade worst, string why) =>
        new TestCaseData(patient, donor, best, worst, why).SetName($"Grade {patient} vs {donor}: {best} to {worst}");
}
