using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>Chinese by default, English one click away, and back.</summary>
public sealed class LanguageTests : BrowserTest
{
    [Test]
    public async Task TheEnglishSwitch_ShowsEnglish_AndTheChineseSwitchBringsChineseBack()
    {
        await Page.GotoAsync("/Account/SignIn");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("登录");

        await Page.ClickAsync("#switch-language");

        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Sign in");
        await ScreenshotAsync("07-sign-in-en");
        await Page.FillAsync("#UserName", Demo.Organizer);
        await Page.FillAsync("#Password", Demo.OrganizerPassword);
        await Page.ClickAsync("#sign-in");
        await Expect(Page.Locator("h1")).ToContainTextAsync("Welcome");
        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        await Expect(Page.Locator("#drive-state")).ToHaveTextAsync("Enrolment open");
        await Expect(Page.Locator("#next-event")).ToContainTextAsync("Enrolment closed");
        await ScreenshotAsync("08-drive-en");

        await Page.ClickAsync("#switch-language");

        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await Expect(Page.Locator("#drive-state")).ToHaveTextAsync("登记中");
    }
}
