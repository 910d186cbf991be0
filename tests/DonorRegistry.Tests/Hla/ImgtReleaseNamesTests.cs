using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>Both real releases in ../shared/data: each loads, reports its version, and every allele name of hla_nom.txt is accepted or refused as documented.</summary>
[TestFixture("3.24.0", 14_928)]
[TestFixture("3.58.0", 41_781)]
public sealed class ImgtReleaseNamesTests(string version, int names)
{
    private static readonly HashSet<string> RegistryLoci = Enum.GetNames<HlaLocus>().Select(l => l + "*").ToHashSet();

    [Test]
    public void Load_ReportsTheReleaseAndEveryNameOfHlaNom()
    {
        var reference = HlaFixtures.Release(version);

        reference.Release.Should().Be("IPD-IMGT/HLA " + version);
        reference.NameCount.Should().Be(names);
        reference.ChecksNames.Should().BeTrue();
        reference.HasGroups.Should().BeTrue();
    }

    [Test]
    public void ParseLocus_EveryAlleleNameOfTheRegistrysLociInHlaNom_IsAcceptedFollowedOrRefusedAsDocumented()
    {
        var reference = HlaFixtures.Release(version);
        var converting = reference.WithNameRules(new HlaNameRules { ConvertPre2010Names = true });
        var outcomes = new Dictionary<string, int>();
        var lines = File.ReadLines(Path.Combine(HlaFixtures.ReleaseFolder(version), "hla_nom.txt"))
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(';'))
            .Where(parts => RegistryLoci.Contains(parts[0]))
            .ToList();

        foreach (var parts in lines)
        {
            var name = parts[0] + parts[1];
            var line = string.Join(';', parts);
            string outcome;
            if (parts[3].Length == 0)
            {
                var typing = reference.ParseLocus(name);
                typing.First!.Alleles.Should().Equal([AlleleName.Parse(name)], line);
                typing.Notes.Should().BeEmpty(line);
                reference.Resolve(typing.First.Alleles[0]).Should().NotBeEmpty(line);
                outcome = reference.GGroup(typing.First.Alleles[0]) is null ? "current, not yet in hla_nom_g.txt" : "current";
            }
            else if (!parts[1].Contains(':', StringComparison.Ordinal))
            {
                // A four-digit DPB1 name (DPB1*4201) reads as a DPB1 family (current since 2019), whose own deleted line decides it.
                try
                {
                    outcome = "four-digit DPB1 family, " + Converted(reference, name, line);
                    name.Should().StartWith("DPB1*", line);
                }
                catch (HlaParseException e)
                {
                    e.Expected.Should().Contain("pre-2010", line);
                    outcome = "pre-2010 refused, " + Converted(converting, name, line);
                }
            }
            else
            {
                outcome = Converted(reference, name, line);
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        lines.Count.Should().BeGreaterThan(10_000);
        outcomes["current"].Should().BeGreaterThan(10_000);
        outcomes.GetValueOrDefault("current, not yet in hla_nom_g.txt").Should().BeLessThan(100, "the group files list nearly every current allele");
        outcomes.Keys.Should().Contain("renamed");
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")));
    }

    /// <summary>A deleted name: followed to its successor with a note, or refused as having none.</summary>
    private static string Converted(HlaReference reference, string name, string line)
    {
        try
        {
            var typing = reference.ParseLocus(name);
            typing.Notes.Should().NotBeEmpty(line);
            return "renamed";
        }
        catch (HlaNameException e)
        {
            e.Name.Should().Be(name, line);
            e.Problem.Should().Contain("no successor", line);
            return "deleted without successor";
        }
    }
}

/// <summary>The cases the issue found, on release 3.58.0: each decided by the hla_nom.txt line quoted.</summary>
public sealed class ImgtRelease358Tests
{
    private static HlaReference Reference => HlaFixtures.Release("3.58.0");

    [TestCase("A*99:99", "no line of hla_nom.txt names A*99")]
    [TestCase("A*02:999", "no line names A*02:999 or a name beginning with it")]
    [TestCase("A*01:01:01:02", "'A*;01:01:01:02N;20050429;;;' is the only such name, and it is null")]
    public void ParseLocus_NameNotInTheRelease_IsRefusedNamingItAndTheRelease(string name, string line)
    {
        var act = () => Reference.ParseLocus(name);

        act.Should().Throw<HlaNameException>(line).WithMessage($"{name} is refused by IPD-IMGT/HLA 3.58.0: *");
    }

    [Test]
    public void ParseLocus_A0134N_FollowsTheReleaseToTheExpressedA010138L()
    {
        // 'A*;01:34N;20090131;20110325;01:01:38L;Shown to be expressed at low levels'
        var typing = Reference.ParseLocus("A*01:34N");
        var grade = new MatchGrader(Reference).GradeLocus(typing, Reference.ParseLocus("A*01:01:38L"));

        typing.First!.IsNull.Should().BeFalse();
        typing.Notes.Should().ContainSingle().Which.Should().Contain("renamed A*01:01:38L");
        grade.Mismatches.Should().Be(0, "it is the same allele, not a null");
    }

    [Test]
    public void ParseLocus_B15321WithoutItsQ_IsResolvedToB15321Q()
    {
        // 'B*;15:321Q;20140430;;;'
        Reference.ParseLocus("B*15:321").First!.Alleles.Should().Equal(AlleleName.Parse("B*15:321Q"));
    }

    [Test]
    public void ParseLocus_Pre2010NameTheReleaseRenamed_TakesTheReleasesSuccessor()
    {
        // 'A*;020116;20070731;20070928;02:134;Sequence renamed': A*020116 is not A*02:01:16.
        var converting = Reference.WithNameRules(new HlaNameRules { ConvertPre2010Names = true });

        converting.ParseLocus("A*020116").First!.Alleles.Should().Equal(AlleleName.Parse("A*02:134"));
    }
}
