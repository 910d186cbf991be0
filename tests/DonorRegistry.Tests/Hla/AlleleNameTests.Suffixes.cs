using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>Every malformed suffix gets a message about the suffix, never about the separators.</summary>
public sealed partial class AlleleNameTests
{
    [TestCase("A*02:01X", 7, "an expression suffix N (null), L (low), S (secreted), Q (questionable), C (cytoplasm) or A (aberrant), not 'X'")]
    [TestCase("A*02:01n", 7, "an expression suffix in capitals ('N'), not 'n'")]
    [TestCase("A*02:01NN", 7, "one expression suffix (N, L, S, Q, C or A) after the fields, not 'NN'")]
    [TestCase("A*02N", 4, "an expression suffix only after two or more fields ('N' cannot follow an allele family)")]
    public void Parse_MalformedSuffix_SaysWhatIsWrongWithTheSuffix(string text, int position, string expected)
    {
        var act = () => AlleleName.Parse(text);

        act.Should().Throw<HlaParseException>().Which.Should().Match<HlaParseException>(e => e.Position == position && e.Expected == expected);
    }

    [Test]
    public void HlaTyping_Parse_MalformedSuffixInAGenotype_IsAboutTheSuffixNotTheSeparators()
    {
        var act = () => HlaTyping.Parse("A*02:01X+A*24:02^B*07:02");

        act.Should().Throw<HlaParseException>().WithMessage("*position 8: expected an expression suffix*not 'X'*").And.Message.Should().NotContain("between loci");
    }

    [TestCase("A*0201", "A*02:01")]
    [TestCase("A*02010101", "A*02:01:01:01")]
    [TestCase("A*02101", "A*02:101")]
    [TestCase("B*1501", "B*15:01")]
    [TestCase("DRB1*0101", "DRB1*01:01")]
    [TestCase("DPB1*0401", "DPB1*04:01")]
    [TestCase("DPB1*10401", "DPB1*104:01")]
    [TestCase("A*2409N", "A*24:09N")]
    public void Parse_Pre2010Name_IsRefusedWithTheCurrentSpelling(string old, string current)
    {
        var act = () => AlleleName.Parse(old);

        act.Should().Throw<HlaParseException>().Which.Expected.Should().Contain($"is the pre-2010 spelling of {current}; write {current}");
    }

    [Test]
    public void Parse_LongPre2010Name_QuotesOnlyAShortPrefixOfItAndItsCurrentSpelling()
    {
        // Found by the typing-import fuzz: a 600-digit name was echoed whole, twice over, in its current spelling.
        var act = () => AlleleName.Parse("A*" + new string('9', 600));

        act.Should().Throw<HlaParseException>().Which.Message.Length.Should().BeLessThan(600);
    }

    [Test]
    public void Parse_FourDigitDpb1FirstField_IsACurrentFamilyNotAPre2010Name()
    {
        // DPB1 has four-digit first fields since 2019 (DPB1*1001:01); DPB1*1001 is that family.
        AlleleName.Parse("DPB1*1001").Should().Match<AlleleName>(n => n.FieldCount == 1 && n.Family == 1001);
    }
}
