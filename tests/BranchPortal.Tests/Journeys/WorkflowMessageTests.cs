using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>
/// What the library says without a language, in the page's language: the drive workflow's notices and execution log,
/// a refused lifecycle step (its record, state and step), and a typing file the library cannot read at all.
/// </summary>
public sealed class WorkflowMessageTests : BrowserTest
{
    [Test]
    public async Task AClosedDrivesNotice_AndItsExecutionLog_AreInChinese_AndInEnglishOnTheEnglishPage()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);

        await Page.GotoAsync("/Organizer/Drive/CUC-2026-AUT");

        var flag = Page.Locator("#flags .notice-text[data-code='DriveClosed']");
        await Expect(flag).ToHaveTextAsync("活动 CUC-2026-AUT 已结束：讲座 1 场，听众 160 人，登记 24 人，来自 24 人的样本 24 份（拒收 0 份），分型 24 人，入库 24 人。");
        await Expect(Page.Locator("#execution-log")).ToContainTextAsync("等待“开放登记”（CUC-2026-AUT）");
        await Expect(Page.Locator("#execution-log")).ToContainTextAsync("活动 CUC-2026-AUT 已结束：");
        await Expect(Page.Locator("#execution-log")).Not.ToContainTextAsync(" for CUC-2026-AUT");
        await Expect(Page.Locator("#execution-log")).Not.ToContainTextAsync("listed");
        await ScreenshotAsync("32-drive-notices-zh");

        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Page.GotoAsync("/Organizer/Drive/CUC-2026-AUT");
        await Expect(flag).ToHaveTextAsync("Drive CUC-2026-AUT closed: 1 lecture(s), 160 attendee(s), 24 enrolled, 24 sample(s) from 24 donor(s) (0 rejected), 24 typed, 24 listed.");
        await Expect(Page.Locator("#execution-log")).ToContainTextAsync("Waiting for 'Enrolment opened' (CUC-2026-AUT)");
    }

    [Test]
    public async Task ALectureForAClosedDrive_IsRefusedNamingTheDrivesStateAndTheStep_InChinese()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);

        await Page.GotoAsync("/Organizer/Lecture/CUC-2026-AUT");
        await Page.FillAsync("#Audience", "30");
        await Page.FillAsync("#Speaker", "李医生");
        await Page.ClickAsync("#save-lecture");

        var problem = Page.Locator("div.validation-summary-errors");
        await Expect(problem).ToContainTextAsync("招募活动 CUC-2026-AUT 当前为“已结束”状态，不能执行“记录知识讲座”。现在可执行：无（记录已结束）。");
        await Expect(problem).Not.ToContainTextAsync("Closed");
        await Expect(problem).Not.ToContainTextAsync("RecordLecture");
        await ScreenshotAsync("33-lecture-refused-zh");

        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Page.GotoAsync("/Organizer/Lecture/CUC-2026-AUT");
        await Page.FillAsync("#Audience", "30");
        await Page.FillAsync("#Speaker", "Dr Li");
        await Page.ClickAsync("#save-lecture");
        await Expect(Page.Locator("div.validation-summary-errors")).ToContainTextAsync("Drive CUC-2026-AUT is Closed; 'Record a lecture' is not possible now.");
    }

    [Test]
    public async Task ATypingFileWithAHeaderButNoRows_IsRefusedBesideTheFile_InChinese_AndInEnglishOnTheEnglishPage()
    {
        await SignInAsync(Demo.Lab, Demo.LabPassword);
        var csv = System.Text.Encoding.UTF8.GetBytes("Barcode,TypedOn,HLA-A,HLA-B,HLA-C,HLA-DRB1,HLA-DQB1\n");

        await UploadAsync(csv);
        var upload = Page.Locator("span[data-valmsg-for='Upload']");
        await Expect(upload).ToHaveTextAsync("“header-only.csv”只有标题行，没有数据行：请在标题行下每管一行。未导入任何内容。");
        await Expect(Page.Locator("#import-result")).ToHaveCountAsync(0);
        await ScreenshotAsync("34-results-unreadable-zh");

        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await UploadAsync(csv);
        await Expect(Page.Locator("span[data-valmsg-for='Upload']")).ToHaveTextAsync("'header-only.csv' has a header but no rows: give one row per sample under the header. Nothing was imported.");
    }

    private async Task UploadAsync(byte[] csv)
    {
        await Page.GotoAsync("/Lab/Results");
        await Page.SelectOptionAsync("#Drive", BranchPortal.Pages.Lab.ResultsModel.NoDrive);
        await Page.SetInputFilesAsync("#Upload", new FilePayload { Name = "header-only.csv", MimeType = "text/csv", Buffer = csv });
        await Page.ClickAsync("#import");
    }
}
