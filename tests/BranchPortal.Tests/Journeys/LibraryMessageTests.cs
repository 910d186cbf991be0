using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>The library's validation messages beside their fields in the page's language: translated by their code.</summary>
public sealed class LibraryMessageTests : BrowserTest
{
    private static readonly Volunteers Volunteers = new(seed: 23);

    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

    [Test]
    public async Task AVolunteerTooOld_IsRefusedBesideTheBirthDate_InChinese_AndInEnglishOnTheEnglishPage()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        var old = Volunteers.Next(Today, age: 70);

        await Page.GotoAsync($"/Organizer/Enrol/{Demo.OpenDrive}");
        await FillAsync(old);
        await Page.ClickAsync("#enrol-volunteer");
        var birthDate = Page.Locator("span[data-valmsg-for='BirthDate']");
        await Expect(birthDate).ToContainTextAsync("年龄 70 岁，志愿者入库年龄须为 18 至");
        await Expect(birthDate).Not.ToContainTextAsync("volunteers");
        await Expect(Page.Locator("span[data-valmsg-for='FullName']")).ToBeEmptyAsync();
        await ScreenshotAsync("30-enrol-library-message-zh");

        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Page.GotoAsync($"/Organizer/Enrol/{Demo.OpenDrive}");
        await FillAsync(old);
        await Page.ClickAsync("#enrol-volunteer");
        await Expect(Page.Locator("span[data-valmsg-for='BirthDate']")).ToContainTextAsync("the volunteer is 70; volunteers join from age 18 to");
    }

    [Test]
    public async Task ABadLineOfATypingUpload_IsListedInChinese_AndInEnglishOnTheEnglishPage()
    {
        await SignInAsync(Demo.Lab, Demo.LabPassword);
        var typing = Volunteers.Typing(Today);
        var csv = System.Text.Encoding.UTF8.GetBytes(LabResults.Csv([("NO SUCH TUBE", typing), ("NOSUCH-0001", typing)]));

        await UploadAsync(csv);
        await Expect(Page.Locator("#import-errors tr[data-line='2']")).ToContainTextAsync("条码“NO SUCH TUBE”格式不正确");
        await Expect(Page.Locator("#import-errors tr[data-line='3']")).ToContainTextAsync("条码“NOSUCH-0001”在库中不存在");
        await ScreenshotAsync("31-results-library-message-zh");

        await Page.ClickAsync("#switch-language");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await UploadAsync(csv);
        await Expect(Page.Locator("#import-errors tr[data-line='2']")).ToContainTextAsync("Barcode 'NO SUCH TUBE' is not in the expected form");
        await Expect(Page.Locator("#import-errors tr[data-line='3']")).ToContainTextAsync("Barcode 'NOSUCH-0001' is not in the registry");
    }

    private async Task UploadAsync(byte[] csv)
    {
        await Page.GotoAsync("/Lab/Results");
        await Page.SelectOptionAsync("#Drive", BranchPortal.Pages.Lab.ResultsModel.NoDrive);
        await Page.SetInputFilesAsync("#Upload", new FilePayload { Name = "results.csv", MimeType = "text/csv", Buffer = csv });
        await Page.ClickAsync("#import");
    }

    private async Task FillAsync(EnrolmentRequest volunteer)
    {
        var p = volunteer.Personal;
        await Page.FillAsync("#FullName", p.FullName);
        await Page.FillAsync("#NationalId", p.NationalId);
        await Page.SelectOptionAsync("#Sex", volunteer.Profile.Sex.ToString());
        await Page.FillAsync("#BirthDate", volunteer.Profile.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Page.FillAsync("#Phone", p.Phone);
        await Page.FillAsync("#Address", p.Address);
        var contact = p.EmergencyContacts[0];
        await Page.FillAsync("#ContactName", contact.Name);
        await Page.FillAsync("#ContactRelationship", contact.Relationship);
        await Page.FillAsync("#ContactPhone", contact.Phone);
    }
}
