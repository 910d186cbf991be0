using System.Net;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>Antiforgery, lockout and roles, through the browser.</summary>
public sealed class ProtectionTests : BrowserTest
{
    [Test]
    public async Task AFormPostedWithoutItsAntiforgeryToken_IsRefusedWith400_AndNothingIsPlanned()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        (await Context.APIRequest.GetAsync("/Organizer/Plan")).Status.Should().Be(200, "the request carries the organizer's sign-in cookie");
        var form = Context.APIRequest.CreateFormData();
        form.Set("Code", "FORGED-2026");
        form.Set("Name", "伪造的活动");
        form.Set("Kind", "Campus");
        form.Set("Venue", "某地");
        form.Set("StartsOn", "2026-12-20");
        form.Set("EndsOn", "2026-12-20");
        form.Set("Target", "10");
        form.Set("Lab", "某实验室");

        var response = await Context.APIRequest.PostAsync("/Organizer/Plan", new APIRequestContextOptions { Form = form, MaxRedirects = 0 });

        response.Status.Should().Be((int)HttpStatusCode.BadRequest);
        (await Context.APIRequest.GetAsync("/Organizer/Drive/FORGED-2026")).Status.Should().Be(404);
    }

    [Test]
    public async Task FiveWrongPasswords_LockTheAccount_AndThenTheRightPasswordIsRefusedToo()
    {
        for (var i = 1; i <= 4; i++)
        {
            await SignInAsync(Demo.Viewer, "wrong-" + i);
            await Expect(Page.Locator("#sign-in-problem")).ToHaveTextAsync("用户名或密码不正确。");
        }

        await SignInAsync(Demo.Viewer, "wrong-5");
        await Expect(Page.Locator("#sign-in-problem")).ToContainTextAsync("账户已锁定");
        await ScreenshotAsync("06-locked");

        await SignInAsync(Demo.Viewer, Demo.ViewerPassword);
        await Expect(Page.Locator("#sign-in-problem")).ToContainTextAsync("账户已锁定");
        (await Context.APIRequest.GetAsync("/Reports", new APIRequestContextOptions { MaxRedirects = 0 })).Status.Should().Be(302, "the viewer is not signed in");
    }

    [Test]
    public async Task ALabUser_SeesTubesDonorsMasked_Gets403_OnOrganizerAndCoordinatorPages_AndEachAttemptIsInTheAccessLog()
    {
        // Journey 3: a lab user sees names and ID numbers masked, tries pages of other roles; each refusal is in the registry's access log.
        await SignInAsync(Demo.Lab, Demo.LabPassword);
        await Expect(Page.Locator("h1")).ToContainTextAsync("欢迎");

        // The lab sees each tube's donor, with the name and ID number masked by the library (the lab may not read them).
        await Page.GotoAsync("/Lab");
        await Page.Locator("#shipments tbody tr a").First.ClickAsync();
        var names = await Page.Locator("#tubes td.person-name").AllInnerTextsAsync();
        var ids = await Page.Locator("#tubes td.person-id").AllInnerTextsAsync();
        names.Should().NotBeEmpty().And.OnlyContain(n => n.Contains('*'), "a lab user sees 张*, never the whole name");
        ids.Should().NotBeEmpty().And.OnlyContain(id => System.Text.RegularExpressions.Regex.IsMatch(id, @"^\d{3}\*{11}\w{4}$"), "and 110***********1234, never the whole number");
        await ScreenshotAsync("45-lab-shipment-masked");

        var response = await Page.GotoAsync("/Organizer/Plan");

        response!.Status.Should().Be(403);
        await Expect(Page.Locator("#status-title")).ToContainTextAsync("403");
        await Expect(Page.Locator("nav.menu a[href='/Organizer']")).ToHaveCountAsync(0);
        (await Page.GotoAsync("/Coordinator/Search?Patient=A*01:01"))!.Status.Should().Be(403);
        await Expect(Page.Locator("#status-title")).ToContainTextAsync("403");
        (await Page.GotoAsync("/Lab"))!.Status.Should().Be(200);
        await SignOutAsync();

        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin/AccessLog?Actor=" + Demo.Lab);
        var search = Page.Locator("#access-log tbody tr.outcome-denied", new PageLocatorOptions { HasText = "/Coordinator/Search" }).First;
        await Expect(search).ToContainTextAsync(Demo.Lab);
        await Expect(search).ToContainTextAsync("打开门户页面"); // OpenHostPage
        await Expect(search).ToContainTextAsync("该门户页面需要角色：协调员");
        (await search.InnerTextAsync()).Should().NotContain("A*01:01", "the query string is never recorded");
        await Expect(Page.Locator("#access-log tbody tr.outcome-denied", new PageLocatorOptions { HasText = "/Organizer/Plan" }).First).ToContainTextAsync("该门户页面需要角色：招募组织者");
        await ScreenshotAsync("44-access-log-refused-page");
    }

    [Test]
    public async Task TheCoordinatorsDonorPage_OffersOnlyTheirRolesActions_AndAForgedScreenOut_Is403_AndLogged()
    {
        const string Donor = "DR-00000020";
        await SignInAsync(Demo.Coordinator, Demo.CoordinatorPassword);
        await Page.GotoAsync("/Coordinator/Donor/" + Donor);
        await Expect(Page.Locator("li[data-action='Defer']")).ToHaveCountAsync(1);
        foreach (var trigger in new[] { "Remove", "ScreenOut", "Rescreen", "Reactivate" })
        {
            await Expect(Page.Locator($"li[data-action='{trigger}']")).ToHaveCountAsync(0);
        }

        // A post the page never offers, with the session's own antiforgery token: the library refuses it, the page is 403.
        var form = Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", (await Page.Locator("li[data-action='Defer'] input[name='__RequestVerificationToken']").GetAttributeAsync("value"))!);
        form.Set("action", "ScreenOut");
        form.Set("version", (await Page.Locator("li[data-action='Defer'] input[name='version']").GetAttributeAsync("value"))!);
        form.Set("reason", "伪造的筛除");
        var forged = await Context.APIRequest.PostAsync($"/Coordinator/Donor/{Donor}?handler=Reasoned", new APIRequestContextOptions { Form = form, MaxRedirects = 0 });

        forged.Status.Should().Be(403);
        (await forged.TextAsync()).Should().Contain("403");
        await Page.GotoAsync("/Coordinator/Donor/" + Donor);
        await Expect(Page.Locator("#wmda")).ToHaveTextAsync("AV");
        await SignOutAsync();

        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin/AccessLog?Donor=" + Donor);
        var refused = Page.Locator("#access-log tbody tr.outcome-denied", new PageLocatorOptions { HasText = "筛除" }).First; // ScreenOut, in the page's language
        await Expect(refused).ToContainTextAsync(Demo.Coordinator);
    }

    [Test]
    public async Task SigningOut_EndsTheSession()
    {
        await SignInAsync(Demo.Coordinator, Demo.CoordinatorPassword);
        await Page.ClickAsync("#sign-out");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn"));

        await Page.GotoAsync("/Coordinator");

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/SignIn\\?ReturnUrl=%2FCoordinator"));
    }

    [TestCase(Demo.Lab, Demo.LabPassword, "/Coordinator/Donor/DR-00000001")]
    [TestCase(Demo.Lab, Demo.LabPassword, "/Coordinator/Search")]
    [TestCase(Demo.Coordinator, Demo.CoordinatorPassword, "/Lab/Results")]
    [TestCase(Demo.Organizer, Demo.OrganizerPassword, "/Coordinator/Care")]
    [TestCase(Demo.Administrator, Demo.AdministratorPassword, "/Organizer/Manifest/SHP-00000001")]
    public async Task TheWrongRole_Gets403_OnTheNewPages(string user, string password, string path)
    {
        await SignInAsync(user, password);

        var response = await Page.GotoAsync(path);

        response!.Status.Should().Be(403);
    }

    [Test]
    public async Task AWithdrawalPostedWithoutItsAntiforgeryToken_IsRefusedWith400_AndTheDonorStays()
    {
        await SignInAsync(Demo.Coordinator, Demo.CoordinatorPassword);
        var form = Context.APIRequest.CreateFormData();
        form.Set("Version", "1");
        form.Set("Confirm", "true");

        var response = await Context.APIRequest.PostAsync("/Coordinator/Withdraw/DR-00000003", new APIRequestContextOptions { Form = form, MaxRedirects = 0 });

        response.Status.Should().Be((int)HttpStatusCode.BadRequest);
        await Page.GotoAsync("/Coordinator/Donor/DR-00000003");
        await Expect(Page.Locator("#donor-name")).Not.ToBeEmptyAsync();
    }

    [Test]
    public async Task AResultsUploadWithoutItsAntiforgeryToken_IsRefusedWith400()
    {
        await SignInAsync(Demo.Lab, Demo.LabPassword);
        var form = Context.APIRequest.CreateFormData();
        form.Set("Drive", "-");
        form.Set("Lab", "某实验室");
        form.Set("ReportedOn", "2026-01-01");
        form.Set("Upload", new FilePayload { Name = "r.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes("Barcode,TypedOn\n") });

        var response = await Context.APIRequest.PostAsync("/Lab/Results", new APIRequestContextOptions { Multipart = form, MaxRedirects = 0 });

        response.Status.Should().Be((int)HttpStatusCode.BadRequest);
    }
}
