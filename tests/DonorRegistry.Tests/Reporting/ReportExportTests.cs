using System.IO.Compression;
using System.Text;
using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Reporting;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using MiniExcelLibs;
using NUnit.Framework;

namespace DonorRegistry.Tests.Reporting;

/// <summary>The files a branch hands out: Chinese by default with a byte order mark, English on request, and an XLSX workbook.</summary>
public sealed class ReportExportTests
{
    private static readonly DrivePlan Plan = new(new DriveId("CUC-20220517"), "中国传媒大学 2022年5月17日 造血干细胞捐献者招募", DriveKind.Campus, "朝阳区红十字会", "中传国际传播中心", new DateOnly(2022, 5, 17), new DateOnly(2022, 5, 18), 40);
    private static readonly DriveStatistics Drive = new(Plan.Id, 3, 400, 32, 30, 30, 1, 29, 28) { Plan = Plan };
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture(inMemory: true);

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private RegistryReport Report => _fx.Registry.Reports.Build(ReportPeriod.Year(2026));

    [Test]
    public void WriteCsv_ByDefault_IsChineseAndStartsWithAUtf8ByteOrderMark()
    {
        using var buffer = new MemoryStream();

        ReportExport.WriteCsv(Report, buffer);

        var bytes = buffer.ToArray();
        bytes.Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF }, "Excel on Chinese Windows reads a CSV without a byte order mark as GBK");
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("期间,活动,类别,项目,代码,计数,数值,说明");
        lines.Should().Contain(l => l.StartsWith("2026-01-01..2026-12-31,（全库）,入库,血样入库,samples_entered,次,0,", StringComparison.Ordinal));
    }

    [Test]
    public void WriteCsv_InEnglish_HasNoByteOrderMark_UnlessAsked()
    {
        using var plain = new MemoryStream();
        using var marked = new MemoryStream();

        ReportExport.WriteCsv(Report, plain, new ReportExportOptions { Culture = "en" });
        ReportExport.WriteCsv(Report, marked, new ReportExportOptions { Culture = "en-GB", ByteOrderMark = true });

        plain.ToArray()[0].Should().Be((byte)'P');
        marked.ToArray().Take(3).Should().Equal(new byte[] { 0xEF, 0xBB, 0xBF });
        marked.ToArray()[3..].Should().Equal(plain.ToArray());
    }

    [Test]
    public void EveryReportLine_HasAChineseAndAnEnglishLabel_AndMeaning()
    {
        var lines = _fx.Registry.Reports.Build(ReportPeriod.Year(2026)).Lines();

        foreach (var line in lines)
        {
            var zh = ReportCulture.Chinese.Label(line);
            var en = ReportCulture.English.Label(line);
            zh.Should().NotBe(line.Metric).And.NotBe(en).And.MatchRegex(@"\p{IsCJKUnifiedIdeographs}", $"{line.Metric} has a Chinese label");
            en.Should().NotContain("_", $"{line.Metric} has an English label, not its code");
            ReportCulture.Chinese.Meaning(line).Should().MatchRegex(@"\p{IsCJKUnifiedIdeographs}");
            ReportCulture.Chinese.Section(line.Section).Should().NotBe(line.Section);
        }
    }

    [TestCase("fr")]
    [TestCase("zh-TW")]
    [TestCase("")]
    public void AnUnknownCulture_IsRefusedBeforeAnythingIsWritten(string culture)
    {
        using var buffer = new MemoryStream();

        var act = () => ReportExport.WriteCsv(Report, buffer, new ReportExportOptions { Culture = culture });

        act.Should().Throw<RegistryValidationException>().Which.Message.Should().Contain("Culture '" + culture + "'").And.Contain("zh-CN").And.Contain("en");
        buffer.Length.Should().Be(0);
        FluentActions.Invoking(() => ReportExport.WriteWorkbook(Report, [], [], buffer, new ReportExportOptions { Culture = culture })).Should().Throw<RegistryValidationException>();
        buffer.Length.Should().Be(0);
    }

    [Test]
    public void WriteWorkbook_HasASheetEachForTheReportTheDrivesTheRecognitionsAndTheVolunteers_WithNumbersAsNumbers()
    {
        var honour = _fx.Registry.Care.NameOutstandingVolunteer("王芳", null, "组织社区宣讲", _fx.Today, "director.zhang");
        using var buffer = new MemoryStream();

        ReportExport.WriteWorkbook(Report, [Drive], [], buffer, volunteers: [honour]);

        buffer.Position = 0;
        MiniExcel.GetSheetNames(buffer).Should().Equal("报告", "招募活动", "表彰", "志愿者慰问");
        buffer.Position = 0;
        var drives = MiniExcel.Query(buffer, useHeaderRow: true, sheetName: "招募活动").Cast<IDictionary<string, object>>().ToList();
        drives.Should().ContainSingle();
        drives[0]["名称"].Should().Be(Plan.Name);
        drives[0]["地点"].Should().Be("中传国际传播中心");
        drives[0]["开始"].Should().Be("2022-05-17");
        Convert.ToInt32(drives[0]["目标"], System.Globalization.CultureInfo.InvariantCulture).Should().Be(40);
        Convert.ToInt32(drives[0]["入库人数"], System.Globalization.CultureInfo.InvariantCulture).Should().Be(28);
        drives[0]["入库率（入库/报名）"].Should().Be("87.5%");
        buffer.Position = 0;
        MiniExcel.Query(buffer, useHeaderRow: true, sheetName: "志愿者慰问").Cast<IDictionary<string, object>>().Select(r => r["节日"]).Should().Equal("春节", "中秋节");
    }

    [Test]
    public void WriteWorkbook_TheSameDataTwice_GivesTheSameBytes_WithFixedEntryDates()
    {
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        ReportExport.WriteWorkbook(Report, [Drive], [], first);
        Thread.Sleep(2100); // the zip's dates have a two-second step
        ReportExport.WriteWorkbook(Report, [Drive], [], second);

        second.ToArray().Should().Equal(first.ToArray());
        using var zip = new ZipArchive(new MemoryStream(first.ToArray()), ZipArchiveMode.Read);
        zip.Entries.Should().OnlyContain(e => e.LastWriteTime.Year == 1980);
    }
}
