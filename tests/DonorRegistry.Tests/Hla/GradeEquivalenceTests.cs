using System.Security.Cryptography;
using System.Text;
using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>
/// Thousands of random pairs from the real release 3.58.0, graded at every threshold, against the grades recorded from
/// the grader before the speed work of issue 10 (commit 5d2b4f0, <c>GradeEquivalenceTests.approved.txt</c>): every
/// grade, worst grade, confidence, orientation, reason, count and label must stay exactly the same.
/// </summary>
public sealed class GradeEquivalenceTests
{
    private const int Seed = 10;
    private static readonly HlaLocus[] Matched = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1];

    [Test]
    public void Grade_RandomPairsOfTheRelease_EqualTheRecordedGradesAtEveryThreshold()
    {
        var reference = HlaFixtures.Release("3.58.0");
        var pairs = Draw(reference);
        pairs.Count.Should().BeGreaterThan(2_500, "thousands of pairs are compared");

        var text = new StringBuilder();
        var graders = Enum.GetValues<MatchThreshold>().Select(t => new MatchGrader(reference, t)).ToArray();
        for (var i = 0; i < pairs.Count; i++)
        {
            var (patient, donor) = pairs[i];
            var rendering = new StringBuilder();
            var counts = new List<string>();
            foreach (var grader in graders)
            {
                var grade = grader.Grade(patient, donor);
                Render(grade, rendering);
                counts.Add($"{grade.TotalMismatches}/{grade.TotalPotentialMismatches}");
            }

            text.Append(i).Append(' ').AppendJoin(',', counts).Append(' ')
                .Append(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(rendering.ToString())))[..16]).Append('\n');
        }

        Approvals.Verify(text.ToString(), Path.Combine(TestContext.CurrentContext.TestDirectory, "Hla", "GradeEquivalenceTests.approved.txt"), Path.Combine("Hla", "GradeEquivalenceTests.approved.txt"));
    }

    [Test]
    public void CountMismatches_RandomPairsOfTheRelease_EqualTheFullGradesAtEveryThreshold()
    {
        var reference = HlaFixtures.Release("3.58.0");
        var pairs = Draw(reference);
        foreach (var threshold in Enum.GetValues<MatchThreshold>())
        {
            var grader = new MatchGrader(reference, threshold);
            grader.CountMismatches(pairs).Should().Equal(pairs.Select(p => grader.Grade(p.Patient, p.Donor).TotalMismatches), $"at {threshold}");
        }
    }

    /// <summary>Everything a grade says, reasons included, in a fixed order.</summary>
    private static void Render(MatchGrade grade, StringBuilder text)
    {
        text.Append(grade).Append('|').Append(grade.Count10).Append('|').Append(grade.Count8).Append('|').Append(grade.Count6)
            .Append('|').Append(grade.TotalMismatches).Append('|').Append(grade.TotalPotentialMismatches).Append('|').Append(grade.IsDefinite)
            .Append('|').Append(grade.Confidence).Append('|').Append(grade.Basis).Append('|').Append(grade.Dpb1Tce).Append('\n');
        foreach (var locus in grade.Loci)
        {
            text.Append(locus).Append('|').Append(locus.Crossed).Append('|').Append(locus.Mismatches).Append('|').Append(locus.PotentialMismatches).Append('\n');
            foreach (var position in new[] { locus.First, locus.Second })
            {
                text.Append(position.Grade).Append('|').Append(position.Worst).Append('|').Append(position.Confidence).Append('|')
                    .Append(position.Patient).Append('|').Append(position.Donor).Append('|').Append(position.Reason).Append('\n');
            }
        }
    }

    /// <summary>
    /// 2,000 pairs of two-field expressed names drawn uniformly, and 1,000 mixed pairs: full names of any length (null,
    /// Q and L ones too), two-field names, two-name lists, first-field names and XX codes (1 position in 40 each, as their cross products are large), DPB1, and untyped loci.
    /// Typings the release refuses are left out (the same ones every run: the draw is seeded).
    /// </summary>
    private static List<(HlaTyping Patient, HlaTyping Donor)> Draw(HlaReference reference)
    {
        var random = new Random(Seed);
        var current = File.ReadLines(Path.Combine(HlaFixtures.ReleaseFolder("3.58.0"), "hla_nom.txt"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(';'))
            .Where(parts => parts[3].Length == 0 && parts[0] is "A*" or "B*" or "C*" or "DRB1*" or "DQB1*" or "DPB1*")
            .Select(parts => AlleleName.Parse(parts[0] + parts[1]))
            .GroupBy(name => name.Locus)
            .ToDictionary(g => g.Key, g => g.ToArray());
        var twoField = current.ToDictionary(kv => kv.Key, kv => kv.Value.Where(n => !n.IsNull).Select(n => n.Truncate(2)).Distinct().ToArray());

        string Uniform() => string.Join('^', Matched.Select(l => $"{Pick(twoField[l])}+{Pick(twoField[l])}"));
        string Mixed() => string.Join('^', current.Keys.Where(_ => random.NextDouble() > 0.1).Select(l => $"{Position(l)}+{Position(l)}"));
        string Position(HlaLocus locus) => random.Next(40) switch
        {
            < 16 => Pick(current[locus]).ToString(),
            < 28 => Pick(twoField[locus]).ToString(),
            28 => Pick(twoField[locus]).Truncate(1).ToString(),
            29 => $"{Pick(twoField[locus]).Truncate(1)}:XX",
            < 36 => $"{Pick(twoField[locus])}/{Pick(twoField[locus]).FieldsText()}",
            _ => Pick(current[locus].Where(n => n.IsNull).ToArray()).ToString(),
        };
        AlleleName Pick(AlleleName[] names) => names[random.Next(names.Length)];

        var pairs = new List<(HlaTyping, HlaTyping)>();
        for (var i = 0; i < 3_000; i++)
        {
            var (patient, donor) = i < 2_000 ? (Uniform(), Uniform()) : (Mixed(), Mixed());
            try
            {
                pairs.Add((reference.ParseTyping(patient), reference.ParseTyping(donor)));
            }
            catch (HlaNameException)
            {
                // refused by the release (a truncated name it does not list): the same pair every run
            }
            catch (HlaParseException)
            {
            }
        }

        return pairs;
    }
}
