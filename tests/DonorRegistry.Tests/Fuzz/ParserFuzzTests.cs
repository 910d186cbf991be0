using DonorRegistry.Donors;
using DonorRegistry.Hla;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Fuzz;

/// <summary>The HLA parser and the resident-ID check against hostile text: only the documented exceptions come out.</summary>
public sealed class ParserFuzzTests
{
    private static readonly IReadOnlySet<string> AlleleParse = Fuzz.Documented(typeof(AlleleName), nameof(AlleleName.Parse));
    private static readonly IReadOnlySet<string> LocusParse = Fuzz.Documented(typeof(LocusTyping), nameof(LocusTyping.Parse));
    private static readonly IReadOnlySet<string> TypingParse = Fuzz.Documented(typeof(HlaTyping), nameof(HlaTyping.Parse));
    private static readonly IReadOnlySet<string> ReleaseParse = Fuzz.Documented(typeof(HlaReference), nameof(HlaReference.ParseLocus));

    /// <summary>Runs a parser; a thrown exception must be one its docs name, with a short message.</summary>
    private static T? Parsed<T>(Func<T> parse, IReadOnlySet<string> documented, string? text)
        where T : class
    {
        try
        {
            return parse();
        }
        catch (ArgumentNullException) when (text is null)
        {
            // A null argument to a parser is a programming error, documented as ArgumentNullException (docs/getting-started.md).
            return null;
        }
        catch (Exception e) when (Fuzz.IsDocumented(e, documented))
        {
            e.Message.Length.Should().BeLessThan(400, "a message quotes a short part of the text");
            return null;
        }
        catch (Exception e)
        {
            throw new AssertionException($"{e.GetType().Name} for {Fuzz.Show(text)} is not documented: {e.Message}", e);
        }
    }

    [Test]
    public void AlleleNames_ParseOrThrowTheDocumentedException_AndAParsedNameReadsBackAsItself()
    {
        Check.One(Fuzz.Config, Prop.ForAll(Arb.From(Fuzz.Texts), text =>
        {
            if (Parsed(() => (object)AlleleName.Parse(text!), AlleleParse, text) is AlleleName name)
            {
                AlleleName.Parse(name.ToString()).Should().Be(name);
            }
        }));
    }

    [Test]
    public void Genotypes_ParseOrThrowTheDocumentedException_WithAndWithoutALocus()
    {
        var loci = Gen.Elements<HlaLocus?>(null, HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1, HlaLocus.DPB1);
        Check.One(Fuzz.Config, Prop.ForAll(Arb.From(Fuzz.Texts), Arb.From(loci), (text, locus) =>
        {
            Parsed(() => LocusTyping.Parse(text!, locus), LocusParse, text);
            Parsed(() => HlaReference.None.ParseLocus(text!, locus), ReleaseParse, text);
        }));
    }

    [Test]
    public void WholeTypings_ParseOrThrowTheDocumentedException()
    {
        Check.One(Fuzz.Config, Prop.ForAll(Arb.From(Fuzz.Texts), text =>
        {
            Parsed(() => HlaTyping.Parse(text!), TypingParse, text);
        }));
    }

    [Test]
    public void FormChecksGenotype_NeverThrows_AndAgreesWithTheParser()
    {
        var loci = Gen.Elements("A", "B", "C", "DRB1", "DQB1", "DPB1", "E", string.Empty);
        Check.One(Fuzz.Config, Prop.ForAll(Arb.From(loci), Arb.From(Fuzz.Texts), (locus, text) =>
        {
            var problem = FormChecks.Genotype(locus, text);
            if (problem is null)
            {
                var parse = () => HlaReference.None.ParseLocus(text!, Enum.Parse<HlaLocus>(locus));
                parse.Should().NotThrow("FormChecks.Genotype accepted {0}", Fuzz.Show(text));
            }
            else
            {
                problem.Message.Length.Should().BeLessThan(600, "the message quotes a short part of the value");
            }
        }));
    }

    [Test]
    public void ResidentIds_AreCheckedWithoutThrowing_AndTheValueShownIsShortAndMasked()
    {
        var sexes = Gen.Elements<Sex?>(null, Sex.Female, Sex.Male, (Sex)7);
        var days = Gen.Elements<DateOnly?>(null, DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(1990, 1, 1));
        Check.One(Fuzz.Config, Prop.ForAll(Arb.From(Fuzz.Texts), Arb.From(days), Arb.From(sexes), (text, day, sex) =>
        {
            var problem = FormChecks.ResidentId(text, day, sex);
            if (problem is null)
            {
                text!.Trim().Should().HaveLength(18);
                return;
            }

            problem.Value?.Length.Should().BeLessThanOrEqualTo(41);
            if (text is { Length: 18 } id && id.All(char.IsAsciiDigit))
            {
                problem.Message.Should().NotContain(id[6..14], "the birth date digits are masked");
            }
        }));
    }

    [Test]
    public void AValidResidentIdWithOneCharacterChanged_IsAlwaysRefused()
    {
        var valid = new FakeData.Volunteers(3);
        var ids = Gen.Choose(0, 20_000).Select(d => new DateOnly(1960, 1, 1).AddDays(d)).SelectMany(birth => Gen.Elements(Sex.Female, Sex.Male).Select(sex => (birth, sex)));
        var edits = Gen.Choose(0, 17).SelectMany(at => Gen.Elements("0123456789X".ToCharArray()).Select(c => (at, c)));
        Check.One(Fuzz.Config, Prop.ForAll(Arb.From(ids), Arb.From(edits), (person, edit) =>
        {
            var id = valid.ResidentId(person.birth, person.sex);
            FormChecks.ResidentId(id, person.birth, person.sex).Should().BeNull();
            if (id[edit.at] == edit.c)
            {
                return;
            }

            var changed = string.Concat(id.AsSpan(0, edit.at), edit.c.ToString(), id.AsSpan(edit.at + 1));
            FormChecks.ResidentId(changed).Should().NotBeNull("ISO 7064 MOD 11-2 catches every single-character error ({0} -> {1})", id, changed);
        }));
    }
}
