using DonorRegistry.Hla;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>DPB1 graded by T-cell-epitope groups on the real release 3.58.0, each case decided by the dpb_tce.csv line its reason quotes.</summary>
public sealed class Dpb1TceTests
{
    private static HlaReference Reference => HlaFixtures.Release("3.58.0");

    private static MatchGrader Grader => new(Reference);

    private static Dpb1TceMatch Tce(string patient, string donor) =>
        Grader.GradeDpb1Tce(Reference.ParseLocus(patient, HlaLocus.DPB1), Reference.ParseLocus(donor, HlaLocus.DPB1));

    private static IEnumerable<TestCaseData> Pairs()
    {
        static TestCaseData Case(string patient, string donor, Dpb1TceGrade grade, string why) =>
            new TestCaseData(patient, donor, grade, why).SetName($"GradeDpb1Tce {patient} vs {donor} is {grade}");

        yield return Case("DPB1*04:01+DPB1*04:01", "DPB1*02:01+DPB1*04:02", Dpb1TceGrade.Permissive,
            "'DPB1*04:01:01:01,DPB1*04:01,3,3,', 'DPB1*02:01:02:01,DPB1*02:01,3,3,' and 'DPB1*04:02:01:01,DPB1*04:02,3,3,': a mismatch within group 3 on both sides");
        yield return Case("DPB1*04:01+DPB1*04:01", "DPB1*09:01+DPB1*04:01", Dpb1TceGrade.NonPermissiveHvG,
            "'DPB1*09:01:01:01,DPB1*09:01,1,1,': the donor brings group 1, stronger than the patient's group 3, so the patient's T cells may reject the graft");
        yield return Case("DPB1*09:01+DPB1*04:01", "DPB1*04:01+DPB1*02:01", Dpb1TceGrade.NonPermissiveGvH,
            "'DPB1*09:01:01:01,DPB1*09:01,1,1,' on the patient against 'DPB1*02:01:02:01,DPB1*02:01,3,3,': the donor's T cells see the patient's group 1");
        yield return Case("DPB1*03:01+DPB1*04:01", "DPB1*06:01+DPB1*02:01", Dpb1TceGrade.Permissive,
            "'DPB1*06:01:01:01,DPB1*06:01,3,2a,Assignment changed between V1 and V2': the sub-group 'a' of the V2 value grades as group 2, like 'DPB1*03:01:01:01,DPB1*03:01,2,2,'");
        yield return Case("DPB1*03:01+DPB1*03:01", "DPB1*08:01+DPB1*08:01", Dpb1TceGrade.Permissive,
            "'DPB1*08:01,DPB1*08:01,3$,2a$,...': the V2 value '2a$' (functional distance score) is group 2; the V1 value 3$ is not used");
        yield return Case("DPB1*18:01+DPB1*18:01", "DPB1*03:01+DPB1*04:01", Dpb1TceGrade.NonPermissiveHvG,
            "'DPB1*18:01:01:01,DPB1*18:01,,3$,V2 Assignment based on functional distance scores': no V1 value, V2 '3$' is group 3, weaker than the donor's group 2");
        yield return Case("DPB1*61:01N+DPB1*09:01", "DPB1*09:01+DPB1*04:01", Dpb1TceGrade.Permissive,
            "'DPB1*61:01N,NA,0,0,': the null allele has no group, so the patient carries DPB1*09:01 ('DPB1*09:01:01:01,DPB1*09:01,1,1,') twice");
        yield return Case("DPB1*61:01N+DPB1*04:01:01:24N", "DPB1*04:01+DPB1*04:01", Dpb1TceGrade.Unknown,
            "'DPB1*61:01N,NA,0,0,' and 'DPB1*04:01:01:24N,NA,0,0,': neither of the patient's alleles is expressed, so there is no group to compare");
        yield return Case("DPB1*09:01/02:01+DPB1*04:01", "DPB1*04:01+DPB1*04:01", Dpb1TceGrade.Unknown,
            "'DPB1*09:01:01:01,DPB1*09:01,1,1,' and 'DPB1*02:01:02:01,DPB1*02:01,3,3,': the ambiguous position may be group 1 or 3");
        yield return Case("DPB1*04:01:01:01+DPB1*04:01", "DPB1*04:01+DPB1*04:01", Dpb1TceGrade.Permissive,
            "'DPB1*04:01:01:01,DPB1*04:01,3,3,': a match is permissive");
    }

    [TestCaseSource(nameof(Pairs))]
    public void GradeDpb1Tce_TheFileDecides(string patient, string donor, Dpb1TceGrade grade, string why)
    {
        var match = Tce(patient, donor);

        match.Grade.Should().Be(grade, why);
        match.Reason.Should().Contain("dpb_tce.csv line", "the reason names the line that decides");
    }

    [Test]
    public void GradeDpb1Tce_Reason_QuotesTheLinesThatDecide()
    {
        var match = Tce("DPB1*04:01+DPB1*04:01", "DPB1*09:01+DPB1*04:01");

        match.Reason.Should().Contain("dpb_tce.csv line 734 'DPB1*09:01:01:01,DPB1*09:01,1,1,'")
            .And.Contain("dpb_tce.csv line 318 'DPB1*04:01:01:01,DPB1*04:01,3,3,'")
            .And.Contain("host versus graft");
        match.PatientGroups.Should().Be("3+3");
        match.DonorGroups.Should().Be("1+3");
    }

    /// <summary>The reference engine's table, donor's groups by patient's groups (Atlas Dpb1TceGroupMatchCalculator), all 36 cases.</summary>
    private static IEnumerable<TestCaseData> ReferenceEngineTable()
    {
        const Dpb1TceGrade P = Dpb1TceGrade.Permissive, G = Dpb1TceGrade.NonPermissiveGvH, H = Dpb1TceGrade.NonPermissiveHvG;
        string[] pairs = ["1+1", "1+2", "1+3", "2+2", "2+3", "3+3"];

        // Rows: donor 1+1, 1+2, 1+3, 2+2, 2+3, 3+3; columns: patient in the same order.
        Dpb1TceGrade[][] table =
        [
            [P, P, P, H, H, H],
            [P, P, P, H, H, H],
            [P, P, P, H, H, H],
            [G, G, G, P, P, H],
            [G, G, G, P, P, H],
            [G, G, G, G, G, P],
        ];
        for (var d = 0; d < pairs.Length; d++)
        {
            for (var p = 0; p < pairs.Length; p++)
            {
                yield return new TestCaseData(pairs[p], pairs[d], table[d][p]).SetName($"GradeDpb1Tce patient {pairs[p]} donor {pairs[d]} is {table[d][p]}");
            }
        }
    }

    /// <summary>Alleles of each group: 'DPB1*09:01:01:01,DPB1*09:01,1,1,', 'DPB1*10:01:01:01,DPB1*10:01,1,1,', 'DPB1*03:01:01:01,DPB1*03:01,2,2,', 'DPB1*06:01:01:01,...,3,2a,...', 'DPB1*02:01:02:01,DPB1*02:01,3,3,', 'DPB1*04:01:01:01,DPB1*04:01,3,3,'.</summary>
    private static string Typing(string groups, bool second) => string.Join('+', groups.Split('+').Select((g, i) => g switch
    {
        "1" => (i == 0) ^ second ? "DPB1*09:01" : "DPB1*10:01",
        "2" => (i == 0) ^ second ? "DPB1*03:01" : "DPB1*06:01",
        _ => (i == 0) ^ second ? "DPB1*02:01" : "DPB1*04:01",
    }));

    [TestCaseSource(nameof(ReferenceEngineTable))]
    public void GradeDpb1Tce_AgreesWithTheReferenceEngineTable(string patientGroups, string donorGroups, Dpb1TceGrade expected)
    {
        var match = Tce(Typing(patientGroups, second: false), Typing(donorGroups, second: true));

        match.Grade.Should().Be(expected);
        match.PatientGroups.Should().Be(patientGroups);
        match.DonorGroups.Should().Be(donorGroups);
    }

    [TestCase("DPB1*06:01:01:01", 2, "'DPB1*06:01:01:01,DPB1*06:01,3,2a,...': '2a' is group 2")]
    [TestCase("DPB1*08:01", 2, "'DPB1*08:01,DPB1*08:01,3$,2a$,...': '2a$' is group 2")]
    [TestCase("DPB1*22:01:01:01", 3, "'DPB1*22:01:01:01,DPB1*22:01,3$,3$,...': '3$' is group 3")]
    [TestCase("DPB1*61:01N", 0, "'DPB1*61:01N,NA,0,0,': a null allele has no group")]
    [TestCase("DPB1*04:01", 3, "every expressed DPB1*04:01 allele is 3, as 'DPB1*04:01:01:01,DPB1*04:01,3,3,'; the null 'DPB1*04:01:01:24N,NA,0,0,' does not count")]
    public void Dpb1TceGroup_ReadsTheSuffixesAndNulls(string allele, int group, string why) =>
        Reference.Dpb1TceGroup(AlleleName.Parse(allele)).Should().Be(group, why);

    [Test]
    public void Load_Release324_HasNoTceFile_SoTheGradeIsUnavailableNotGuessed()
    {
        var old = HlaFixtures.Release("3.24.0");
        var grader = new MatchGrader(old);
        var patient = old.ParseTyping("A*02:01+A*02:01^DPB1*04:01+DPB1*04:01");
        var donor = old.ParseTyping("A*02:01+A*02:01^DPB1*09:01+DPB1*04:01");

        var grade = grader.Grade(patient, donor);

        old.HasDpb1Tce.Should().BeFalse();
        Reference.HasDpb1Tce.Should().BeTrue();
        grade.Dpb1Tce!.Grade.Should().Be(Dpb1TceGrade.Unavailable);
        grade.Dpb1Tce.Reason.Should().Contain("has no dpb_tce.csv");
        grade.Dpb1Tce.PatientGroups.Should().BeNull();
    }

    [Test]
    public void Grade_DpbTypedOnOneSideOnly_HasNoTceGrade()
    {
        var patient = Reference.ParseTyping("A*02:01+A*02:01^DPB1*04:01+DPB1*04:01");
        var donor = Reference.ParseTyping("A*02:01+A*02:01");

        Grader.Grade(patient, donor).Dpb1Tce.Should().BeNull();
        Grader.Grade(patient, patient).Dpb1Tce!.Grade.Should().Be(Dpb1TceGrade.Permissive);
    }

    [Test]
    public void Grade_NonPermissiveDpb1_NeverCountsTowardsTheTotals()
    {
        var patient = Reference.ParseTyping("A*02:01+A*24:02^B*07:02+B*08:01^C*07:01+C*07:02^DRB1*15:01+DRB1*03:01^DQB1*06:02+DQB1*02:01^DPB1*04:01+DPB1*04:01");
        var donor = Reference.ParseTyping("A*02:01+A*24:02^B*07:02+B*08:01^C*07:01+C*07:02^DRB1*15:01+DRB1*03:01^DQB1*06:02+DQB1*02:01^DPB1*09:01+DPB1*17:01");

        var grade = Grader.Grade(patient, donor);

        grade.Dpb1Tce!.Grade.Should().Be(Dpb1TceGrade.NonPermissiveHvG);
        grade[HlaLocus.DPB1].Mismatches.Should().Be(2);
        grade.OutOf10.Should().Be(10);
        grade.TotalMismatches.Should().Be(0);
        grade.Count10.ToString().Should().StartWith("10/10");
    }

    [Test]
    public void GradeDpb1Tce_AnotherLocus_IsRefused()
    {
        var act = () => Grader.GradeDpb1Tce(Reference.ParseLocus("A*02:01+A*02:01"), Reference.ParseLocus("DPB1*04:01+DPB1*04:01"));

        act.Should().Throw<HlaGradingException>().WithMessage("*TCE groups grade DPB1 typings only*");
    }

    /// <summary>Real DPB1 names of every group, a null, a list spanning groups and a two-field name.</summary>
    private static readonly string[] Pool =
        ["DPB1*09:01", "DPB1*10:01", "DPB1*17:01", "DPB1*03:01", "DPB1*06:01", "DPB1*08:01", "DPB1*02:01", "DPB1*04:01", "DPB1*04:02", "DPB1*18:01", "DPB1*61:01N", "DPB1*09:01/02:01", "DPB1*04:01:01:01"];

    private static Gen<string> Genotype => Gen.Elements(Pool).Two().Select(t => $"{t.Item1}+{t.Item2}");

    [Test]
    public void GradeDpb1Tce_SwappingPatientAndDonor_FlipsTheDirection()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(Arb.From(Genotype.Two()), pair =>
        {
            var forward = Tce(pair.Item1, pair.Item2);
            var backward = Tce(pair.Item2, pair.Item1);
            var flipped = forward.Grade switch
            {
                Dpb1TceGrade.NonPermissiveGvH => Dpb1TceGrade.NonPermissiveHvG,
                Dpb1TceGrade.NonPermissiveHvG => Dpb1TceGrade.NonPermissiveGvH,
                var same => same,
            };
            backward.Grade.Should().Be(flipped, $"{pair.Item1} vs {pair.Item2}");
            (backward.PatientGroups, backward.DonorGroups).Should().Be((forward.DonorGroups, forward.PatientGroups));
        }));
    }

    [Test]
    public void GradeDpb1Tce_AMatch_IsNeverNonPermissive()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), Prop.ForAll(Arb.From(Genotype.Two()), pair =>
        {
            var (patient, donor) = (Reference.ParseLocus(pair.Item1, HlaLocus.DPB1), Reference.ParseLocus(pair.Item2, HlaLocus.DPB1));
            Grader.GradeDpb1Tce(patient, patient).IsNonPermissive.Should().BeFalse($"{pair.Item1} against itself");
            foreach (var threshold in new[] { MatchThreshold.Allele, MatchThreshold.GGroup, MatchThreshold.PGroup })
            {
                var grader = Grader.WithThreshold(threshold);
                if (grader.GradeLocus(patient, donor) is { Mismatches: 0, IsDefinite: true })
                {
                    grader.GradeDpb1Tce(patient, donor).IsNonPermissive.Should().BeFalse($"{pair.Item1} matches {pair.Item2} at {threshold}");
                }
            }
        }));
    }
}
