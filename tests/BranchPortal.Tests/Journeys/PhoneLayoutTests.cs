using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>The pages on a phone-sized screen: nothing wider than the screen but the tables, which scroll in their own box.</summary>
public sealed class PhoneLayoutTests : BrowserTest
{
    [TestCase("/Organizer", "09-phone-drives")]
    [TestCase("/Organizer/Drive/CUC-2026-AUT", "10-phone-drive")]
    [TestCase("/Organizer/Enrol/" + Demo.OpenDrive, "11-phone-enrol")]
    public async Task AnOrganizerPage_OnAPhone_NeedsNoSidewaysScrolling(string path, string screenshot)
    {
        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);

        await Page.GotoAsync(path);

        await Expect(Page.Locator("h1")).Not.ToBeEmptyAsync();
        var width = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        width.Should().BeLessThanOrEqualTo(390);
        await ScreenshotAsync(screenshot);
    }

    [TestCase(Demo.Lab, Demo.LabPassword, "/Lab/Results", "26-phone-results")]
    [TestCase(Demo.Coordinator, Demo.CoordinatorPassword, "/Coordinator/Donor/DR-00000003", "27-phone-donor")]
    [TestCase(Demo.Coordinator, Demo.CoordinatorPassword, "/Coordinator/Search", "28-phone-search")]
    [TestCase(Demo.Coordinator, Demo.CoordinatorPassword, "/Reports", "29-phone-reports")]
    public async Task TheOtherRolesPages_OnAPhone_NeedNoSidewaysScrolling(string user, string password, string path, string screenshot)
    {
        await Page.SetViewportSizeAsync(390, 844);
        await SignInAsync(user, password);

        await Page.GotoAsync(path);

        await Expect(Page.Locator("h1")).Not.ToBeEmptyAsync();
        var width = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        width.Should().BeLessThanOrEqualTo(390);
        await ScreenshotAsync(screenshot);
    }
}
