using DonorRegistry.Hla;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

public sealed partial class AlleleNameTests
{
    [TestCase("HLA-A*02:01:01:01", HlaLocus.A, 4, '\0', "A*02:01:01:01")]
    [TestCase("A*02:01", HlaLocus.A, 2, '\0', "A*02:01")]
    [TestCase("A*02", HlaLocus.A, 1, '\0', "A*02")]
    [TestCase("A*02:XX", HlaLocus.A, 1, '\0', "A*02")]
    [TestCase("DRB1*09:01:02", HlaLocus.DRB1, 3, '\0', "DRB1*09:01:02")]
    [TestCase("A*24:09N", HlaLocus.A, 2, 'N', "A*24:09N")]
    [TestCase("A*02:01:01:02L", HlaLocus.A, 4, 'L', "A*02:01:01:02L")]
    [TestCase("B*39:01:01:02L", HlaLocus.B, 4, 'L', "B*39:01:01:02L")]
    [TestCase("C*04:09N", HlaLocus.C, 2, 'N', "C*04:09N")]
    [TestCase("DQB1*03:01:01:01", HlaLocus.DQB1, 4, '\0', "DQB1*03:01:01:01")]
    [TestCase("DPB1*104:01", HlaLocus.DPB1, 2, '\0', "DPB1*104:01")]
    public void Parse_WhoNames_ReadsLocusFieldsAndSuffix(string text, HlaLocus locus, int fields, char suffix, string written)
    {
        var name = AlleleName.Parse(text);

        name.Locus.Should().Be(locus);
        name.FieldCount.Should().Be(fields);
        name.Suffix.Should().Be(suffix);
        name.ToString().Should().Be(written);
    }

    [TestCase("A*2:01", 2, "two to four digits in a field, not 1")]
    [TestCase("A*02:1", 5, "two to four digits in a field, not 1")]
    [TestCase("X*02:01", 0, "a locus the registry types (A, B, C, DRB1, DQB1 or DPB1), not 'X'")]
    [TestCase("DRB9*01:01", 0, "a locus the registry types (A, B, C, DRB1, DQB1 or DPB1), not 'DRB9'")]
    [TestCase("A02:01", 0, "a locus and '*', as in A*02:01")]
    [TestCase("A*02:01:01:01:01", 14, "at most four fields")]
    [TestCase("A*02:01 ", 7, "the end of the name")]
    [TestCase("A*", 2, "a field of two to four digits")]
    public void Parse_Malformed_NamesThePositionAndWhatWasExpected(string text, int position, string expected)
    {
        var act = () => AlleleName.Parse(text);

        act.Should().Throw<HlaParseException>()
            .Which.Should().Match<HlaParseException>(e => e.Position == position && e.Expected == expected && e.Text == text);
    }

    [Test]
    public void Parse_Malformed_MessageQuotesTheTextAndOneBasedPosition()
    {
        var act = () => AlleleName.Parse("A*2:01");

        act.Should().Throw<HlaParseException>().WithMessage("'A*2:01' is not a valid HLA name at position 3: expected two to four digits in a field, not 1.");
    }

    [Test]
    public void Truncate_ToTwoFields_DropsTheRestAndTheSuffix()
    {
        AlleleName.Parse("A*02:01:01:02L").Truncate(2).ToString().Should().Be("A*02:01");
    }
}
