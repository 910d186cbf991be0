using DonorRegistry.Drives;
using DonorRegistry.Reporting;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Reporting;

/// <summary>Charts in Chinese with a CJK font (CI installs fonts-noto-cjk), in English on request, and refused options.</summary>
public sealed class ReportChartsTests
{
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture(inMemory: true);

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private string File(string name) => Path.Combine(_fx.Folder, name);

    [Test]
    public void AChineseChart_DiffersFromTheEnglishOne_WithTheCjkFontThatFontconfigFinds()
    {
        new ChartOptions().Check().Should().BeTrue("a CJK font is installed (.ci/run installs fonts-noto-cjk; fc-list :lang=zh lists it)");
        var report = _fx.Registry.Reports.Build(ReportPeriod.Year(2026));

        ReportCharts.RecruitmentFunnel(report, File("zh.png"));
        ReportCharts.RecruitmentFunnel(report, File("en.png"), new ChartOptions { Culture = "en" });
        ReportCharts.RecruitmentFunnel(report, File("zh-again.png"));

        var zh = System.IO.File.ReadAllBytes(File("zh.png"));
        zh.Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        zh.Should().NotEqual(System.IO.File.ReadAllBytes(File("en.png")), "the Chinese chart has Chinese labels");
        zh.Should().Equal(System.IO.File.ReadAllBytes(File("zh-again.png")), "the same report draws the same bytes");
    }

    [Test]
    public void AFontPathThatDoesNotExist_IsRefusedBeforeAnythingIsWritten()
    {
        var options = new ChartOptions { FontPath = File("no-such-font.ttf") };

        var act = () => ReportCharts.DonationsPerMonth(2026, new int[12], File("months.png"), options);

        act.Should().Throw<RegistryValidationException>().Which.Should().Match<RegistryValidationException>(e => e.Field == "FontPath" && e.Problem == "does not exist");
        Directory.GetFiles(_fx.Folder).Should().NotContain(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Test]
    public void AFontPathThatIsNotAFont_IsRefusedBeforeAnythingIsWritten()
    {
        var notAFont = File("font.ttf");
        System.IO.File.WriteAllText(notAFont, "this is text, not a font");

        var act = () => ReportCharts.DrivesByYield([], File("drives.png"), new ChartOptions { FontPath = notAFont });

        act.Should().Throw<RegistryValidationException>().Which.Problem.Should().Be("is not a font");
        System.IO.File.Exists(File("drives.png")).Should().BeFalse();
    }

    [Test]
    public void AnUnknownCulture_IsRefused()
    {
        var act = () => ReportCharts.RecruitmentFunnel(_fx.Registry.Reports.Build(ReportPeriod.Year(2026)), File("f.png"), new ChartOptions { Culture = "de" });

        act.Should().Throw<RegistryValidationException>().WithMessage("Culture 'de'*zh-CN*");
        System.IO.File.Exists(File("f.png")).Should().BeFalse();
    }

    [Test]
    public void AFontGivenByPath_DrawsTheChart()
    {
        var installed = Directory.EnumerateFiles("/usr/share/fonts", "NotoSansCJK-Regular.ttc", SearchOption.AllDirectories).FirstOrDefault();
        installed.Should().NotBeNull("fonts-noto-cjk is installed");

        ReportCharts.PlacesByYear("samples_entered", [2021, 2022], [new PlaceSeries("中国传媒大学", "CUC", [12, 30]), new PlaceSeries("对外经济贸易大学", "UIBE", [0, 7])], File("places.png"), new ChartOptions { FontPath = installed });

        System.IO.File.ReadAllBytes(File("places.png")).Take(4).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
    }

    [Test]
    public void PlacesByYear_WithAValueMissingOrAnUnknownMetric_IsRefused()
    {
        FluentActions.Invoking(() => ReportCharts.PlacesByYear("samples_entered", [2021, 2022], [new PlaceSeries("中国传媒大学", "CUC", [12])], File("p.png")))
            .Should().Throw<RegistryValidationException>().WithMessage("*CUC*1 values for 2 years*");
        FluentActions.Invoking(() => ReportCharts.PlacesByYear("samples", [2021], [new PlaceSeries("中国传媒大学", "CUC", [12])], File("p.png")))
            .Should().Throw<RegistryValidationException>().Which.Field.Should().Be("metric");
        FluentActions.Invoking(() => ReportCharts.PlacesByYear("samples_entered", [2021], [new PlaceSeries("中国传媒大学", "CUC", [-1])], File("p.png")))
            .Should().Throw<RegistryValidationException>().WithMessage("*negative*");
        System.IO.File.Exists(File("p.png")).Should().BeFalse();
    }
}
