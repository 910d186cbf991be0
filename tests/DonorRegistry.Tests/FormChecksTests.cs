using DonorRegistry.Donors;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>The checks a form makes before a verb: the same answers as the verbs, with the value masked.</summary>
public sealed class FormChecksTests
{
    // 11010519491231002X: a valid test number (women, born 1949-12-31; check character X).
    private const string Valid = "11010519491231002X";

    [Test]
    public void AValidResidentId_PassesWithAndWithoutTheProfile()
    {
        FormChecks.ResidentId(Valid).Should().BeNull();
        FormChecks.ResidentId(" 11010519491231002x ", new DateOnly(1949, 12, 31), Sex.Female).Should().BeNull("spaces around and a lower-case x are accepted");
    }

    [TestCase("11010519491231002", "has 17 characters")]
    [TestCase("1101051949123100AX", "has 'A' at position 17")]
    [TestCase("110105194912310021", "fails its check digit (ISO 7064 MOD 11-2)")]
    [TestCase("110105194913310021", "does not hold a real birth date")]
    public void AMalformedResidentId_IsRefused_SayingWhy_WithTheNumberMasked(string number, string problem)
    {
        var found = FormChecks.ResidentId(number);

        found.Should().NotBeNull();
        found!.Field.Should().Be("NationalId");
        found.Problem.Should().StartWith(problem);
        found.Value.Should().NotBe(number).And.Contain("*", "a national ID is never echoed whole");
    }

    [Test]
    public void AResidentId_ThatDisagreesWithTheFormsBirthDateOrSex_IsRefused()
    {
        FormChecks.ResidentId(Valid, new DateOnly(1950, 1, 1)).Should().Match<FormProblem>(p => p.Problem.Contains("birth date 1950-01-01"));
        FormChecks.ResidentId(Valid, sex: Sex.Male).Should().Match<FormProblem>(p => p.Problem.Contains("female person's ID"));
    }

    [Test]
    public void TheVerb_RefusesWhatTheFormCheckRefuses_WithTheSameMessage()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var request = fx.Volunteers.Next(fx.Today);
        var bad = request with { Personal = request.Personal with { NationalId = request.Personal.NationalId[..17] + (request.Personal.NationalId[17] == '0' ? "1" : "0") } };
        var problem = FormChecks.ResidentId(bad.Personal.NationalId, bad.Profile.BirthDate, bad.Profile.Sex);

        var act = () => fx.Donors.Enrol(bad, "organizer.wang");

        problem.Should().NotBeNull();
        act.Should().Throw<RegistryValidationException>().WithMessage(problem!.Message);
        fx.Donors.Count().Should().Be(0);
    }

    [TestCase("13912345678")]
    [TestCase("+86 (10) 6512-3456")]
    public void APhoneNumber_OfDigitsAndPunctuation_Passes(string phone) => FormChecks.PhoneNumber(phone).Should().BeNull();

    [TestCase("")]
    [TestCase("1234")]
    [TestCase("139-1234-5678 ext")]
    [TestCase("\u001b[31m13912345678")]
    public void ANonPhoneNumber_IsRefused_WithOnlyItsLastDigitsShown(string phone)
    {
        var found = FormChecks.PhoneNumber(phone);

        found.Should().NotBeNull();
        found!.Field.Should().Be("Phone");
        if (phone.Length > 4)
        {
            found.Value.Should().NotContain(phone[..4]);
        }
    }

    [Test]
    public void AGenotype_InWhoNomenclature_Passes_AndAMalformedOne_NamesThePosition()
    {
        FormChecks.Genotype("A", "A*02:01+A*24:02").Should().BeNull();

        var bad = FormChecks.Genotype("A", "A*02:0X+A*24:02");

        bad.Should().NotBeNull();
        bad!.Field.Should().Be("Typing.A");
        bad.Problem.Should().ContainAny("position", "at ", "expected");
    }

    [Test]
    public void AGenotype_ForALocusTheRegistryDoesNotType_IsRefused() =>
        FormChecks.Genotype("DRB3", "DRB3*01:01").Should().Match<FormProblem>(p => p.Field == "Typing.Loci" && p.Allowed.Contains("DPB1"));
}
