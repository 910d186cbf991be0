using System.Text;
using DonorRegistry.FakeData;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>The lab's refused uploads (nothing stored from them), and a donor's withdrawal (journey 5).</summary>
public sealed class LabAndDonorTests : BrowserTest
{
    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

    [Test]
    public async Task AnUploadTooLarge_NotACsv_NotUtf8_OrWithABadHeader_IsRefusedBesideTheFile_AndStoresNothing()
    {
        // The demo's BISU drive waits for its shipment: the organizer dispatches it, so its tubes wait at the lab.
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync("/Organizer/Drive/BISU-2026-AUT");
        await Page.ClickAsync("#dispatch-shipment");
        await Expect(Page.Locator("#manifest-count")).ToHaveTextAsync("10");
        await Page.ClickAsync("#sign-out");

        await SignInAsync(Demo.Lab, Demo.LabPassword);
        var row = LabResults.Csv([("BISU26-0001", new SyntheticHla(seed: 5) { ThreeLocusShare = 0 }.Next(Today))]);
        var utf8 = Encoding.UTF8.GetBytes(row);
        var large = new byte[3 * 1024 * 1024];
        utf8.CopyTo(large, 0);
        Array.Fill(large, (byte)'\n', utf8.Length, large.Length - utf8.Length);
        var gbk = utf8.Concat(new byte[] { 0xB1, 0xB1, 0xBE, 0xA9, (byte)'\n' }).ToArray(); // 北京 in GBK
        var cases = new (string Name, byte[] Bytes, string Message)[]
        {
            ("big.csv", large, "文件过大"),
            ("results.xlsx", utf8, "不是 CSV 文件"),
            ("gbk.csv", gbk, "不是 UTF-8 编码"),
            ("header.csv", Encoding.UTF8.GetBytes("Tube;Date\nBISU26-0001;2026-01-01\n"), "header"),
        };
        foreach (var (name, bytes, message) in cases)
        {
            await Page.GotoAsync("/Lab/Results");
            await Page.SelectOptionAsync("#Drive", "BISU-2026-AUT");
            await Page.SetInputFilesAsync("#Upload", new FilePayload { Name = name, MimeType = "text/csv", Buffer = bytes });
            await Page.ClickAsync("#import");
            await Expect(Page.Locator("span[data-valmsg-for='Upload']")).ToContainTextAsync(message);
            await Expect(Page.Locator("#import-result")).ToHaveCountAsync(0);
            if (name == "gbk.csv")
            {
                await ScreenshotAsync("16-results-not-utf8");
            }
        }

        // Nothing was stored: every tube of the shipment is still on its way.
        await Page.GotoAsync("/Lab");
        await Page.Locator("tr[data-drive='BISU-2026-AUT'] a").ClickAsync();
        await Expect(Page.Locator("#tubes .sample-state")).ToHaveCountAsync(10);
        foreach (var state in await Page.Locator("#tubes .sample-state").AllInnerTextsAsync())
        {
            state.Should().StartWith("已寄出");
        }

        // A tube rejected without a reason is refused beside the reason; with one, it is rejected.
        var tube = Page.Locator("tr[data-barcode='BISU26-0010']");
        await tube.Locator("button").ClickAsync();
        await Expect(Page.Locator("tr[data-barcode='BISU26-0010'] .field-error")).ToContainTextAsync("必填");
        await Page.FillAsync("#reason-BISU26-0010", "溶血");
        await Page.Locator("tr[data-barcode='BISU26-0010'] button").ClickAsync();
        await Expect(Page.Locator("tr[data-barcode='BISU26-0010'] .sample-state")).ToContainTextAsync("已拒收");
        await Page.ClickAsync("#receive");
        await Expect(Page.Locator("p.notice.ok")).ToContainTextAsync("9");
        await ScreenshotAsync("17-lab-shipment");
    }

    [Test]
    public async Task AWithdrawnDonor_IsConfirmedFirst_AndTheirPersonalDataIsGoneFromEveryPage()
    {
        await SignInAsync(Demo.Coordinator, Demo.CoordinatorPassword);
        await Page.GotoAsync("/Coordinator/Donor/DR-00000002");
        await Expect(Page.Locator("#wmda")).ToHaveTextAsync("AV");
        await Expect(Page.Locator("li[data-action='List'] .blocked-because, li[data-action='Withdraw'] a")).Not.ToHaveCountAsync(0);
        var name = await Page.Locator("#donor-name").InnerTextAsync();
        var nationalId = await Page.Locator("#donor-national-id").InnerTextAsync();
        name.Should().NotBeNullOrWhiteSpace();
        await ScreenshotAsync("18-donor");

        // The confirmation step: without the box ticked nothing happens.
        await Page.ClickAsync("#withdraw");
        await Expect(Page.Locator("#withdraw-form")).ToBeVisibleAsync();
        await Page.ClickAsync("#confirm-withdrawal");
        await Expect(Page.Locator("span[data-valmsg-for='Confirm']")).ToContainTextAsync("请先确认");
        await Page.GotoAsync("/Coordinator/Donor/DR-00000002");
        await Expect(Page.Locator("#donor-state")).Not.ToHaveTextAsync("已退出");

        await Page.ClickAsync("#withdraw");
        await Page.CheckAsync("#Confirm");
        await Page.ClickAsync("#confirm-withdrawal");
        await Expect(Page.Locator("#donor-state")).ToHaveTextAsync("已退出");
        await Expect(Page.Locator("#wmda")).ToHaveTextAsync("DE");
        await Expect(Page.Locator("#erased")).ToBeVisibleAsync();
        await Expect(Page.Locator("#audit-trail")).ToContainTextAsync("退出（删除个人信息）");
        await Expect(Page.Locator("#audit-trail")).ToContainTextAsync("可检索（在库） → 已退出");
        await ScreenshotAsync("19-donor-withdrawn");

        // Gone from every page that shows people; the ID number finds no one any more.
        foreach (var page in new[] { "/Coordinator/Donor/DR-00000002", "/Coordinator/Withdraw/DR-00000002", "/Coordinator/Typed", "/Coordinator" })
        {
            await Page.GotoAsync(page);
            var html = await Page.ContentAsync();
            html.Should().NotContain(name, page).And.NotContain(nationalId, page);
        }

        await Page.GotoAsync("/Coordinator");
        await Page.FillAsync("#Find", nationalId);
        await Page.ClickAsync("#find");
        await Expect(Page.Locator("span[data-valmsg-for='Find']")).ToContainTextAsync(nationalId);
    }

    [Test]
    public async Task ADonorDeferred_FromTheDonorPage_IsTU_TheMissingDayRefusedBesideIt_AndTheDeferralEnds_InEnglishToo()
    {
        await SignInAsync(Demo.Coordinator, Demo.CoordinatorPassword);
        await Page.GotoAsync("/Coordinator/Donor/DR-00000004");
        await Expect(Page.Locator("#wmda")).ToHaveTextAsync("AV");

        await Page.FillAsync("#reason-Defer", "出国交流");
        await Page.ClickAsync("#act-Defer");
        await Expect(Page.Locator("li[data-action='Defer'] .field-error")).ToContainTextAsync("必填");
        await Expect(Page.Locator("#wmda")).ToHaveTextAsync("AV");

        await Page.FillAsync("#until-Defer", Today.AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Page.FillAsync("#reason-Defer", "出国交流");
        await Page.ClickAsync("#act-Defer");
        await Expect(Page.Locator("#donor-state")).ToHaveTextAsync("暂时不可用");
        await Expect(Page.Locator("#wmda")).ToHaveTextAsync("TU");
        await Expect(Page.Locator("#audit-trail")).ToContainTextAsync("出国交流");

        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("#donor-state")).ToHaveTextAsync("Temporarily unavailable");
        await Page.Locator("li[data-action='EndDeferral'] button").ClickAsync();
        await Expect(Page.Locator("#donor-state")).ToHaveTextAsync("Available (listed)");
        await Expect(Page.Locator("#wmda")).ToHaveTextAsync("AV");
    }
}
