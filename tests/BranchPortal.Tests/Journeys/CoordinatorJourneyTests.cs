using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>
/// Journey 2, a coordinator's case from search to care: search for a patient, open a case from a result, take it to
/// collection, record the donation, the day-2 follow-up due, an appreciation visit, and recognition once the donor
/// consents (not offered before). The collection is recorded two days back, so the day-2 check is due today: the
/// portal needs no clock of its own.
/// </summary>
public sealed class CoordinatorJourneyTests : BrowserTest
{
    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

    [Test]
    public async Task Coordinator_SearchesOpensACase_TakesItToCollection_RecordsTheDonation_TheDay2FollowUp_AVisit_AndRecognitionForAConsentingDonor()
    {
        const string Donor = "DR-00000005";
        await SignInAsync(Demo.Coordinator, Demo.CoordinatorPassword);
        await Page.GotoAsync($"/Coordinator/Donor/{Donor}");
        await Expect(Page.Locator("#wmda")).ToHaveTextAsync("AV");
        var hla = await Page.Locator("#donor-hla").InnerTextAsync();

        // The patient typed as the donor: the donor ranks with 10/10, graded per position, at the threshold named.
        await Page.GotoAsync("/Coordinator");
        await Page.ClickAsync("#patient-search");
        await Page.FillAsync("#Patient", hla);
        await Page.FillAsync("#PatientReference", "PUMCH-2026-0042");
        await Page.ClickAsync("#search");
        await Expect(Page.Locator("#threshold-named")).ToContainTextAsync("P 组");
        var row = Page.Locator($"#matches tr[data-donor='{Donor}']");
        await Expect(row.Locator(".match-count")).ToContainTextAsync("10/10");
        await Expect(row.Locator("td.grades")).ToHaveCountAsync(5);
        await ScreenshotAsync("20-search");
        await row.Locator("button.open-case").ClickAsync();
        await Expect(Page.Locator("#case-state")).ToHaveTextAsync("潜在匹配");

        // The first step from the case board's card, the next ones from the case's page: each step a form, up to the
        // collection (two days ago).
        var opened = (await Page.Locator("h1").InnerTextAsync()).Trim();
        await Page.GotoAsync("/Coordinator/Cases");
        var card = Page.Locator($"section[data-stage='PotentialMatch'] div.card[data-case='{opened}']");
        await card.Locator("button").ClickAsync();
        await Expect(Page.Locator("#case-state")).ToHaveTextAsync("已联系捐献者");
        foreach (var step in new[] { "RecordConsent", "RequestCtSample" })
        {
            await StepAsync(step);
        }

        await Page.FillAsync("#CtTyping", hla);
        await StepAsync("RecordCtTyping");
        foreach (var step in new[] { "Select", "RequestWorkup", "HoldInformationSession", "RecordMedicalExam", "Clear", "StartMobilization", "StartApheresis" })
        {
            await StepAsync(step);
        }

        await Page.FillAsync("#CollectedOn", Today.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await StepAsync("RecordCollection");
        await Expect(Page.Locator("#case-state")).ToHaveTextAsync("已采集");
        await ScreenshotAsync("21-case");
        var caseId = (await Page.Locator("h1").InnerTextAsync()).Trim();
        await Page.GotoAsync("/Coordinator/Cases");
        await Expect(Page.Locator($"section[data-stage='Collected'] div.card[data-case='{caseId}']")).ToHaveCountAsync(1);
        await ScreenshotAsync("22-case-board");
        await Page.Locator($"div.card[data-case='{caseId}'] a").ClickAsync();

        // The donation record: its care starts, the day-2 follow-up is due today.
        await Page.FillAsync("#Centre", "北京大学人民医院");
        await Page.FillAsync("#GcsfDays", "5");
        await Page.ClickAsync("#record-donation");
        await Expect(Page.Locator("#follow-ups")).ToBeVisibleAsync();
        var donation = (await Page.Locator("h1").InnerTextAsync()).Trim();
        var visit = "AtDonation-" + Today.AddDays(-2).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        await Page.GotoAsync("/Coordinator/Care");
        var due = Page.Locator($"#follow-ups-due tr[data-donation='{donation}'][data-key='D2']");
        await Expect(due).ToContainTextAsync("今日到期");
        await Expect(Page.Locator($"#visits-due tr[data-donation='{donation}'][data-key='{visit}']")).ToHaveCountAsync(1);
        await ScreenshotAsync("23-care-due");
        await due.Locator("a").ClickAsync();
        await Page.Locator("#follow-ups tr[data-key='D2'] button.record-follow-up").ClickAsync();
        await Expect(Page.Locator("#follow-ups tr[data-key='D2'] .follow-up-done")).ToContainTextAsync("良好");

        // The visit at donation (慰问), recorded.
        await Page.FillAsync($"#gifts-{visit}", "慰问金和鲜花");
        await Page.Locator($"#visits tr[data-key='{visit}'] button.record-visit").ClickAsync();
        await Expect(Page.Locator($"#visits tr[data-key='{visit}'] .visit-state")).ToContainTextAsync("已慰问");

        // No recognition is offered without the donor's consent; once consenting, it is approved.
        await Expect(Page.Locator("#no-consent")).ToBeVisibleAsync();
        await Expect(Page.Locator("#recognition-form")).ToHaveCountAsync(0);
        await ScreenshotAsync("24-care-donation");
        await Page.ClickAsync("#record-consent");
        await Expect(Page.Locator("#consents")).ToBeVisibleAsync();
        await Page.FillAsync("#Honour", "2026 年度造血干细胞捐献奉献奖");
        await Page.ClickAsync("#approve-recognition");
        await Expect(Page.Locator("p.notice.ok")).ToContainTextAsync("表彰已批准");
        await Page.GotoAsync("/Coordinator/Care");
        await Expect(Page.Locator($"#follow-ups-due tr[data-donation='{donation}']")).ToHaveCountAsync(0);
    }

    private async Task StepAsync(string step)
    {
        var before = await Page.Locator("#case-state").InnerTextAsync();
        await Page.ClickAsync($"#step-{step}");
        await Expect(Page.Locator("#case-state")).Not.ToHaveTextAsync(new Regex("^" + Regex.Escape(before) + "$"));
        await Expect(Page.Locator("#form-problems")).ToBeHiddenAsync();
    }
}
