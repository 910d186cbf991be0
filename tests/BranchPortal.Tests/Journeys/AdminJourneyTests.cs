using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>The administrator's pages: accounts (add, roles, disable, reset) and the access log, and who may not see them.</summary>
public sealed class AdminJourneyTests : BrowserTest
{
    private async Task AddUserAsync(string userName, string displayName, string role, string password)
    {
        await Page.GotoAsync("/Admin/Add");
        await Page.FillAsync("#UserName", userName);
        await Page.FillAsync("#DisplayName", displayName);
        await Page.CheckAsync($"#role-{role}");
        await Page.FillAsync("#Password", password);
        await Page.FillAsync("#PasswordAgain", password);
        await Page.ClickAsync("#add-user");
        await Expect(Page).ToHaveURLAsync(new Regex("/Admin/User/" + Regex.Escape(userName) + "$"));
    }

    [Test]
    public async Task AnAdministrator_AddsACoordinator_WhoSignsIn_ThenChangesTheirRoles()
    {
        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin");
        await Page.ClickAsync("#add-user-link");

        // The portal's checks first, then the library's words beside its field; no password comes back.
        await Page.FillAsync("#UserName", "bad name!");
        await Page.FillAsync("#DisplayName", "孙丽 (协调员)");
        await Page.CheckAsync("#role-Coordinator");
        await Page.FillAsync("#Password", "Coordinator-Sun-2026");
        await Page.FillAsync("#PasswordAgain", "Coordinator-Sun-2027");
        await Page.ClickAsync("#add-user");
        await Expect(Page.Locator("#Password-error")).ToHaveTextAsync("两次输入的密码不一致。");
        await Expect(Page.Locator("#Password")).ToHaveValueAsync(string.Empty);
        await Page.FillAsync("#Password", "Coordinator-Sun-2026");
        await Page.FillAsync("#PasswordAgain", "Coordinator-Sun-2026");
        await Page.ClickAsync("#add-user");
        await Expect(Page.Locator("#UserName-error")).ToContainTextAsync("用户名“");
        await Expect(Page.Locator("#UserName-error")).ToContainTextAsync("格式不正确");
        await Expect(Page.Locator("#role-Coordinator")).ToBeCheckedAsync();
        (await Page.ContentAsync()).Should().NotContain("Coordinator-Sun-2026").And.NotContain("AQAAAA", "no password or hash is on the page");
        await ScreenshotAsync("40-admin-add-refused");

        await Page.FillAsync("#UserName", "coordinator.sun");
        await Page.FillAsync("#Password", "Coordinator-Sun-2026");
        await Page.FillAsync("#PasswordAgain", "Coordinator-Sun-2026");
        await Page.ClickAsync("#add-user");
        await Expect(Page).ToHaveURLAsync(new Regex("/Admin/User/coordinator.sun$"));
        await Expect(Page.Locator("[role=status]")).ToContainTextAsync("已添加用户 coordinator.sun");
        await Expect(Page.Locator("#account-roles")).ToHaveTextAsync("协调员");
        await Expect(Page.Locator("#history")).ToContainTextAsync("新增账户"); // the step Add, in the page's language
        await Expect(Page.Locator("#history")).ToContainTextAsync(Demo.Administrator);
        (await Page.ContentAsync()).Should().NotContain("AQAAAA", "the page shows no hash");
        await Page.GotoAsync("/Admin");
        await Expect(Page.Locator("#accounts tr[data-user='coordinator.sun']")).ToContainTextAsync("孙丽 (协调员)");
        await ScreenshotAsync("41-admin-users");
        await SignOutAsync();

        await SignInAsync("coordinator.sun", "Coordinator-Sun-2026");
        await Expect(Page.Locator("h1")).ToContainTextAsync("欢迎");
        (await Page.GotoAsync("/Coordinator"))!.Status.Should().Be(200);
        (await Page.GotoAsync("/Lab"))!.Status.Should().Be(403);
        await SignOutAsync();

        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin/User/coordinator.sun");
        await Page.UncheckAsync("#role-Coordinator");
        await Page.CheckAsync("#role-Lab");
        await Page.ClickAsync("#save-roles");
        await Expect(Page.Locator("[role=status]")).ToContainTextAsync("已更改 coordinator.sun 的角色");
        await Expect(Page.Locator("#account-roles")).ToHaveTextAsync("实验室");
        await Expect(Page.Locator("#history")).ToContainTextAsync("roles: Lab");
        await ScreenshotAsync("42-admin-user");
        await SignOutAsync();

        await SignInAsync("coordinator.sun", "Coordinator-Sun-2026");
        (await Page.GotoAsync("/Lab"))!.Status.Should().Be(200);
        (await Page.GotoAsync("/Coordinator"))!.Status.Should().Be(403);
    }

    [Test]
    public async Task ARoleChange_AppliesOnTheUsersNextRequest_AndDisablingSignsThemOut()
    {
        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await AddUserAsync("coordinator.zhou", "周敏 (协调员)", "Coordinator", "Coordinator-Zhou-2026");

        // The user signs in at another desk and works on a coordinator's page.
        var desk = await NewSessionAsync();
        await SignInAsync(desk, "coordinator.zhou", "Coordinator-Zhou-2026");
        await Expect(desk.Locator("h1")).ToContainTextAsync("欢迎");
        (await desk.GotoAsync("/Coordinator"))!.Status.Should().Be(200);

        await Page.GotoAsync("/Admin/User/coordinator.zhou");
        await Page.UncheckAsync("#role-Coordinator");
        await Page.CheckAsync("#role-Lab");
        await Page.ClickAsync("#save-roles");
        await Expect(Page.Locator("#account-roles")).ToHaveTextAsync("实验室");

        // Without signing in again: the next request has the new roles.
        (await desk.GotoAsync("/Coordinator"))!.Status.Should().Be(403);
        (await desk.GotoAsync("/Lab"))!.Status.Should().Be(200);
        await Expect(desk.Locator("nav.menu a[href='/Coordinator']")).ToHaveCountAsync(0);

        await Page.ClickAsync("#disable");
        await Expect(Page.Locator("#account-disabled")).Not.ToHaveTextAsync("—");
        await desk.GotoAsync("/Lab");
        await Expect(desk).ToHaveURLAsync(new Regex("/Account/SignIn"));
    }

    [Test]
    public async Task TheLastAdministrator_CannotLoseTheRole_NorBeDisabled_AndTheLibrarySaysWhy()
    {
        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin/User/" + Demo.Administrator);

        await Page.UncheckAsync("#role-Administrator");
        await Page.CheckAsync("#role-Viewer");
        await Page.ClickAsync("#save-roles");

        await Expect(Page.Locator("#roles-problem")).ToContainTextAsync("是最后一个启用的管理员");
        await Expect(Page.Locator("#account-roles")).ToHaveTextAsync("管理员");

        await Page.ClickAsync("#disable");
        await Expect(Page.Locator("#state-problem")).ToContainTextAsync("是最后一个启用的管理员");
        await Expect(Page.Locator("#account-disabled")).ToHaveTextAsync("—");
        (await Page.GotoAsync("/Admin"))!.Status.Should().Be(200, "the administrator is still one");
    }

    [Test]
    public async Task ALockedOutUser_IsUnlockedByAPasswordReset_AndADisabledOneCannotSignIn()
    {
        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await AddUserAsync("viewer.he", "何敏 (只读)", "Viewer", "Viewer-He-2026-a");
        await SignOutAsync();

        for (var i = 1; i <= 5; i++)
        {
            await SignInAsync("viewer.he", "wrong-" + i);
        }

        await SignInAsync("viewer.he", "Viewer-He-2026-a");
        await Expect(Page.Locator("#sign-in-problem")).ToContainTextAsync("账户已锁定");

        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin");
        await Expect(Page.Locator("#accounts tr[data-user='viewer.he'] td").Nth(4)).Not.ToHaveTextAsync("—");
        await Page.ClickAsync("#accounts a[href='/Admin/User/viewer.he']");
        await Expect(Page.Locator("#history")).ToContainTextAsync("locked until");
        await Page.FillAsync("#Password", "short");
        await Page.FillAsync("#PasswordAgain", "short");
        await Page.ClickAsync("#reset-password");
        await Expect(Page.Locator("#Password-error")).ToContainTextAsync("至少需要 10 个字符");
        await Page.FillAsync("#Password", "Viewer-He-2026-b");
        await Page.FillAsync("#PasswordAgain", "Viewer-He-2026-b");
        await Page.ClickAsync("#reset-password");
        await Expect(Page.Locator("[role=status]")).ToContainTextAsync("已重置 viewer.he 的密码");
        await Expect(Page.Locator("#account-locked")).ToHaveTextAsync("—");
        await Expect(Page.Locator("#history")).ToContainTextAsync("重置密码"); // SetPasswordHash
        (await Page.ContentAsync()).Should().NotContain("Viewer-He-2026-b");
        await SignOutAsync();

        await SignInAsync("viewer.he", "Viewer-He-2026-b");
        await Expect(Page.Locator("h1")).ToContainTextAsync("欢迎");
        await SignOutAsync();

        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin/User/viewer.he");
        await Page.ClickAsync("#disable");
        await Expect(Page.Locator("#account-disabled")).ToHaveTextAsync("已停用");
        await SignOutAsync();
        await SignInAsync("viewer.he", "Viewer-He-2026-b");
        await Expect(Page.Locator("#sign-in-problem")).ToHaveTextAsync("用户名或密码不正确。");

        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin/User/viewer.he");
        await Page.ClickAsync("#enable");
        await Expect(Page.Locator("#account-disabled")).ToHaveTextAsync("—");
        await SignOutAsync();
        await SignInAsync("viewer.he", "Viewer-He-2026-b");
        await Expect(Page.Locator("h1")).ToContainTextAsync("欢迎");
    }

    [TestCase(Demo.Coordinator, Demo.CoordinatorPassword, "/Admin")]
    [TestCase(Demo.Coordinator, Demo.CoordinatorPassword, "/Admin/Add")]
    [TestCase(Demo.Lab, Demo.LabPassword, "/Admin/User/admin.zhao")]
    [TestCase(Demo.Organizer, Demo.OrganizerPassword, "/Admin/AccessLog")]
    [TestCase(Demo.Viewer, Demo.ViewerPassword, "/Admin/AccessLog")]
    public async Task ANonAdministrator_Gets403_OnTheAdminPages(string user, string password, string path)
    {
        await SignInAsync(user, password);
        await Expect(Page.Locator("h1")).ToContainTextAsync("欢迎");

        var response = await Page.GotoAsync(path);

        response!.Status.Should().Be(403);
        await Expect(Page.Locator("#status-title")).ToContainTextAsync("403");
        await Expect(Page.Locator("nav.menu a[href='/Admin']")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task TheAccessLog_ListsACoordinatorsReadOfADonorsPersonalData()
    {
        await SignInAsync(Demo.Coordinator, Demo.CoordinatorPassword);
        (await Page.GotoAsync("/Coordinator/Donor/DR-00000007"))!.Status.Should().Be(200);
        await SignOutAsync();

        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin");
        await Page.ClickAsync("#access-log-link");
        await Expect(Page.Locator("#access-log tbody tr").First).ToBeVisibleAsync();
        await Page.FillAsync("#Actor", Demo.Coordinator);
        await Page.FillAsync("#Donor", "7");
        await Page.ClickAsync("#show-log");

        var rows = Page.Locator("#access-log tbody tr");
        await Expect(rows.First).ToContainTextAsync(Demo.Coordinator);
        await Expect(rows.First).ToContainTextAsync("读取个人信息"); // ReadPersonalData
        await Expect(rows.First).ToContainTextAsync("DR-00000007");
        await Expect(rows.First).ToContainTextAsync("已读取");
        await Expect(rows.First).ToContainTextAsync("在分中心门户的页面上显示"); // the portal's reason, PortalReasons.ShownOnAPage
        await ScreenshotAsync("43-admin-access-log");

        await Page.FillAsync("#Donor", "not-a-donor");
        await Page.ClickAsync("#show-log");
        await Expect(Page.Locator("#Donor-error")).ToContainTextAsync("不是捐献者编号");
    }

    [Test]
    public async Task TheAccessLog_FiltersByPeriod_AndRefusesAReversedOne()
    {
        await SignInAsync(Demo.Coordinator, Demo.CoordinatorPassword);
        (await Page.GotoAsync("/Coordinator/Donor/DR-00000008"))!.Status.Should().Be(200);
        await SignOutAsync();
        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin/AccessLog?From=2000-01-01&To=2099-12-31");
        await Expect(Page.Locator("#access-log tbody tr").First).ToBeVisibleAsync();
        await Page.GotoAsync("/Admin/AccessLog?From=2000-01-01&To=2000-01-02");
        await Expect(Page.Locator("#no-entries")).ToBeVisibleAsync();
        await Page.GotoAsync("/Admin/AccessLog?From=2026-12-31&To=2026-01-01");
        await Expect(Page.Locator("span[data-valmsg-for='To']")).ToContainTextAsync("截止日期早于起始日期");
    }

    [Test]
    public async Task TheAdminPages_SpeakEnglish_AfterTheSwitch()
    {
        await SignInAsync(Demo.Administrator, Demo.AdministratorPassword);
        await Page.GotoAsync("/Admin/Add");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("添加用户");

        await Page.ClickAsync("#switch-language");

        await Expect(Page.Locator("h1")).ToHaveTextAsync("Add a user");
        await Expect(Page.Locator("label[for='PasswordAgain']")).ToHaveTextAsync("Password again");
        await Expect(Page.Locator("#role-Lab + *, label:has(#role-Lab)").First).ToContainTextAsync("Lab");
        await Page.GotoAsync("/Admin/AccessLog");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Access log");
        await Page.GotoAsync("/Admin/User/" + Demo.Administrator);
        await Expect(Page.Locator("#save-roles")).ToHaveTextAsync("Save the roles");
        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("#save-roles")).ToHaveTextAsync("保存角色");
    }
}
