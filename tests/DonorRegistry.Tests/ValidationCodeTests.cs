using System.Text;
using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>The refusals a form can meet carry a code and the values its message needs (ADR 23); the English message is as before.</summary>
public sealed class ValidationCodeTests
{
    private const string By = "organizer.wang";
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void AnEnrolment_RefusedForItsName_Length_BirthDate_Age_OrBloodGroup_SaysWhichRuleByItsCode()
    {
        var request = _fx.Volunteers.Next(_fx.Today, age: 30);

        Refusal(() => _fx.Donors.Enrol(request with { Personal = request.Personal with { FullName = " " } }, By))
            .Should().Match<RegistryValidationException>(e => e.Code == ValidationCode.Required && e.Field == "FullName" && e.Message == "FullName ' ' is empty; it is required.");

        var tooLong = Refusal(() => _fx.Donors.Enrol(request with { Personal = request.Personal with { FullName = new string('王', 101) } }, By));
        tooLong.Code.Should().Be(ValidationCode.TooLong);
        tooLong.Arguments.Should().Contain(ValidationArgument.Max, "100").And.Contain(ValidationArgument.Length, "101");

        var control = Refusal(() => _fx.Donors.Enrol(request with { Personal = request.Personal with { Address = "北京\u0007" } }, By));
        control.Code.Should().Be(ValidationCode.ControlCharacters);
        control.Arguments.Should().Contain(ValidationArgument.Position, "3");

        var future = Refusal(() => _fx.Donors.Enrol(request with { Profile = request.Profile with { BirthDate = _fx.Today.AddDays(1) } }, By));
        future.Code.Should().Be(ValidationCode.DateInFuture);
        future.Arguments.Should().Contain(ValidationArgument.Today, _fx.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        var old = _fx.Volunteers.Next(_fx.Today, age: 70);
        var age = Refusal(() => _fx.Donors.Enrol(old, By));
        age.Should().BeOfType<DonorAgeOutOfRangeException>();
        age.Code.Should().Be(ValidationCode.AgeOutOfRange);
        age.Arguments.Should().Contain(ValidationArgument.Age, "70").And.Contain(ValidationArgument.Min, "18");

        var abo = Refusal(() => _fx.Donors.Enrol(request with { Profile = request.Profile with { Abo = (AboGroup)42 } }, By));
        abo.Code.Should().Be(ValidationCode.NotOneOf);
        abo.Arguments[ValidationArgument.Allowed].Should().Contain("AB");
    }

    [Test]
    public void ANationalId_RefusedForEachOfItsRules_SaysWhichRuleByItsCode_WithTheFormExpectedAsALanguageFreePattern()
    {
        var request = _fx.Volunteers.Next(_fx.Today, age: 30);
        var id = request.Personal.NationalId;
        RegistryValidationException RefusedWith(string nationalId) =>
            Refusal(() => _fx.Donors.Enrol(request with { Personal = request.Personal with { NationalId = nationalId } }, By));

        RefusedWith(" ").Code.Should().Be(ValidationCode.Required);
        RefusedWith(id[..17]).Should().Match<RegistryValidationException>(e => e.Code == ValidationCode.BadFormat && e.Arguments[ValidationArgument.Expected] == "[0-9]{17}[0-9X]");
        RefusedWith("A" + id[1..]).Code.Should().Be(ValidationCode.BadFormat);
        var wrongCheck = id[..17] + (id[17] == '0' ? '1' : '0');
        RefusedWith(wrongCheck).Arguments[ValidationArgument.Expected].Should().Be("ISO 7064 MOD 11-2");
        var otherBirth = Refusal(() => _fx.Donors.Enrol(request with { Profile = request.Profile with { BirthDate = request.Profile.BirthDate.AddDays(1) } }, By));
        otherBirth.Code.Should().Be(ValidationCode.BadFormat);
        otherBirth.Field.Should().Be("NationalId");
        otherBirth.Arguments[ValidationArgument.Expected].Should().Contain(request.Profile.BirthDate.AddDays(1).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
        var otherSex = Refusal(() => _fx.Donors.Enrol(request with { Profile = request.Profile with { Sex = request.Profile.Sex == Sex.Male ? Sex.Female : Sex.Male } }, By));
        otherSex.Code.Should().Be(ValidationCode.BadFormat);
        otherSex.Arguments[ValidationArgument.Expected].Should().MatchRegex(@"^\[0-9\]\{16\}\[(13579|02468)\]\[0-9X\]$");
        FormChecks.ResidentId(id, request.Profile.BirthDate, request.Profile.Sex).Should().BeNull("a valid ID number has no problem");
    }

    [Test]
    public void FormChecks_AndTheVerbs_GiveTheSameCode()
    {
        var problem = FormChecks.PhoneNumber("abc");
        problem!.Code.Should().Be(ValidationCode.BadFormat);
        problem.Arguments.Should().ContainKey(ValidationArgument.Expected);
        FormChecks.Genotype("B", "B*99:XYZ")!.Code.Should().Be(ValidationCode.BadFormat);
        FormChecks.Genotype("X", "X*01")!.Code.Should().Be(ValidationCode.NotOneOf);

        var request = _fx.Volunteers.Next(_fx.Today, age: 30);
        var refusal = Refusal(() => _fx.Donors.Enrol(request with { Personal = request.Personal with { Phone = "abc" } }, By));
        refusal.Code.Should().Be(problem.Code);
        refusal.Message.Should().Be(problem.Message);
    }

    [Test]
    public void ADrive_OutOfRange_OrEndingBeforeItStarts_AndAPageTooLarge_SayWhichRule()
    {
        var day = _fx.Today;
        var target = Refusal(() => _fx.Registry.Drives.Plan(new DrivePlan(new DriveId("PKU-2026-12"), "北大招募", DriveKind.Campus, "红会", "北大", day, day, 0), By));
        target.Code.Should().Be(ValidationCode.OutOfRange);
        target.Arguments.Should().Contain(ValidationArgument.Min, "1");

        var ends = Refusal(() => _fx.Registry.Drives.Plan(new DrivePlan(new DriveId("PKU-2026-12"), "北大招募", DriveKind.Campus, "红会", "北大", day, day.AddDays(-1), 10), By));
        ends.Code.Should().Be(ValidationCode.EndBeforeStart);

        var name = Refusal(() => _fx.Registry.Drives.Plan(new DrivePlan(new DriveId("PKU-2026-12"), " ", DriveKind.Campus, "红会", "北大", day, day, 10), By));
        name.Code.Should().Be(ValidationCode.Required);
    }

    [Test]
    public void ATypingUpload_CodesEachRefusedLine()
    {
        _fx.Registry.Drives.Plan(new DrivePlan(new DriveId("PKU-2026-12"), "北大招募", DriveKind.Campus, "红会", "北大", _fx.Today, _fx.Today, 10), By);
        var typing = Volunteers.Typing(_fx.Today);
        var csv = LabResults.Csv([("BAD TUBE", typing), ("NO-SUCH-1", typing), ("NO-SUCH-1", typing)]);

        var result = _fx.Registry.Samples.ImportTypingResults(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "北京市红十字血液中心", _fx.Today, "lab.chen", "results.csv");

        result.Errors.Select(e => (e.Line, e.Code, e.Field)).Should().Equal(
            (2, ValidationCode.BadFormat, "Barcode"),
            (3, ValidationCode.NotFound, "Barcode"),
            (4, ValidationCode.Duplicate, "Barcode"));
        result.Errors[2].Arguments.Should().Contain(ValidationArgument.First, "3");
        result.Errors[0].Reason.Should().StartWith("barcode 'BAD TUBE' is not a tube barcode");
    }

    [Test]
    public void TheLastAdministrator_IsRefusedWithItsCode()
    {
        var admin = _fx.Registry.Users.AddFirstAdministrator("admin", "Admin", "hash");
        var act = () => _fx.Registry.Users.Disable("admin", Actor.For("admin", [Role.Administrator]));

        act.Should().Throw<UserAccountException>().Which.Code.Should().Be(ValidationCode.LastAdministrator);
        admin.Should().NotBeNull();
    }

    private static RegistryValidationException Refusal(Action act) => act.Should().Throw<RegistryValidationException>().Which;
}
