using System.Text;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>The reports page: a drive's report with its charts as PNG, and the library's CSV and XLSX exports.</summary>
public sealed class ReportTests : BrowserTest
{
    [Test]
    public async Task AnAdministrator_SeesADrivesReport_WithItsChartsAsPng_AndDownloadsItAsCsvAndXlsx()
    {
        // Not the viewer: ProtectionTests locks the viewer's account on purpose.
        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Reports");
        await Expect(Page.Locator("#report-lines tbody tr")).Not.ToHaveCountAsync(0);
        await Page.SelectOptionAsync("#Drive", "CUC-2026-AUT");
        await Page.ClickAsync("#show-report");
        await Expect(Page.Locator("#report-lines tr[data-metric='enrolled'] td.num")).ToHaveTextAsync("24");
        await Expect(Page.Locator("#report-lines tr[data-metric='donors_listed'] td.num")).ToHaveTextAsync("24");

        // Each chart is a PNG the page's <img> shows (no script draws it).
        foreach (var kind in new[] { "funnel", "months", "drives" })
        {
            var image = Page.Locator($"#chart-{kind}");
            await image.ScrollIntoViewIfNeededAsync();
            await Expect(image).ToHaveJSPropertyAsync("complete", true);
            (await image.EvaluateAsync<int>("i => i.naturalWidth")).Should().BeGreaterThan(100, kind);
            var png = await Context.APIRequest.GetAsync((await image.GetAttributeAsync("src"))!);
            png.Headers["content-type"].Should().Be("image/png");
            (await png.BodyAsync()).Take(4).Should().Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        }

        await ScreenshotAsync("25-reports");

        var csv = await Context.APIRequest.GetAsync((await Page.Locator("#download-csv").GetAttributeAsync("href"))!);
        csv.Headers["content-type"].Should().StartWith("text/csv");
        csv.Headers["content-disposition"].Should().Contain("report-").And.Contain("CUC-2026-AUT.csv");
        Encoding.UTF8.GetString(await csv.BodyAsync()).Should().Contain("24");
        var xlsx = await Context.APIRequest.GetAsync((await Page.Locator("#download-xlsx").GetAttributeAsync("href"))!);
        xlsx.Headers["content-type"].Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        (await xlsx.BodyAsync()).Take(2).Should().Equal(new byte[] { (byte)'P', (byte)'K' });
    }

    [Test]
    public async Task TheLab_GetsNoReports()
    {
        await SignInAsync(Demo.Lab, Demo.LabPassword);
        var response = await Page.GotoAsync("/Reports");
        response!.Status.Should().Be(403);
    }
}
