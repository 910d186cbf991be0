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
        await Expect(problem).ToContainTextAsync("招募活动 CUC-2026-AUT 当前为“已结束”状态，现在不能执行“记录知识讲座”：需要活动处于已计划、登记中或等待结果状态（知识讲座只在这些状态下记录）。现在可执行：无（记录已结束）。");
        await Expect(problem).Not.ToContainTextAsync("Closed");
        await Expect(problem).Not.ToContainTextAsync("RecordLecture");
        await ScreenshotAsync("33-lecture-refused-zh");

        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Page.GotoAsync("/Organizer/Lecture/CUC-2026-AUT");
        await Page.FillAsync("#Audience", "30");
        await Page.FillAsync("#Speaker", "Dr Li");
        await Page.ClickAsync("#save-lecture");
        await Expect(Page.Locator("div.validation-summary-errors")).ToContainTextAsync("Drive CUC-2026-AUT is Closed; 'Record a lecture' is not possible now: it needs the drive to be planned, open or awaiting results (lectures are recorded then).");
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

    [Test]
    public async Task ADriveStartedAgain_IsRefusedForItsOwnReason_InChinese_AndInEnglishOnTheEnglishPage()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);

        async Task PlanAgainAsync()
        {
            await Page.GotoAsync("/Organizer/Plan");
            await Page.FillAsync("#Code", "CUC-2026-AUT");
            await Page.FillAsync("#Name", "中国传媒大学 2026 秋季招募");
            await Page.SelectOptionAsync("#Kind", "Campus");
            await Page.FillAsync("#Venue", "中传国际传播中心");
            await Page.FillAsync("#Target", "30");
            await Page.ClickAsync("#plan");
        }

        await PlanAgainAsync();
        var problem = Page.Locator("div.validation-summary-errors");
        await Expect(problem).ToContainTextAsync("招募活动 CUC-2026-AUT 已作为工作流");
        await Expect(problem).ToContainTextAsync("运行，无需再次启动；请在活动页面继续下一步。未保存任何更改。");
        await Expect(problem).Not.ToContainTextAsync("不接受这一操作"); // its own case, not every case it could be
        await Expect(problem).Not.ToContainTextAsync("StartDriveAsync");
        await ScreenshotAsync("35-drive-started-again-zh");

        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await PlanAgainAsync();
        await Expect(Page.Locator("div.validation-summary-errors")).ToContainTextAsync("carry on with its next step instead of starting it again. Nothing was saved.");
    }

    [Test]
    public async Task ADonorRemovedAsDeceased_ShowsWhyReactivationIsBlocked_AndTheLibrarysAuditReasons_InChinese()
    {
        // Removal and reactivation are an administrator's; the donor page is a coordinator's: a registrar holds both.
        const string Donor = "DR-00000012";
        const string Registrar = "registrar.sun";
        const string Password = "demo-Registrar-2026";
        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin/Add");
        await Page.FillAsync("#UserName", Registrar);
        await Page.FillAsync("#DisplayName", "孙磊");
        await Page.CheckAsync("#role-Coordinator");
        await Page.CheckAsync("#role-Administrator");
        await Page.FillAsync("#Password", Password);
        await Page.FillAsync("#PasswordAgain", Password);
        await Page.ClickAsync("#add-user");
        await Expect(Page.Locator("#history")).ToContainTextAsync("新增账户", new() { Timeout = 10000 });
        await Expect(Page.Locator("#history")).Not.ToContainTextAsync("Add");
        await SignOutAsync();

        await SignInAsync(Registrar, Password);
        await Page.GotoAsync("/Coordinator/Donor/" + Donor);
        await Page.SelectOptionAsync("#removal-Remove", "DD");
        await Page.FillAsync("#reason-Remove", "家属告知");
        await Page.ClickAsync("#act-Remove");

        await Expect(Page.Locator("li[data-action='Reactivate'] .blocked-because")).ToHaveTextAsync("条件未满足：移出原因允许重新启用");
        var audit = Page.Locator("#audit-trail");
        await Expect(audit).ToContainTextAsync("DD：家属告知", new() { Timeout = 5000 });
        await Expect(audit).ToContainTextAsync("由所属招募活动自动入库");
        await Expect(audit).ToContainTextAsync("由 中华骨髓库 HLA 实验室 于 ");
        await Expect(audit).Not.ToContainTextAsync("listed automatically");
        await Expect(audit).Not.ToContainTextAsync("typed by");
        await ScreenshotAsync("36-donor-guard-and-audit-zh");

        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Page.Locator("li[data-action='Reactivate'] .blocked-because")).ToHaveTextAsync("Not met: a removal reason that allows reactivation");
        await Expect(Page.Locator("#audit-trail")).ToContainTextAsync("listed automatically by the donor's drive");
    }

    private async Task UploadAsync(byte[] csv)
    {
        await Page.GotoAsync("/Lab/Results");
        await Page.SelectOptionAsync("#Drive", BranchPortal.Pages.Lab.ResultsModel.NoDrive);
        await Page.SetInputFilesAsync("#Upload", new FilePayload { Name = "header-only.csv", MimeType = "text/csv", Buffer = csv });
        await Page.ClickAsync("#import");
    }
}
