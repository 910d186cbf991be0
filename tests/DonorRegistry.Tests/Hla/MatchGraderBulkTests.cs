using DonorRegistry.Hla;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>The reason-free bulk path counts exactly what the full grade counts.</summary>
public sealed class MatchGraderBulkTests
{
    private static readonly string[][] Pool =
    [
        ["A*02:01", "A*02:09", "A*02:06", "A*24:02", "A*24:09N", "A*11:01", "A*02", "A*02:AB"],
        ["B*15:01", "B*15:02", "B*46:01", "B*15", "B*15:321"],
        ["DRB1*09:01", "DRB1*15:01"],
    ];

    private static Gen<string> Typing =>
        Gen.CollectToArray(Pool.Select(names => Gen.Elements(names).Two().Select(t => $"{t.Item1}+{t.Item2}")))
            .Select(loci => string.Join('^', loci));

    [Test]
    public void CountMismatches_EqualsTheFullGradesTotalAtEveryThreshold()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(Arb.From(Gen.ListOf(Typing.Two(), 20)), list =>
        {
            var pairs = list.Select(p => (HlaFixtures.Reference.ParseTyping(p.Item1), HlaFixtures.Reference.ParseTyping(p.Item2))).ToList();
            foreach (var threshold in Enum.GetValues<MatchThreshold>())
            {
                var grader = new MatchGrader(HlaFixtures.Reference, threshold);
                grader.CountMismatches(pairs).Should().Equal(pairs.Select(p => grader.Grade(p.Item1, p.Item2).TotalMismatches), $"at {threshold}");
            }
        }));
    }

    [Test]
    public void CountMismatches_NullTyping_NamesThePair()
    {
        var typing = HlaFixtures.Reference.ParseTyping("A*02:01+A*02:01");
        var act = () => new MatchGrader(HlaFixtures.Reference).CountMismatches([(typing, typing), (typing, null!)]);

        act.Should().Throw<HlaGradingException>().WithMessage("*pair 1 with a null donor typing*");
    }
}
