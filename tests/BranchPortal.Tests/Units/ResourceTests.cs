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
