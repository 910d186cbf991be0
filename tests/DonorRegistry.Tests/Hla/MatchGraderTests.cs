using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

public sealed class MatchGraderTests
{
    private static readonly MatchGrader Grader = new(HlaFixtures.Reference);

    /// <summary>Patient allele(s) at one position, donor allele(s), expected grade, expected confidence at the default PGroup threshold, and why.</summary>
    private static IEnumerable<TestCaseData> PositionCases()
    {
        yield return Case("A*02:01", "A*02:01:01:01", PositionGrade.Allele, MatchConfidence.Definite, "the same protein; both are single alleles, the donor typed to more fields");
        yield return Case("A*02:01", "A*02:09", PositionGrade.GGroup, MatchConfidence.Definite, "different alleles with identical exons 2 and 3 (fixture hla_nom_g.txt 'A*;02:01:01:01/.../02:09/02:43N;02:01:01G')");
        yield return Case("A*24:02", "A*24:03", PositionGrade.PGroup, MatchConfidence.Definite, "different G groups but the same protein in the binding domain (fixture hla_nom_p.txt 'A*;24:02:01:01/24:02:01:02L/24:03:01;24:02P')");
        yield return Case("A*02:01", "A*02:06", PositionGrade.Antigen, MatchConfidence.Mismatch, "same family and antigen, different protein: a mismatch at PGroup");
        yield return Case("A*02:01", "A*24:02", PositionGrade.Mismatch, MatchConfidence.Mismatch, "different families");
        yield return Case("A*24:02", "A*24:09N", PositionGrade.ExpressingVsNull, MatchConfidence.Mismatch, "an expressed allele against a null allele (fixture hla_nom_g.txt '...24:09N;24:02:01G'): a grade of its own, a mismatch at every threshold");
        yield return Case("A*24:09N", "A*24:09N", PositionGrade.Allele, MatchConfidence.Definite, "both null: neither expresses anything");
        yield return Case("B*15:01", "B*15:02", PositionGrade.Mismatch, MatchConfidence.Mismatch, "one family, two serological antigens (fixture rel_dna_ser.txt 'B*;15:01:01:01;62;;;' and 'B*;15:02:01;75;;;')");
        yield return Case("A*92:01", "A*02:01", PositionGrade.Antigen, MatchConfidence.Mismatch, "different families with the same serological antigen (fixture 'A*;92:01;2;;;'): a mismatch at PGroup");
        yield return Case("A*02", "A*02:01", PositionGrade.GGroup, MatchConfidence.Potential, "a low-resolution typing may be this allele or another of the family, and grades at most GGroup");
        yield return Case("A*02:XX", "A*02:09", PositionGrade.GGroup, MatchConfidence.Potential, "an XX code resolves to the family's expressed alleles (fixture hla_nom_g.txt 'A*;02:01:01:01/...;02:01:01G') and grades at most GGroup");
        yield return Case("A*02:01/02:06", "A*02:01", PositionGrade.Allele, MatchConfidence.Potential, "an ambiguous typing that may match and may not");
        yield return Case("A*02:01/02:09", "A*02:01", PositionGrade.Allele, MatchConfidence.Exact, "a list inside one P group (fixture 'A*;02:01:01:01/02:01:01:02L/02:01:08/02:09;02:01P') matches at PGroup however it resolves");
        yield return Case("A*02:06/24:02", "A*02:01", PositionGrade.Antigen, MatchConfidence.Mismatch, "an ambiguous typing whose best is an antigen match: a mismatch at PGroup");
        yield return Case("A*02:AB", "A*02:01", PositionGrade.GGroup, MatchConfidence.Potential, "a multiple-allele code (AB = 01/02) expanded; it contains A*02:01 but grades at most GGroup, as in the reference engine");
    }

    /// <summary>Patient, donor, threshold, mismatches at the locus: the threshold decides what counts.</summary>
    private static IEnumerable<TestCaseData> ThresholdCases()
    {
        foreach (var (threshold, expected) in new[] { (MatchThreshold.Allele, 2), (MatchThreshold.GGroup, 1), (MatchThreshold.PGroup, 0), (MatchThreshold.Antigen, 0) })
        {
            yield return new TestCaseData("A*02:01+A*24:02", "A*02:09+A*24:03", threshold, expected)
                .SetName($"GradeLocus at {threshold}: A*02:09 (G group 02:01:01G) and A*24:03 (P group 24:02P) give {expected} mismatch(es)");
        }

        foreach (var (threshold, expected) in new[] { (MatchThreshold.PGroup, 1), (MatchThreshold.Antigen, 0) })
        {
            yield return new TestCaseData("A*02:01+A*24:02", "A*02:06+A*24:02", threshold, expected)
                .SetName($"GradeLocus at {threshold}: A*02:06 (same antigen A2, other protein) gives {expected} mismatch(es)");
        }
    }

    [TestCaseSource(nameof(ThresholdCases))]
    public void GradeLocus_AtAThreshold_CountsOnlyGradesPoorerThanItAsMismatches(string patient, string donor, MatchThreshold threshold, int mismatches)
    {
        var match = new MatchGrader(HlaFixtures.Reference, threshold).GradeLocus(LocusTyping.Parse(patient), LocusTyping.Parse(donor));

        match.Mismatches.Should().Be(mismatches);
        match.Threshold.Should().Be(threshold);
    }

    [Test]
    public void Grader_DefaultThreshold_IsPGroup() => Grader.Threshold.Should().Be(MatchThreshold.PGroup);

    [Test]
    public void Grader_UndefinedThreshold_IsRefusedNamingTheAllowedOnes()
    {
        var act = () => new MatchGrader(HlaFixtures.Reference, (MatchThreshold)9);

        act.Should().Throw<HlaGradingException>().WithMessage("*threshold 9*Allele, GGroup, PGroup or Antigen*");
    }

    [TestCaseSource(nameof(PositionCases))]
    public void GradeLocus_HomozygousPair_GradesEachPositionAsTheRegistriesDo(string patient, string donor, PositionGrade grade, MatchConfidence confidence, string why)
    {
        var match = Grader.GradeLocus(LocusTyping.Parse(patient, macs: HlaFixtures.Macs), LocusTyping.Parse(donor, macs: HlaFixtures.Macs));

        match.First.Grade.Should().Be(grade, why);
        match.First.Confidence.Should().Be(confidence, why);
        match.First.Reason.Should().NotBeNullOrWhiteSpace();
    }

    [Test]
    public void GradeLocus_HomozygousDonorForOneOfThePatientsAlleles_HasOneMismatch()
    {
        var match = Locus("A*02:01+A*24:02", "A*02:01");

        match.Mismatches.Should().Be(1, "the donor lacks A*24:02");
    }

    [Test]
    public void GradeLocus_DonorTypedInTheOtherOrder_IsPairedCrosswiseWithNoMismatch()
    {
        var match = Locus("A*02:01+A*24:02", "A*24:02+A*02:01");

        match.Mismatches.Should().Be(0);
        match.Crossed.Should().BeTrue();
        match.First.Grade.Should().Be(PositionGrade.Allele);
    }

    [Test]
    public void GradeLocus_NullWithAnExpressingPartner_CountsAsHomozygousForTheExpressedAllele()
    {
        Locus("A*24:09N+A*02:01", "A*02:01+A*02:01").Mismatches.Should().Be(0, "the patient expresses only A*02:01");
        Locus("A*24:09N+A*02:01", "A*02:01+A*11:01").Mismatches.Should().Be(1, "the donor expresses A*11:01, which the patient does not");
    }

    [Test]
    public void GradeLocus_UntypedOnTheDonor_IsNoDefiniteMismatchButTwoPotential()
    {
        var match = Grader.GradeLocus(LocusTyping.Parse("C*01:02+C*07:02"), LocusTyping.Untyped(HlaLocus.C));

        match.Mismatches.Should().Be(0);
        match.PotentialMismatches.Should().Be(2);
        match.IsDefinite.Should().BeFalse();
        match.First.Reason.Should().Be("C is not typed on the donor");
    }

    [Test]
    public void GradeLocus_DifferentLoci_IsRejected()
    {
        var act = () => Grader.GradeLocus(LocusTyping.Parse("A*02:01"), LocusTyping.Parse("B*07:02"));

        act.Should().Throw<HlaGradingException>().WithMessage("Cannot grade with locus B of the donor against locus A of the patient*");
    }

    [Test]
    public void Grade_OneMismatchAtA_Is9Of10And7Of8And5Of6()
    {
        var patient = HlaTyping.Parse("A*02:01+A*24:02^B*46:01+B*15:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01^DQB1*03:03+DQB1*06:02");
        var donor = HlaTyping.Parse("A*02:01+A*11:01^B*46:01+B*15:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01^DQB1*03:03+DQB1*06:02");

        var grade = Grader.Grade(patient, donor);

        grade.OutOf10.Should().Be(9);
        grade.OutOf8.Should().Be(7);
        grade.OutOf6.Should().Be(5);
        grade.IsDefinite.Should().BeTrue();
        grade.ToString().Should().Be("9/10 at PGroup (definite)");
        grade.Count10.Should().Match<MatchCount>(c => c.Matched == 9 && c.Compared == 10 && c.IsComplete);
    }

    [Test]
    public void Grade_MissingCAndDqb1_CountsOnlyTypedMismatchesAndIsPotential()
    {
        var patient = HlaTyping.Parse("A*02:01+A*24:02^B*46:01+B*15:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01^DQB1*03:03+DQB1*06:02");
        var donor = HlaTyping.Parse("A*02:01+A*24:02^B*46:01+B*15:01^DRB1*09:01+DRB1*15:01");

        var grade = Grader.Grade(patient, donor);

        grade.OutOf10.Should().Be(10, "an untyped locus is a potential match, as the reference engine counts it");
        grade.OutOf6.Should().Be(6);
        grade.TotalPotentialMismatches.Should().Be(4);
        grade.IsDefinite.Should().BeFalse();
        grade.Count10.ToString().Should().Be("6/6 of 6 typed; C, DQB1 untyped");
        grade.Count6.ToString().Should().Be("6/6");
        grade.ToString().Should().Be("6/6 of 6 typed; C, DQB1 untyped at PGroup (potential)").And.NotContain("10/10");
    }

    [Test]
    public void Grade_DonorUntypedAtDqb1_ReadsEightOfEightTypedAndNeverTenOfTen()
    {
        var patient = HlaTyping.Parse("A*02:01+A*24:02^B*46:01+B*15:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01^DQB1*03:03+DQB1*06:02");
        var donor = HlaTyping.Parse("A*02:01+A*24:02^B*46:01+B*15:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01");

        var grade = Grader.Grade(patient, donor);

        grade.Count10.ToString().Should().Be("8/8 of 8 typed; DQB1 untyped");
        grade[HlaLocus.DQB1].IsTyped.Should().BeFalse();
        grade[HlaLocus.DQB1].First.Confidence.Should().Be(MatchConfidence.Potential);
        grade.Confidence.Should().Be(MatchConfidence.Potential);
        grade.Count8.ToString().Should().Be("8/8");
    }

    [Test]
    public void Count_NoLocusOrALocusTwice_IsRefused()
    {
        var grade = Grader.Grade(HlaTyping.Parse("A*02:01"), HlaTyping.Parse("A*02:01"));

        grade.Invoking(g => g.Count([])).Should().Throw<HlaGradingException>().WithMessage("*each once*");
        grade.Invoking(g => g.Count([HlaLocus.A, HlaLocus.A])).Should().Throw<HlaGradingException>();
    }

    [Test]
    public void ToString_OfPositionAndLocus_ReadsAsGradesAndConfidence()
    {
        var match = Locus("A*02:01+A*24:02", "A*02:09+A*11:01");

        match.ToString().Should().Be("A: 1/2 at PGroup (GGroup, Mismatch; Mismatch)");
        match.First.ToString().Should().Be("A*02:01 vs A*02:09: GGroup, Definite");
    }

    [Test]
    public void Grade_Dpb1Mismatch_IsGradedButNotCounted()
    {
        var patient = HlaTyping.Parse("A*02:01^B*46:01^C*01:02^DRB1*09:01^DQB1*03:03^DPB1*04:01+DPB1*05:01");
        var donor = HlaTyping.Parse("A*02:01^B*46:01^C*01:02^DRB1*09:01^DQB1*03:03^DPB1*02:01+DPB1*13:01");

        var grade = Grader.Grade(patient, donor);

        grade[HlaLocus.DPB1].Mismatches.Should().Be(2);
        grade.OutOf10.Should().Be(10);
    }

    [Test]
    public void Grade_WithoutReferenceTables_GradesOnFieldsAndSaysSo()
    {
        var fieldsOnly = new MatchGrader(HlaReference.None);

        var match = fieldsOnly.GradeLocus(LocusTyping.Parse("A*02:01"), LocusTyping.Parse("A*02:09"));
        var grade = fieldsOnly.Grade(HlaTyping.Parse("A*02:01"), HlaTyping.Parse("A*02:09"));

        match.First.Grade.Should().Be(PositionGrade.Antigen, "without G groups the two alleles share only their family");
        grade.UsedGroups.Should().BeFalse();
        grade.Basis.Should().Contain("allele fields alone");
    }

    private static LocusMatch Locus(string patient, string donor) =>
        Grader.GradeLocus(LocusTyping.Parse(patient), LocusTyping.Parse(donor));

    private static TestCaseData Case(string patient, string donor, PositionGrade grade, MatchConfidence confidence, string why) =>
        new TestCaseData(patient, donor, grade, confidence, why).SetName($"Grade {patient} vs {donor}: {grade} ({why})");
}
