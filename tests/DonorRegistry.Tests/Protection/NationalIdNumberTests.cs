using DonorRegistry.Donors;
using DonorRegistry.Protection;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Protection;

public sealed class NationalIdNumberTests
{
    // The worked example of GB 11643-1999: 11010519491231002X, a woman born 1949-12-31.
    private static readonly DonorProfile Standard = new(Sex.Female, new DateOnly(1949, 12, 31));

    [Test]
    public void Validate_TheStandardsWorkedExample_IsAccepted()
    {
        var act = () => NationalIdNumber.Validate("11010519491231002X", Standard, NationalIdFormat.ChineseResidentId);

        act.Should().NotThrow();
    }

    [Test]
    public void Validate_LowerCaseCheckCharacterWithSpaces_IsAcceptedAfterNormalising()
    {
        var act = () => NationalIdNumber.Validate(" 11010519491231002x ", Standard, NationalIdFormat.ChineseResidentId);

        act.Should().NotThrow();
    }

    [Test]
    public void CheckCharacter_OfTheWorkedExample_IsX() =>
        NationalIdNumber.CheckCharacter("11010519491231002").Should().Be('X');

    [Test]
    public void Validate_IdOfAManForAWomansProfile_IsRejected()
    {
        var act = () => NationalIdNumber.Validate("11010519491231002X", Standard with { Sex = Sex.Male }, NationalIdFormat.ChineseResidentId);

        act.Should().Throw<RegistryValidationException>().WithMessage("*is a female person's ID but the profile says male*");
    }

    [TestCase("11010519491231002X", "110105********002X")]
    [TestCase("P-1234", "******")]
    [TestCase("", "")]
    public void Mask_KeepsOnlyTheEnds(string value, string masked) =>
        NationalIdNumber.Mask(value).Should().Be(masked);
}
