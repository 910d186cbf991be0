using System.Globalization;
using System.Text;
using BranchPortal.Forms;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace BranchPortal.Tests.Journeys;

/// <summary>
/// Bulk enrolment from a sheet on the drive page: a sheet with one bad row is refused by row number and enrols nobody,
/// the corrected sheet enrols every row in one go, the same sheet again finds every person already registered, a
/// double submit enrols once, and the files refused as a whole store nothing.
/// </summary>
public sealed class BulkEnrolmentTests : BrowserTest
{
    // Age 45, which the demo's volunteers (18 to 44) never have, and a seed of its own (the organizer journey uses 11).
    private static readonly Volunteers Volunteers = new(seed: 31);

    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

    [Test]
    public async Task ASheetWithOneBadRow_IsRefusedByRowNumber_EnrollingNobody_ThenTheCorrectedSheetEnrolsEveryRow()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        await Expect(Page.Locator("#bulk-header")).ToHaveTextAsync(VolunteerSheet.HeaderLine);
        var before = await EnrolledAsync();
        var volunteers = Enumerable.Range(0, 3).Select(_ => Volunteers.Next(Today, age: 45)).ToList();
        var rows = volunteers.Select(Row).ToList();
        var bad = rows.Select(r => r.ToArray()).ToList();
        bad[1][1] = WrongCheckCharacter(bad[1][1]);

        // Row 3 (the second volunteer) has a bad check character: listed by row and column, nobody enrolled.
        await UploadAsync("volunteers.csv", Encoding.UTF8.GetBytes(VolunteerSheet.Csv([[.. VolunteerSheet.Header], .. bad])));
        await Expect(Page.Locator("#row-problems tbody tr")).ToHaveCountAsync(1);
        await Expect(Page.Locator("#row-problems tr[data-row='3'][data-column='national_id']")).ToContainTextAsync("ISO 7064 MOD 11-2"); // a wrong check character, in the page's language
        await Expect(Page.Locator("#bulk-refused")).ToContainTextAsync("未登记任何人");
        await ScreenshotAsync("30-bulk-enrolment-row-errors");
        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        (await EnrolledAsync()).Should().Be(before, "a sheet with a refused row enrols nobody");
        await ScreenshotAsync("31-bulk-enrolment-form");

        // The corrected sheet, as XLSX this time: every row enrolled in one go.
        await UploadAsync("volunteers.xlsx", VolunteerSheet.Xlsx([[.. VolunteerSheet.Header], .. rows]));
        await Expect(Page.Locator("p.notice.ok")).ToContainTextAsync("已从“volunteers.xlsx”登记 3 名志愿者");
        (await EnrolledAsync()).Should().Be(before + 3);
        foreach (var volunteer in volunteers)
        {
            await Expect(Page.Locator("#CollectDonor")).ToContainTextAsync(volunteer.Personal.FullName);
        }

        // The same sheet again: each person is already in the registry, in the library's words; nobody enrolled twice.
        await UploadAsync("volunteers.xlsx", VolunteerSheet.Xlsx([[.. VolunteerSheet.Header], .. rows]));
        await Expect(Page.Locator("#row-problems tbody tr")).ToHaveCountAsync(3);
        foreach (var row in new[] { 2, 3, 4 })
        {
            await Expect(Page.Locator($"#row-problems tr[data-row='{row}']")).ToContainTextAsync("已登记为捐献者 DR-");
        }

        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        (await EnrolledAsync()).Should().Be(before + 3);
    }

    [Test]
    public async Task AVolunteerTooOld_OrTwiceInTheSheet_IsRefusedOnTheirRow_InTheLibrarysWords_EnrollingNobody()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        var before = await EnrolledAsync();
        var young = Row(Volunteers.Next(Today, age: 45));

        // Twice in the sheet: the second row is refused as a duplicate within the batch.
        await UploadAsync("twice.csv", Encoding.UTF8.GetBytes(VolunteerSheet.Csv([[.. VolunteerSheet.Header], young, young])));
        await Expect(Page.Locator("#row-problems tr[data-row='3'][data-column='national_id']")).ToContainTextAsync("在本批中出现两次");

        // Too old: the form checks pass, the library refuses the batch; its message is put on the row it is about.
        var old = Row(Volunteers.Next(Today, age: 60));
        await UploadAsync("old.csv", Encoding.UTF8.GetBytes(VolunteerSheet.Csv([[.. VolunteerSheet.Header], young, old])));
        await Expect(Page.Locator("#row-problems tbody tr")).ToHaveCountAsync(1);
        await Expect(Page.Locator("#row-problems tr[data-row='3'][data-column='birth_date']")).ToContainTextAsync("年龄 60 岁");

        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        (await EnrolledAsync()).Should().Be(before);
    }

    [Test]
    public async Task TheSameUploadForm_PostedTwice_EnrolsOnce()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync($"/Organizer/Bulk/{Demo.OpenDrive}");
        var volunteers = Enumerable.Range(0, 2).Select(_ => Volunteers.Next(Today, age: 45)).ToList();
        var sheet = Encoding.UTF8.GetBytes(VolunteerSheet.Csv([[.. VolunteerSheet.Header], .. volunteers.Select(Row)]));
        var form = Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", await Page.Locator("#bulk-upload input[name='__RequestVerificationToken']").InputValueAsync());
        form.Set("FormToken", await Page.Locator("#bulk-upload input[name='FormToken']").InputValueAsync());
        form.Set("Sheet", new FilePayload { Name = "volunteers.csv", MimeType = "text/csv", Buffer = sheet });
        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        var before = await EnrolledAsync();

        var once = await Context.APIRequest.PostAsync($"/Organizer/Bulk/{Demo.OpenDrive}", new APIRequestContextOptions { Multipart = form, MaxRedirects = 0 });
        var twice = await Context.APIRequest.PostAsync($"/Organizer/Bulk/{Demo.OpenDrive}", new APIRequestContextOptions { Multipart = form, MaxRedirects = 0 });

        once.Status.Should().Be(302);
        twice.Status.Should().Be(302);
        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        await Expect(Page.Locator("p.notice.error")).ToContainTextAsync("已提交过");
        (await EnrolledAsync()).Should().Be(before + 2);
    }

    [Test]
    public async Task ASheetTooLarge_OfTheWrongType_NotUtf8_WithAFormula_OrTwoSheets_Empty_OrWithABadHeader_IsRefusedBesideTheFile_AndEnrolsNobody()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        var before = await EnrolledAsync();
        var good = VolunteerSheet.Csv([[.. VolunteerSheet.Header], Row(Volunteers.Next(Today, age: 45))]);
        var large = new byte[3 * 1024 * 1024];
        Encoding.UTF8.GetBytes(good).CopyTo(large, 0);
        Array.Fill(large, (byte)'\n', Encoding.UTF8.GetByteCount(good), large.Length - Encoding.UTF8.GetByteCount(good));
        var gbk = Encoding.UTF8.GetBytes(VolunteerSheet.HeaderLine + "\n").Concat(new byte[] { 0xCD, 0xF5, 0xB7, 0xBC, (byte)'\n' }).ToArray(); // 王芳 in GBK
        using var twoSheets = new MemoryStream();
        var one = new[] { VolunteerSheet.Header.Select((h, i) => (Key: ((char)('A' + i)).ToString(), Value: (object?)h)).ToDictionary(p => p.Key, p => p.Value) };
        MiniExcelLibs.MiniExcel.SaveAs(twoSheets, new Dictionary<string, object> { ["a"] = one, ["b"] = one }, printHeader: false, excelType: MiniExcelLibs.ExcelType.XLSX);
        var cases = new (string Name, byte[] Bytes, string Message)[]
        {
            ("big.csv", large, "文件过大"),
            ("volunteers.txt", Encoding.UTF8.GetBytes(good), "不是 CSV 或 XLSX 文件"),
            ("gbk.csv", gbk, "不是 UTF-8 编码"),
            ("formula.xlsx", Units.VolunteerSheetTests.WithFormula(VolunteerSheet.XlsxTemplate()), "含有公式"),
            ("two.xlsx", twoSheets.ToArray(), "有多个工作表"),
            ("empty.csv", Encoding.UTF8.GetBytes(VolunteerSheet.HeaderLine + "\n"), "没有志愿者"),
            ("header.csv", Encoding.UTF8.GetBytes("姓名,身份证\n王芳,110105199001011228\n"), "标题行不符"),
        };
        foreach (var (name, bytes, message) in cases)
        {
            await Page.GotoAsync($"/Organizer/Bulk/{Demo.OpenDrive}");
            await UploadAsync(name, bytes);
            await Expect(Page.Locator("span[data-valmsg-for='Sheet']")).ToContainTextAsync(message);
            await Expect(Page.Locator("#row-problems")).ToHaveCountAsync(0);
        }

        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        (await EnrolledAsync()).Should().Be(before);
    }

    [Test]
    public async Task TheTemplates_AreOffered_AsCsvAndXlsx_WithTheHeader()
    {
        await SignInAsync(Demo.Organizer, Demo.OrganizerPassword);
        await Page.GotoAsync($"/Organizer/Drive/{Demo.OpenDrive}");
        foreach (var (link, name) in new[] { ("#template-csv", "volunteers.csv"), ("#template-xlsx", "volunteers.xlsx") })
        {
            var href = await Page.Locator(link).GetAttributeAsync("href");
            var response = await Context.APIRequest.GetAsync(href!);
            response.Status.Should().Be(200);
            var reading = VolunteerSheet.Read(name, await response.BodyAsync());
            reading.Refusal.Should().BeNull();
            reading.Rows.Should().ContainSingle();
        }
    }

    private static string[] Row(EnrolmentRequest volunteer)
    {
        var p = volunteer.Personal;
        var contact = p.EmergencyContacts[0];
        return
        [
            p.FullName, p.NationalId, volunteer.Profile.Sex.ToString(), volunteer.Profile.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            p.Phone, p.Address, volunteer.Profile.Abo.ToString(), volunteer.Profile.Rh.ToString(), volunteer.Profile.Cmv.ToString(),
            contact.Name, contact.Relationship, contact.Phone,
        ];
    }

    private async Task UploadAsync(string name, byte[] bytes)
    {
        await Page.SetInputFilesAsync("#Sheet", new FilePayload { Name = name, MimeType = "application/octet-stream", Buffer = bytes });
        await Page.ClickAsync("#upload-sheet");
    }

    private async Task<int> EnrolledAsync()
    {
        var text = await Page.Locator("#funnel-enrolled").InnerTextAsync();
        return int.Parse(text.Split('/')[0].Trim(), CultureInfo.InvariantCulture);
    }

    private static string WrongCheckCharacter(string id) => id[..17] + (id[17] == '0' ? '1' : '0');
}
