using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>Names checked against the loaded release's hla_nom.txt, on the small fixture release (always present).</summary>
public sealed class ReleaseNamesTests
{
    private static readonly HlaReference Reference = HlaFixtures.Reference;

    private static IEnumerable<TestCaseData> Refused()
    {
        yield return Refusal("A*99:99", "not an allele of the release", "no line of the fixture hla_nom.txt names A*99:99");
        yield return Refusal("A*02:999", "not an allele of the release", "no line names A*02:999 or a longer name beginning with it");
        yield return Refusal("A*01:01:01:02", "the release has the null allele A*01:01:01:02N", "'A*;01:01:01:02N;20050429;;;': the only such name is null, and a name without 'N' means expressed");
        yield return Refusal("A*24:09", "the release has the null allele A*24:09N", "'A*;24:09N;19960101;;;'");
        yield return Refusal("A*02:100", "deleted on 2010-04-01 (Never assigned) and has no successor", "'A*;02:100;20100401;20100401;;Never assigned'");
        yield return Refusal("A*02:09L", "the release has", "'A*;02:09;19950101;;;' has no suffix; no A*02:09L exists").SetName("Check A*02:09L: another suffix than the release's is refused");
    }

    private static TestCaseData Refusal(string name, string problem, string line) =>
        new TestCaseData(name, problem, line).SetName($"Check {name}: refused ({line})");

    [TestCaseSource(nameof(Refused))]
    public void ParseLocus_NameTheReleaseRefuses_ThrowsNamingItAndTheRelease(string name, string problem, string line)
    {
        var act = () => Reference.ParseLocus(name);

        act.Should().Throw<HlaNameException>(line)
            .Which.Should().Match<HlaNameException>(e => e.Name == name && e.Release == "fixture 1" && e.Problem.Contains(problem, StringComparison.Ordinal) && e.Message.StartsWith($"{name} is refused by fixture 1: ", StringComparison.Ordinal));
    }

    [Test]
    public void ParseLocus_NullNameWrittenWithoutItsN_SuggestsTheNullName()
    {
        var act = () => Reference.ParseLocus("A*01:01:01:02");

        act.Should().Throw<HlaNameException>().Which.Suggestion.Should().Be("A*01:01:01:02N");
    }

    [Test]
    public void ParseLocus_RenamedName_FollowsTheRenamedToColumnWithANote()
    {
        // 'A*;01:34N;20090131;20110325;01:01:38L;Shown to be expressed at low levels'
        var typing = Reference.ParseLocus("A*01:34N+A*02:01");

        typing.First!.Alleles.Should().Equal(AlleleName.Parse("A*01:01:38L"));
        typing.First.IsNull.Should().BeFalse("A*01:01:38L is expressed (at low levels); the old null name must not be graded as a null");
        typing.Notes.Should().ContainSingle().Which.Should().Contain("A*01:34N was renamed A*01:01:38L in fixture 1").And.Contain("Shown to be expressed at low levels");
    }

    [Test]
    public void ParseLocus_RenamedNameInStrictMode_IsRefusedWithTheNewName()
    {
        var strict = Reference.WithNameRules(new HlaNameRules { Strict = true });

        var act = () => strict.ParseLocus("A*01:34N");

        act.Should().Throw<HlaNameException>().WithMessage("A*01:34N is refused by fixture 1: A*01:34N was renamed A*01:01:38L on 2011-03-25*strict*")
            .Which.Suggestion.Should().Be("A*01:01:38L");
    }

    [Test]
    public void ParseLocus_NameWithoutItsQSuffix_IsResolvedWithANoteOrRefusedWhenStrict()
    {
        // 'B*;15:321Q;20140430;;;' is the only B*15:321 name.
        var typing = Reference.ParseLocus("B*15:321");
        var strict = () => Reference.WithNameRules(new HlaNameRules { Strict = true }).ParseLocus("B*15:321");

        typing.First!.Alleles.Should().Equal(AlleleName.Parse("B*15:321Q"));
        typing.Notes.Should().ContainSingle().Which.Should().Contain("without its suffix");
        strict.Should().Throw<HlaNameException>().Which.Suggestion.Should().Be("B*15:321Q");
    }

    [TestCase("A*02:01")]
    [TestCase("A*02")]
    [TestCase("A*02:XX")]
    [TestCase("A*02:01:01")]
    [TestCase("A*24:09N")]
    [TestCase("HLA-A*02:01:01:02L")]
    public void ParseLocus_CurrentNameOrAShorterFormOfOne_IsAccepted(string name)
    {
        var typing = Reference.ParseLocus(name);

        typing.Notes.Should().BeEmpty();
        typing.First!.Alleles.Should().ContainSingle();
    }

    [Test]
    public void ParseLocus_Pre2010Name_IsRefusedWithTheCurrentSpelling()
    {
        var act = () => Reference.ParseLocus("A*0201+A*2402");

        act.Should().Throw<HlaParseException>().WithMessage("*position 3*'A*0201' is the pre-2010 spelling of A*02:01; write A*02:01*ConvertPre2010Names*");
    }

    [Test]
    public void ParseLocus_Pre2010NameWhenAskedToConvert_IsReadInTheCurrentNomenclatureWithANote()
    {
        var converting = Reference.WithNameRules(new HlaNameRules { ConvertPre2010Names = true });

        var typing = converting.ParseLocus("A*0201+A*2402");

        typing.ToString().Should().Be("A*02:01+A*24:02");
        typing.Notes.Should().Equal("A*0201 is a pre-2010 name, read as A*02:01", "A*2402 is a pre-2010 name, read as A*24:02");
    }

    [Test]
    public void ParseLocus_Pre2010NameTheReleaseRenamed_TakesTheReleasesName()
    {
        // 'A*;0105N;19990216;20010717;01:04:01:01N;Sequence identical': not the mechanical A*01:05N.
        var converting = Reference.WithNameRules(new HlaNameRules { ConvertPre2010Names = true });

        converting.ParseLocus("A*0105N").First!.Alleles.Should().Equal(AlleleName.Parse("A*01:04:01:01N"));
        Reference.Invoking(r => r.ParseLocus("A*0105N")).Should().Throw<HlaParseException>().WithMessage("*pre-2010 spelling of A*01:04:01:01N*");
    }

    [Test]
    public void ParseTyping_NamesOfAMultipleAlleleCodeTheReleaseLacks_AreLeftOutWithANote()
    {
        // AB = 01/02: A*02:01 is a shorter form of 'A*;02:01:01:01;...', A*02:02 is in no line of the fixture.
        var typing = Reference.ParseTyping("A*02:AB+A*24:02");

        typing[HlaLocus.A].First!.Alleles.Should().Equal(AlleleName.Parse("A*02:01"));
        typing.Notes.Should().ContainSingle().Which.Should().StartWith("A*02:02 of a multiple-allele code is left out");
    }

    [Test]
    public void ParseTyping_WithoutNomenclature_ChecksFormOnly()
    {
        HlaReference.None.ChecksNames.Should().BeFalse();
        HlaReference.None.ParseTyping("A*99:99").ToString().Should().Be("A*99:99");
    }

    [Test]
    public void Reference_ReportsItsReleaseAndNameCount()
    {
        Reference.Release.Should().Be("fixture 1");
        Reference.ChecksNames.Should().BeTrue();
        Reference.NameCount.Should().Be(26, "every data line of the fixture hla_nom.txt, serological and other loci included");
    }
}
