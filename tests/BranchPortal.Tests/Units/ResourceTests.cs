using System.Globalization;
using System.Xml.Linq;
using BranchPortal.Tests.Journeys;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace BranchPortal.Tests.Units;

public sealed class ResourceTests
{
    private static Dictionary<string, string> Strings(string file) =>
        XDocument.Load(Path.Combine(PortalServer.RepositoryRoot(), "samples", "BranchPortal", "Resources", file))
            .Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    [Test]
    public void EveryChineseString_HasAnEnglishOne_AndNoneIsBlank()
    {
        var chinese = Strings("SharedResource.resx");
        var english = Strings("SharedResource.en.resx");

        english.Keys.Should().BeEquivalentTo(chinese.Keys);
        chinese.Values.Concat(english.Values).Should().NotContain(v => string.IsNullOrWhiteSpace(v));
    }

    [Test]
    public void EveryStepOfTheDriveWorkflow_HasAChineseAndAnEnglishName()
    {
        // The step names as the workflow's definition gives them (.Name("...")): a step added without a translation fails here.
        var definition = File.ReadAllText(Path.Combine(PortalServer.RepositoryRoot(), "src", "DonorRegistry.Workflows", "CampusDrive", "CampusDriveWorkflow.cs"));
        var steps = System.Text.RegularExpressions.Regex.Matches(definition, "\\.Name\\(\"([^\"]+)\"\\)").Select(m => m.Groups[1].Value).Distinct().ToList();
        var chinese = Strings("SharedResource.resx");
        var english = Strings("SharedResource.en.resx");

        steps.Should().Contain(["Open enrolment", "Dispatch shipment", "Close drive"], "the definition is read");
        steps.Select(BranchPortal.Forms.StepNames.Key).Should().OnlyContain(k => chinese.ContainsKey(k) && english.ContainsKey(k));
        chinese[BranchPortal.Forms.StepNames.Key("Dispatch shipment")].Should().Be("寄出样本");
    }

    [Test]
    public void EveryValidationCodeOfTheLibrary_HasAChineseAndAnEnglishMessage()
    {
        // A code added to the library without a translation fails here (the portal would show the English text).
        var chinese = Strings("SharedResource.resx");
        var english = Strings("SharedResource.en.resx");
        var codes = Enum.GetValues<DonorRegistry.ValidationCode>().Where(c => c != DonorRegistry.ValidationCode.Unspecified).ToList();

        codes.Should().Contain([DonorRegistry.ValidationCode.Required, DonorRegistry.ValidationCode.OutOfRange, DonorRegistry.ValidationCode.AgeOutOfRange]);
        codes.Select(BranchPortal.Forms.LibraryErrors.Key).Should().OnlyContain(k => chinese.ContainsKey(k) && english.ContainsKey(k));
        chinese.Keys.Where(k => k.StartsWith("Validation.", StringComparison.Ordinal)).Should().HaveCount(codes.Count, "no message is left for a code that is gone");
    }

    [Test]
    public void ALibraryProblem_IsTranslatedByItsCode_AndOneWithoutACodeKeepsTheLibrarysWords()
    {
        var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance);
        var t = factory.Create(typeof(SharedResource));
        var before = CultureInfo.CurrentUICulture;
        try
        {
            var tooLong = new DonorRegistry.RegistryValidationException("FullName", new string('王', 120), "has 120 characters", "give at most 100");
            var phone = DonorRegistry.FormChecks.PhoneNumber("abc12345", "EmergencyContact.Phone")!;
            var age = new DonorRegistry.DonorAgeOutOfRangeException(new DateOnly(1950, 3, 1), new DateOnly(2026, 12, 7), 76, 18, 45);

            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            BranchPortal.Forms.LibraryErrors.Message(t, tooLong).Should().Be(tooLong.Message, "a refusal made without a code keeps the library's English");
            BranchPortal.Forms.LibraryErrors.Message(t, phone).Should().Be("紧急联系人电话“****2345”格式不正确，应写作：+86 138-0013-8000。");
            BranchPortal.Forms.LibraryErrors.Message(t, age).Should().Be("出生日期 1950-03-01：年龄 76 岁，志愿者入库年龄须为 18 至 45 岁。");
            var hla = new DonorRegistry.Hla.HlaParseException("A*02:01+Q*24:02", 8, "a locus name");
            BranchPortal.Forms.LibraryErrors.Message(t, hla).Should().Be("HLA 分型“A*02:01+Q*24:02”无法识别：第 9 个字符处不符合 HLA 命名（如 A*02:01+A*24:02）。");

            CultureInfo.CurrentUICulture = new CultureInfo("en");
            BranchPortal.Forms.LibraryErrors.Message(t, age).Should().Be("Born 1950-03-01, the volunteer is 76; volunteers join from age 18 to 45.");
            BranchPortal.Forms.LibraryErrors.FieldName(t, "requests[3].EmergencyContact.Phone").Should().Be("Emergency contact's phone");
            BranchPortal.Forms.LibraryErrors.FieldName(t, "Typing.DPB1").Should().Be("HLA-DPB1");
            BranchPortal.Forms.LibraryErrors.FieldName(t, "SomethingNew").Should().Be("SomethingNew");
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Test]
    public void TheLocalizer_GivesChineseForZhCn_AndEnglishForEn()
    {
        var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance);
        var localizer = factory.Create(typeof(SharedResource));
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            localizer["SignIn.Title"].Value.Should().Be("登录");
            localizer["SignIn.Title"].ResourceNotFound.Should().BeFalse();
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            localizer["SignIn.Title"].Value.Should().Be("Sign in");
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
