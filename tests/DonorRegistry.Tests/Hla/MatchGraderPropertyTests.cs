using DonorRegistry.Hla;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

public sealed class MatchGraderPropertyTests
{
    private static readonly Dictionary<HlaLocus, string[]> Pool = new()
    {
        [HlaLocus.A] = ["A*02:01", "A*02:09", "A*02:06", "A*24:02", "A*24:03", "A*24:09N", "A*11:01", "A*02"],
        [HlaLocus.B] = ["B*15:01", "B*15:02", "B*46:01", "B*40:01", "B*15"],
        [HlaLocus.C] = ["C*01:02", "C*07:02", "C*03:04"],
        [HlaLocus.DRB1] = ["DRB1*09:01", "DRB1*15:01", "DRB1*12:02"],
        [HlaLocus.DQB1] = ["DQB1*03:03", "DQB1*06:02", "DQB1*03:01"],
    };

    private static readonly MatchGrader Grader = new(HlaFixtures.Reference);

    private static Gen<string[]> Typing(bool unambiguous) =>
        Gen.CollectToArray(Pool.Select(kv =>
        {
            var alleles = unambiguous ? kv.Value.Where(a => a.Contains(':', StringComparison.Ordinal)).ToArray() : kv.Value;
            return Gen.Elements(alleles).Two().Select(t => $"{t.Item1}+{t.Item2}");
        }));

    [Test]
    public void Grade_IsSymmetricInMismatchCount()
    {
        var pairs = Typing(unambiguous: false).Two();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(pairs), pair =>
        {
            var (p, d) = (HlaTyping.Parse(string.Join('^', pair.Item1)), HlaTyping.Parse(string.Join('^', pair.Item2)));
            foreach (var threshold in Enum.GetValues<MatchThreshold>())
            {
                var grader = Grader.WithThreshold(threshold);
                var forward = grader.Grade(p, d);
                var backward = grader.Grade(d, p);
                backward.TotalMismatches.Should().Be(forward.TotalMismatches, $"{p} vs {d} at {threshold}");
                backward.TotalPotentialMismatches.Should().Be(forward.TotalPotentialMismatches);
            }
        }));
    }

    [Test]
    public void Grade_DoesNotDependOnTheOrderThePositionsWereWrittenIn()
    {
        var pairs = Typing(unambiguous: false).Two();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(pairs), pair =>
        {
            var swapped = pair.Item2.Select(g => string.Join('+', g.Split('+').Reverse())).ToArray();
            var original = Grader.Grade(HlaTyping.Parse(string.Join('^', pair.Item1)), HlaTyping.Parse(string.Join('^', pair.Item2)));
            var reordered = Grader.Grade(HlaTyping.Parse(string.Join('^', pair.Item1)), HlaTyping.Parse(string.Join('^', swapped)));
            reordered.TotalMismatches.Should().Be(original.TotalMismatches);
            reordered.Loci.Select(l => (int)l.First.Grade + (int)l.Second.Grade)
                .Should().Equal(original.Loci.Select(l => (int)l.First.Grade + (int)l.Second.Grade));
        }));
    }

    [Test]
    public void Grade_AnyTypingAgainstItself_MatchesAtEveryThresholdAboveAllele()
    {
        // At the Allele threshold a low-resolution name or code (at most GGroup) cannot match, even itself; see below.
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Arb.From(Typing(unambiguous: false)), loci =>
        {
            var typing = HlaTyping.Parse(string.Join('^', loci));
            foreach (var threshold in Enum.GetValues<MatchThreshold>().Where(t => t != MatchThreshold.Allele))
            {
                var grade = new MatchGrader(HlaFixtures.Reference, threshold).Grade(typing, typing);
                grade.OutOf10.Should().Be(10, $"{typing} against itself at {threshold}");
                grade.Count10.Matched.Should().Be(10);
            }
        }));
    }

    [Test]
    public void Grade_MismatchCounts_NeverGoDownAsTheThresholdGetsStricter()
    {
        var pairs = Typing(unambiguous: false).Two();
        var strictestFirst = Enum.GetValues<MatchThreshold>().OrderBy(t => t).Select(t => new MatchGrader(HlaFixtures.Reference, t)).ToList();

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(pairs), pair =>
        {
            var (p, d) = (HlaTyping.Parse(string.Join('^', pair.Item1)), HlaTyping.Parse(string.Join('^', pair.Item2)));
            var counts = strictestFirst.Select(g => g.Grade(p, d)).ToList();
            counts.Select(c => c.TotalMismatches).Should().BeInDescendingOrder($"{p} vs {d}");
            counts.Select(c => c.TotalPotentialMismatches).Should().BeInDescendingOrder();
            foreach (var locus in Enum.GetValues<HlaLocus>())
            {
                counts.Select(c => c[locus].Mismatches).Should().BeInDescendingOrder($"{locus} of {p} vs {d}");
            }
        }));
    }

    [Test]
    public void Grade_TypingWithoutCodesAgainstItself_MatchesAtEveryThreshold()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(Arb.From(Typing(unambiguous: true)), loci =>
        {
            var typing = HlaTyping.Parse(string.Join('^', loci));
            foreach (var threshold in Enum.GetValues<MatchThreshold>())
            {
                new MatchGrader(HlaFixtures.Reference, threshold).Grade(typing, typing).Count10.ToString().Should().Be("10/10", $"{typing} at {threshold}");
            }
        }));
    }

    [Test]
    public void Grade_UnambiguousTypingAgainstItself_Is10Of10Definite()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(Arb.From(Typing(unambiguous: true)), loci =>
        {
            var typing = HlaTyping.Parse(string.Join('^', loci));
            var grade = Grader.Grade(typing, typing);
            grade.OutOf10.Should().Be(10);
            grade.IsDefinite.Should().BeTrue();
            grade.Confidence.Should().Be(MatchConfidence.Definite);
        }));
    }
}
