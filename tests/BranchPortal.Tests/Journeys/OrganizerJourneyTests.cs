using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>
/// An organizer's day through the browser: sign in, plan a drive, its lecture, enrolment, three volunteers, their
/// samples and the shipment; then the lab's receipt of results (one bad line, then its correction) and the coordinator
/// listing the typed donors (journey 1).
/// </summary>
public sealed class OrganizerJourneyTests : BrowserTest
{
    // Age 45, which the demo's volunteers (18 to 44) never have: their ID numbers cannot collide with the demo's.
    private static readonly Volunteers Volunteers = new(seed: 11);

    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

    [Test]
    public async Task Organizer_PlansADrive_RecordsALecture_OpensEnrolment_AndEnrolsThreeVolunteers_TheBadIdShownBesideItsField()
    {
        // The sign-in page is Chinese although the browser asks for English.
        await Page.GotoAsync("/Organizer");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("登录");
        await ScreenshotAsync("01-sign-in");
        await Page.FillAsync("#UserName", Demo.Organizer);
        await Page.FillAsync("#Password", Demo.OrganizerPassword);
        await Page.ClickAsync("#sign-in");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("招募活动");
        await ScreenshotAsync("02-drives");

        // Plan a drive: its workflow starts and waits for the lecture.
        await Page.ClickAsync("#plan-drive");
        await Page.FillAsync("#Code", "CUC-2027-SPR");
        await Page.FillAsync("#Name", "中国传媒大学 2027 春季招募");
        await Page.SelectOptionAsync("#Kind", "Campus");
        await Page.FillAsync("#Venue", "中传国际传播中心");
        await Page.FillAsync("#Target", "30");
        await Page.CheckAsync("#ListByHand");
        await ScreenshotAsync("03-plan");
        await Page.ClickAsync("#plan");
        await Expect(Page.Locator("#drive-state")).ToHaveTextAsync("已计划");
        await Expect(Page.Locator("#next-event")).ToContainTextAsync("举办知识讲座");

        // The lecture with its audience.
        await Page.ClickAsync("#record-lecture");
        await Page.FillAsync("#Audience", "150");
        await Page.FillAsync("#Speaker", "李医生");
        await Page.ClickAsync("#save-lecture");
        await Expect(Page.Locator("#funnel-attendees")).ToHaveTextAsync("150");
        await Expect(Page.Locator("#next-event")).ToContainTextAsync("开放登记");

        // Enrolment opens through the workflow.
        await Page.ClickAsync("#open-enrolment");
        await Expect(Page.Locator("#drive-state")).ToHaveTextAsync("登记中");

        // Three volunteers; the second's ID number has a wrong check character, shown beside that field only.
        await Page.ClickAsync("#enrol");
        var first = Volunteers.Next(Today, age: 45);
        await FillAsync(first);
        await Page.ClickAsync("#enrol-volunteer");
        await Expect(Page.Locator("p.notice.ok")).ToContainTextAsync(first.Personal.FullName);

        var second = Volunteers.Next(Today, age: 45);
        await FillAsync(second, nationalId: WrongCheckCharacter(second.Personal.NationalId));
        await Page.ClickAsync("#enrol-volunteer");
        var idError = Page.Locator("span[data-valmsg-for='NationalId']");
        await Expect(idError).ToContainTextAsync("身份证号码"); // the library's refusal (a wrong check character), in the page's language
        await Expect(idError).ToContainTextAsync("ISO 7064 MOD 11-2");
        await Expect(Page.Locator("span[data-valmsg-for='FullName']")).ToBeEmptyAsync();
        await Expect(Page.Locator("span[data-valmsg-for='Phone']")).ToBeEmptyAsync();
        await Expect(Page.Locator("#FullName")).ToHaveValueAsync(second.Personal.FullName);
        await ScreenshotAsync("04-enrol-bad-id");
        await Page.FillAsync("#NationalId", second.Personal.NationalId);
        await Page.ClickAsync("#enrol-volunteer");
        await Expect(Page.Locator("p.notice.ok")).ToContainTextAsync(second.Personal.FullName);

        var third = Volunteers.Next(Today, age: 45);
        await FillAsync(third);
        await Page.ClickAsync("#enrol-volunteer");
        await Expect(Page.Locator("p.notice.ok")).ToContainTextAsync(third.Personal.FullName);

        // The drive page shows the workflow's progress: lecture and enrolment done, closing enrolment next.
        await Page.ClickAsync("#back-to-drive");
        await Expect(Page.Locator("#funnel-enrolled")).ToHaveTextAsync("3 / 30");
        await Expect(Page.Locator("li[data-event='LectureHeld']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("step-done"));
        await Expect(Page.Locator("li[data-event='EnrolmentOpened']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("step-done"));
        await Expect(Page.Locator("li[data-event='EnrolmentClosed']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("step-next"));
        await Expect(Page.Locator("#next-event")).ToContainTextAsync("关闭登记");
        await Expect(Page.Locator("#workflow-state")).ToHaveTextAsync("运行中");
        await Expect(Page.Locator("#execution-log tbody tr")).Not.ToHaveCountAsync(0);
        await ScreenshotAsync("05-drive");

        // Each volunteer's sample by barcode; a barcode the library refuses is shown beside its field.
        await Page.SelectOptionAsync("#CollectDonor", new SelectOptionValue { Index = 1 });
        await Page.FillAsync("#Barcode", "CUC27 0001");
        await Page.ClickAsync("#collect-sample");
        await Expect(Page.Locator("span[data-valmsg-for='Barcode']")).ToContainTextAsync("条码“CUC27 0001”格式不正确");
        for (var i = 1; i <= 3; i++)
        {
            await Page.SelectOptionAsync("#CollectDonor", new SelectOptionValue { Index = 1 });
            await Page.FillAsync("#Barcode", $"CUC27-{i:D4}");
            await Page.ClickAsync("#collect-sample");
            await Expect(Page.Locator("p.notice.ok")).ToContainTextAsync($"CUC27-{i:D4}");
        }

        await Expect(Page.Locator("#sample-list tbody tr")).ToHaveCountAsync(3);
        await Expect(Page.Locator("#no-volunteer-waiting")).ToBeVisibleAsync();
        await Expect(Page.Locator("#funnel-sampled")).ToHaveTextAsync("3");

        // Enrolment closes; the samples leave for the lab through the workflow, with a printable manifest.
        await Page.ClickAsync("#close-enrolment");
        await Expect(Page.Locator("#drive-state")).ToHaveTextAsync("等待结果");
        await Page.ClickAsync("#dispatch-shipment");
        await Expect(Page.Locator("#manifest-count")).ToHaveTextAsync("3");
        await Expect(Page.Locator("#manifest-tubes tbody tr")).ToHaveCountAsync(3);
        await Expect(Page.Locator("#manifest")).Not.ToContainTextAsync(first.Personal.FullName);
        await ScreenshotAsync("12-manifest");
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Expect(Page.Locator("header.top")).ToBeHiddenAsync();
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
        await Page.ClickAsync("#back-to-drive");
        await Expect(Page.Locator("li[data-event='ShipmentDispatched']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("step-done"));
        await Expect(Page.Locator("#sample-list .sample-state").First).ToHaveTextAsync("已寄出");

        // The lab: results for two of the three tubes, the second row's genotype malformed: refused by its line number.
        await Page.ClickAsync("#sign-out");
        await SignInAsync(Demo.Lab, Demo.LabPassword);
        await Page.GotoAsync("/Lab");
        await Expect(Page.Locator("tr[data-drive='CUC-2027-SPR']")).ToHaveCountAsync(1);
        await ScreenshotAsync("13-lab");
        var hla = new SyntheticHla(seed: 11) { ThreeLocusShare = 0 };
        var typings = new[] { hla.Next(Today), hla.Next(Today) };
        var good = LabResults.Csv([("CUC27-0001", typings[0]), ("CUC27-0002", typings[1])]);
        var lines = good.Split('\n');
        lines[2] = lines[2].Replace(typings[1].Loci["B"], "B*99:XYZ", StringComparison.Ordinal);
        var bad = string.Join('\n', lines);
        await Page.ClickAsync("#upload-results");
        await Page.SelectOptionAsync("#Drive", "CUC-2027-SPR");
        await Page.SetInputFilesAsync("#Upload", new FilePayload { Name = "cuc27.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(bad) });
        await Page.ClickAsync("#import");
        await Expect(Page.Locator("#import-errors tbody tr")).ToHaveCountAsync(1);
        await Expect(Page.Locator("#import-errors tr[data-line='3']")).ToContainTextAsync("CUC27-0002");
        await Expect(Page.Locator("#import-errors tr[data-line='3']")).ToContainTextAsync("HLA-B格式不正确");
        await Expect(Page.Locator("#import-summary")).ToContainTextAsync("导入 1");
        await ScreenshotAsync("14-results-bad-line");
        await Page.SetInputFilesAsync("#Upload", new FilePayload { Name = "cuc27.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(good) });
        await Page.ClickAsync("#import");
        await Expect(Page.Locator("#import-summary")).ToContainTextAsync("导入 1，此前已导入 1，入库 0，错误 0");
        await Expect(Page.Locator("#import-errors")).ToHaveCountAsync(0);

        // The coordinator lists the two typed donors by hand (the drive does not list them automatically).
        await Page.ClickAsync("#sign-out");
        await SignInAsync(Demo.Coordinator, Demo.CoordinatorPassword);
        await Page.GotoAsync("/Coordinator/Typed");
        var typed = Page.Locator("tr[data-drive='CUC-2027-SPR']");
        await Expect(typed).ToHaveCountAsync(2);
        await ScreenshotAsync("15-typed-donors");
        for (var i = 0; i < 2; i++)
        {
            await typed.First.Locator("button.list-donor").ClickAsync();
            await Expect(Page.Locator("p.notice.ok")).ToBeVisibleAsync();
        }

        await Expect(typed).ToHaveCountAsync(0);
        await Page.ClickAsync("#sign-out");
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync("/Organizer/Drive/CUC-2027-SPR");
        await Expect(Page.Locator("#funnel-typed")).ToHaveTextAsync("2");
        await Expect(Page.Locator("#funnel-listed")).ToHaveTextAsync("2");
    }

    [Test]
    public async Task EnrolmentForm_PostedTwice_EnrolsTheVolunteerOnce()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync($"/Organizer/Enrol/{Demo.OpenDrive}");
        var before = await EnrolledAsync();
        var volunteer = Volunteers.Next(Today, age: 45);
        await FillAsync(volunteer);

        // The form exactly as the browser would post it, sent twice (a double click, or a resend after going back).
        var form = Context.APIRequest.CreateFormData();
        foreach (var input in await Page.Locator("#enrolment input, #enrolment select").AllAsync())
        {
            form.Set((await input.GetAttributeAsync("name"))!, await input.InputValueAsync());
        }

        var once = await Context.APIRequest.PostAsync($"/Organizer/Enrol/{Demo.OpenDrive}", new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
        var twice = await Context.APIRequest.PostAsync($"/Organizer/Enrol/{Demo.OpenDrive}", new APIRequestContextOptions { Form = form, MaxRedirects = 0 });

        once.Status.Should().Be(302);
        once.Headers["location"].Should().Be($"/Organizer/Enrol/{Demo.OpenDrive}", "the first post enrols and shows a new form");
        twice.Status.Should().Be(302);
        twice.Headers["location"].Should().Be($"/Organizer/Drive/{Demo.OpenDrive}", "the second finds its token spent");
        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        await Expect(Page.Locator("p.notice.error")).ToContainTextAsync("已提交过");
        await Page.GotoAsync($"/Organizer/Enrol/{Demo.OpenDrive}");
        (await EnrolledAsync()).Should().Be(before + 1);
    }

    [Test]
    public async Task APersonAlreadyEnrolled_IsRefusedBesideTheIdNumber_WithTheLibrarysMessage()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync($"/Organizer/Enrol/{Demo.OpenDrive}");
        var volunteer = Volunteers.Next(Today, age: 45);
        await FillAsync(volunteer);
        await Page.ClickAsync("#enrol-volunteer");
        await Expect(Page.Locator("p.notice.ok")).ToContainTextAsync(volunteer.Personal.FullName);

        await FillAsync(volunteer);
        await Page.ClickAsync("#enrol-volunteer");

        await Expect(Page.Locator("span[data-valmsg-for='NationalId']")).ToContainTextAsync("已登记为捐献者 DR-");
        await Expect(Page.Locator("p.notice.ok")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task AClosedDrive_ShowsItsCompleteWorkflow_ItsNotices_AndItsExecutionLog()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);

        await Page.GotoAsync("/Organizer/Drive/CUC-2026-AUT");

        await Expect(Page.Locator("#drive-state")).ToHaveTextAsync("已结束");
        await Expect(Page.Locator("#workflow-state")).ToHaveTextAsync("已完成");
        await Expect(Page.Locator("#next-event")).ToContainTextAsync("无");
        await Expect(Page.Locator("li.step-done")).ToHaveCountAsync(6);
        await Expect(Page.Locator("#flags")).ToContainTextAsync("分型 24 人，入库 24 人。");
        await Expect(Page.Locator("#flags")).Not.ToContainTextAsync("listed");
        await Expect(Page.Locator("#funnel-listed")).ToHaveTextAsync("24");
        await Expect(Page.Locator("#execution-log")).ToContainTextAsync("寄出样本");
        await Expect(Page.Locator("#open-enrolment, #enrol, #close-enrolment, #record-lecture")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task ALectureWhoseAudienceIsNoNumber_IsRefusedBesideThatField_InThePagesLanguage()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync("/Organizer/Lecture/JS-2026-WIN");
        var form = Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", await Page.Locator("input[name='__RequestVerificationToken']").Last.InputValueAsync());
        form.Set("Venue", "劲松街道市民活动中心");
        form.Set("HeldOn", Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        form.Set("Audience", "abc");
        form.Set("Speaker", "李医生");

        var response = await Context.APIRequest.PostAsync("/Organizer/Lecture/JS-2026-WIN", new APIRequestContextOptions { Form = form });

        response.Status.Should().Be(200);
        var html = await response.TextAsync();
        html.Should().MatchRegex("data-valmsg-for=\"Audience\"[^>]*>“abc”无效。<");
        await Page.GotoAsync("/Organizer/Drive/JS-2026-WIN");
        await Expect(Page.Locator("#funnel-lectures")).ToHaveTextAsync("0");
    }

    private async Task<int> EnrolledAsync()
    {
        var text = await Page.Locator("p.meta").InnerTextAsync();
        return int.Parse(new string(text.Split('·')[1].Where(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task FillAsync(EnrolmentRequest volunteer, string? nationalId = null)
    {
        var p = volunteer.Personal;
        await Page.FillAsync("#FullName", p.FullName);
        await Page.FillAsync("#NationalId", nationalId ?? p.NationalId);
        await Page.SelectOptionAsync("#Sex", volunteer.Profile.Sex.ToString());
        await Page.FillAsync("#BirthDate", volunteer.Profile.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Page.FillAsync("#Phone", p.Phone);
        await Page.FillAsync("#Address", p.Address);
        await Page.SelectOptionAsync("#Abo", volunteer.Profile.Abo.ToString());
        await Page.SelectOptionAsync("#Rh", volunteer.Profile.Rh.ToString());
        await Page.SelectOptionAsync("#Cmv", volunteer.Profile.Cmv.ToString());
        var contact = p.EmergencyContacts[0];
        await Page.FillAsync("#ContactName", contact.Name);
        await Page.FillAsync("#ContactRelationship", contact.Relationship);
        await Page.FillAsync("#ContactPhone", contact.Phone);
    }

    private static string WrongCheckCharacter(string id) => id[..17] + (id[17] == '0' ? '1' : '0');
}
