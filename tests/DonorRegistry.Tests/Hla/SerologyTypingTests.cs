using DonorRegistry.Hla;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>
/// Serology-only typings (issue 10, Build item 4: "a serology typing grades at most at the serology levels") on the real
/// release 3.58.0, each case decided by the IMGT line quoted in its reason (ADR 7, "Serology typings").
/// </summary>
public sealed class SerologyTypingTests
{
    private static HlaReference Reference => HlaFixtures.Release("3.58.0");

    private static IEnumerable<TestCaseData> Positions()
    {
        yield return Case("A2", "A*02:01", PositionGrade.Antigen, PositionGrade.Antigen, "rel_dna_ser.txt 'A*;02:01:01:01;2;;;': the same antigen, graded at the serology level though A*02:01 carries A2");
        yield return Case("A2", "A2", PositionGrade.Antigen, PositionGrade.Antigen, "rel_ser_ser.txt 'A;2;;203/210': A2 against itself is the same antigen, never Allele");
        yield return Case("A2", "A*02:03", PositionGrade.Associated, PositionGrade.Associated, "rel_dna_ser.txt 'A*;02:03:01:01;203;;;' and rel_ser_ser.txt 'A;2;;203/210': A203 is associated with A2");
        yield return Case("A203", "A2", PositionGrade.Associated, PositionGrade.Associated, "rel_ser_ser.txt 'A;2;;203/210': serology against serology");
        yield return Case("A9", "A*24:02", PositionGrade.Broad, PositionGrade.Broad, "rel_dna_ser.txt 'A*;24:02:01:01;24;;;' and rel_ser_ser.txt 'A;9;23/24;': a split against its broad");
        yield return Case("A23", "A24", PositionGrade.Mismatch, PositionGrade.Mismatch, "rel_ser_ser.txt 'A;9;23/24;': two splits of one broad are different antigens");
        yield return Case("A2", "A*01:01", PositionGrade.Mismatch, PositionGrade.Mismatch, "rel_dna_ser.txt 'A*;01:01:01:01;1;;;': antigen A1 against A2");
        yield return Case("A2", "A*01:01:01:02N", PositionGrade.ExpressingVsNull, PositionGrade.ExpressingVsNull, "rel_dna_ser.txt 'A*;01:01:01:02N;0;;;': a null allele against an expressed antigen");
        yield return Case("B62", "B*15:01", PositionGrade.Antigen, PositionGrade.Antigen, "rel_dna_ser.txt 'B*;15:01:01:01;62;;;': B*15:01 carries B62");
        yield return Case("B62", "B*15:03", PositionGrade.Mismatch, PositionGrade.Mismatch, "rel_dna_ser.txt 'B*;15:03:01:01;72;;;': B72 is a split of B70, not of B15 (rel_ser_ser.txt 'B;70;71/72;')");
        yield return Case("B44", "B*44:02", PositionGrade.Antigen, PositionGrade.Antigen, "rel_dna_ser.txt 'B*;44:02:01:01;44;;;'");
        yield return Case("B12", "B44", PositionGrade.Broad, PositionGrade.Broad, "rel_ser_ser.txt 'B;12;44/45;': serology broad against its split");
        yield return Case("B40", "B*40:05", PositionGrade.Antigen, PositionGrade.Antigen, "rel_dna_ser.txt 'B*;40:05:01:01;4005;;;40': the expert column gives B*40:05 B40 as well as B4005, so the same antigen");
        yield return Case("B21", "B*40:05", PositionGrade.Associated, PositionGrade.Associated, "rel_dna_ser.txt 'B*;40:05:01:01;4005;;;40' and rel_ser_ser.txt 'B;21;49/50;4005': B4005 is associated with B21");
        yield return Case("Cw7", "C*07:01", PositionGrade.Antigen, PositionGrade.Antigen, "rel_dna_ser.txt 'C*;07:01:01:01;7;;;': Cw7 is the HLA-C antigen 7");
        yield return Case("DR4", "DRB1*04:01", PositionGrade.Antigen, PositionGrade.Antigen, "rel_dna_ser.txt 'DRB1*;04:01:01:01;4;;;'");
        yield return Case("DR2", "DRB1*15:01", PositionGrade.Broad, PositionGrade.Broad, "rel_dna_ser.txt 'DRB1*;15:01:01:01;15;;;' and rel_ser_ser.txt 'DR;2;15/16;'");
        yield return Case("DR1", "DRB1*01:03", PositionGrade.Associated, PositionGrade.Associated, "rel_dna_ser.txt 'DRB1*;01:03:01:01;103;;;' and rel_ser_ser.txt 'DR;1;;103'");
        yield return Case("DQ2", "DQB1*02:01", PositionGrade.Antigen, PositionGrade.Antigen, "rel_dna_ser.txt 'DQB1*;02:01:01:01;2;;;'");
    }

    private static TestCaseData Case(string patient, string donor, PositionGrade best, PositionGrade worst, string why) =>
        new TestCaseData(patient, donor, best, worst, why).SetName($"GradeLocus_{patient}_against_{donor}_is_{best}");

    [TestCaseSource(nameof(Positions))]
    public void GradeLocus_SerologyTyping_GradesAtTheSerologyLevelTheReleaseGives(string patient, string donor, PositionGrade best, PositionGrade worst, string why)
    {
        var (p, d) = (Reference.ParseLocus(patient), Reference.ParseLocus(donor));

        foreach (var (x, y) in new[] { (p, d), (d, p) })
        {
            var match = new MatchGrader(Reference).GradeLocus(x, y);
            match.First.Grade.Should().Be(best, why);
            match.First.Worst.Should().Be(worst, why);
            match.First.Reason.Should().Contain("serology", "the reason says a serology typing decided");
        }
    }

    [Test]
    public void GradeLocus_SerologyTyping_NeverGradesAllelGGroupOrPGroup_SoItCountsOnlyAtTheAntigenThreshold()
    {
        // 'A*;02:01:01:01;2;;;': A2 may well be A*02:01, but serology cannot tell, so at PGroup (the default) it is a mismatch.
        var (p, d) = (Reference.ParseLocus("A2+A2"), Reference.ParseLocus("A*02:01"));

        foreach (var threshold in Enum.GetValues<MatchThreshold>())
        {
            var match = new MatchGrader(Reference, threshold).GradeLocus(p, d);
            ((int)match.First.Grade).Should().BeGreaterThan((int)PositionGrade.PGroup);
            match.Mismatches.Should().Be(threshold == MatchThreshold.Antigen ? 0 : 2, $"{threshold}");
            match.Confidence.Should().Be(threshold == MatchThreshold.Antigen ? MatchConfidence.Potential : MatchConfidence.Mismatch, "a serology match is never definite");
        }
    }

    [Test]
    public void GradeLocus_NullBesideASerologyAntigen_CarriesTheAntigenAtBothPositions()
    {
        // 'A*;01:01:01:02N;0;;;' is not expressed, so the locus expresses A2 twice.
        var match = new MatchGrader(Reference, MatchThreshold.Antigen).GradeLocus(Reference.ParseLocus("A*01:01:01:02N+A2"), Reference.ParseLocus("A*02:01+A2"));

        match.Mismatches.Should().Be(0);
        match.First.Grade.Should().Be(PositionGrade.Antigen);
        match.Second.Grade.Should().Be(PositionGrade.Antigen);
    }

    [Test]
    public void GradeLocus_SerologyTyping_ReasonNamesTheAntigensThatDecide()
    {
        // 'A*;02:03:01:01;203;;;' and 'A;2;;203/210'.
        var match = new MatchGrader(Reference).GradeLocus(Reference.ParseLocus("A2"), Reference.ParseLocus("A*02:03"));

        match.First.Reason.Should().Be("A2 (serology) and A*02:03 (as A*02:03:01:01), antigen 203: serologically associated antigens; a serology typing grades at most at the serology levels, never Allele, GGroup or PGroup");
    }

    [Test]
    public void ParseLocus_SerologyTyping_ResolvesToTheAllelesCarryingTheAntigen()
    {
        var position = Reference.ParseLocus("B12").First!;

        position.IsSerology.Should().BeTrue();
        position.Serology.Should().Be("B12");
        position.ToString().Should().Be("B12");
        position.IsSingleAllele.Should().BeFalse();
        // rel_ser_ser.txt 'B;12;44/45;': the broad B12 stands for the alleles of B44 and B45 ('B*;44:02:01:01;44;;;').
        position.Alleles.Should().Contain(AlleleName.Parse("B*44:02:01:01")).And.Contain(AlleleName.Parse("B*45:01:01:01"))
            .And.NotContain(a => a.IsNull).And.NotContain(AlleleName.Parse("B*07:02:01:01"));
    }

    [Test]
    public void ParseTyping_SerologyAndAllelesMixed_ReadsEveryLocus()
    {
        var typing = Reference.ParseTyping("A2+A*24:02^B44+B62^Cw7^DR4+DRB1*15:01^DQ2+DQ7");

        typing.ToString().Should().Be("A2+A*24:02^B44+B62^Cw7^DR4+DRB1*15:01^DQ2+DQ7");
        typing[HlaLocus.C].First!.IsSerology.Should().BeTrue();
        typing[HlaLocus.A].Second!.IsSerology.Should().BeFalse();
        new MatchGrader(Reference, MatchThreshold.Antigen).Grade(typing, typing).OutOf10.Should().Be(10);
    }

    [TestCase("A02", 1, "without leading zeros")]
    [TestCase("A0201", 1, "A*02:01")]
    [TestCase("A2/A3", 2, "stands alone at its position")]
    [TestCase("B44", 0, "locus A, not the B antigen B44")]
    [TestCase("A12345", 1, "one to four digits")]
    public void ParseLocus_MalformedSerology_NamesTheValueThePositionAndWhatIsAllowed(string text, int position, string allowed)
    {
        var act = () => Reference.ParseLocus(text, HlaLocus.A);

        var thrown = act.Should().Throw<HlaParseException>().Which;
        thrown.Position.Should().Be(position);
        thrown.Expected.Should().Contain(allowed);
        thrown.Message.Should().Contain(text.Length > 5 ? text[..3] : text);
    }

    [TestCase("A99")]
    [TestCase("DR52")]
    [TestCase("Cw99")]
    public void ParseLocus_AntigenTheReleaseDoesNotAssign_IsRefusedNamingItAndTheRelease(string text)
    {
        // rel_ser_ser.txt and rel_dna_ser.txt assign no A99 or Cw99; DR52 is a DRB3 antigen, not one of DRB1.
        var act = () => Reference.ParseLocus(text);

        var thrown = act.Should().Throw<HlaNameException>().Which;
        thrown.Name.Should().Be(text);
        thrown.Release.Should().Be(Reference.Release);
        thrown.Problem.Should().Contain("at position 1").And.Contain("A2, B44, Cw7, DR4 or DQ2");
    }

    [Test]
    public void ParseLocus_SerologyWithoutARelease_IsRefusedSayingWhereItCanBeRead()
    {
        var act = () => LocusTyping.Parse("A2+A24");

        act.Should().Throw<HlaParseException>().Which.Expected.Should().Contain("serological antigen").And.Contain("HlaReference.ParseTyping");
    }

    private static readonly Dictionary<HlaLocus, string[]> Pool = new()
    {
        [HlaLocus.A] = ["A2", "A203", "A9", "A23", "A24", "A*02:01", "A*02:03", "A*24:02", "A*23:01", "A*01:01:01:02N", "A*02"],
        [HlaLocus.B] = ["B12", "B44", "B45", "B62", "B15", "B*44:02", "B*15:01", "B*15:03", "B*40:05"],
        [HlaLocus.C] = ["Cw7", "Cw3", "Cw9", "C*07:01", "C*03:03"],
        [HlaLocus.DRB1] = ["DR2", "DR15", "DR1", "DR103", "DRB1*15:01", "DRB1*01:03"],
        [HlaLocus.DQB1] = ["DQ1", "DQ5", "DQ2", "DQB1*05:01", "DQB1*02:01"],
    };

    private static Gen<string> Typing() =>
        Gen.CollectToArray(Pool.Select(kv => Gen.Elements(kv.Value).Two().Select(t => $"{t.Item1}+{t.Item2}"))).Select(loci => string.Join('^', loci));

    [Test]
    public void Grade_SerologyTypingAgainstItself_MatchesAtTheAntigenThreshold()
    {
        // Not at stricter thresholds: a serology position grades at most Associated, so it cannot match even itself there.
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Arb.From(Typing()), text =>
        {
            var typing = Reference.ParseTyping(text);
            new MatchGrader(Reference, MatchThreshold.Antigen).Grade(typing, typing).OutOf10.Should().Be(10, text);
            var serologyPositions = typing.Loci.Sum(l => l.IsUntyped ? 0 : (l.First!.IsSerology ? 1 : 0) + (l.Second!.IsSerology ? 1 : 0));
            new MatchGrader(Reference, MatchThreshold.PGroup).Grade(typing, typing).TotalMismatches.Should().BeGreaterThanOrEqualTo(serologyPositions == 0 ? 0 : 1, text);
        }));
    }

    [Test]
    public void Grade_WithSerologyTypings_IsSymmetricAndMonotoneInTheThreshold()
    {
        var strictestFirst = Enum.GetValues<MatchThreshold>().OrderBy(t => t).Select(t => new MatchGrader(Reference, t)).ToList();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Arb.From(Typing().Two()), pair =>
        {
            var (p, d) = (Reference.ParseTyping(pair.Item1), Reference.ParseTyping(pair.Item2));
            var forward = strictestFirst.Select(g => g.Grade(p, d)).ToList();
            var backward = strictestFirst.Select(g => g.Grade(d, p)).ToList();
            backward.Select(c => c.TotalMismatches).Should().Equal(forward.Select(c => c.TotalMismatches), $"{p} vs {d}");
            backward.Select(c => c.TotalPotentialMismatches).Should().Equal(forward.Select(c => c.TotalPotentialMismatches));
            forward.Select(c => c.TotalMismatches).Should().BeInDescendingOrder($"{p} vs {d}");
            forward.Select(c => c.TotalPotentialMismatches).Should().BeInDescendingOrder();
            foreach (var locus in forward[0].Loci.Where(l => l.IsTyped))
            {
                foreach (var position in new[] { locus.First, locus.Second })
                {
                    if (position.Patient!.IsSerology || position.Donor!.IsSerology)
                    {
                        ((int)position.Grade).Should().BeGreaterThan((int)PositionGrade.PGroup, $"{position} never better than the serology levels");
                    }
                }
            }
        }));
    }
}
