using System.Text;
using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>What every verb does with text and days: control characters and lone surrogates refused, NFC stored, far days refused with the range, short messages.</summary>
public sealed class GuardTests
{
    private const string By = "organizer.wang";
    private const string Decomposed = "Zoe\u0301 王"; // e + combining acute
    private const string Composed = "Zo\u00e9 王";
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private static DrivePlan Plan(DateOnly day, string name = "北大招募") => new(new DriveId("PKU-2026-12"), name, DriveKind.Campus, "红会", "北大", day, day, 100);

    [TestCase("王{0}芳", 0xD800, "lone surrogate U+D800")]
    [TestCase("王芳{0}", 0xDC00, "lone surrogate U+DC00")]
    public void AName_WithALoneSurrogate_IsRefusedNamingIt(string format, int surrogate, string problem) =>
        AName_WithAControlCharacterOrALoneSurrogate_IsRefusedNamingItAndStoresNothing(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, (char)surrogate), problem); // attributes cannot carry a lone surrogate

    [TestCase(0xFFFE, "noncharacter U+FFFE")]
    [TestCase(0xFFFF, "noncharacter U+FFFF")]
    [TestCase(0xFDD0, "noncharacter U+FDD0")]
    [TestCase(0x1FFFE, "noncharacter U+1FFFE")]
    public void AName_WithANoncharacter_IsRefusedNamingIt(int codePoint, string problem) =>
        AName_WithAControlCharacterOrALoneSurrogate_IsRefusedNamingItAndStoresNothing("王" + char.ConvertFromUtf32(codePoint) + "芳", problem); // U+FFFE made the runtime's normalization throw ArgumentException

    [Test]
    public void AVisitNote_WithANoncharacter_IsRefusedWithTheLibrarysException()
    {
        var act = () => Guard.Text("鲜花\uFFFE", "notes");

        act.Should().Throw<RegistryValidationException>().Which.Problem.Should().Contain("noncharacter U+FFFE");
    }

    [TestCase("王\0芳", "U+0000")]
    [TestCase("王\u001b[31m芳", "U+001B")]
    [TestCase("王\u0085芳", "U+0085")]
    [TestCase("王\n芳", "U+000A")]
    public void AName_WithAControlCharacterOrALoneSurrogate_IsRefusedNamingItAndStoresNothing(string name, string problem)
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var bad = request with { Personal = request.Personal with { FullName = name } };

        var act = () => _fx.Donors.Enrol(bad, By);

        act.Should().Throw<RegistryValidationException>().Which.Should().Match<RegistryValidationException>(e => e.Field == "FullName" && e.Problem.Contains(problem));
        _fx.Donors.Count().Should().Be(0);
    }

    [Test]
    public void ASurrogatePair_IsAName()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var donor = _fx.Donors.Enrol(request with { Personal = request.Personal with { FullName = "王𠀀" } }, By);

        _fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").FullName.Should().Be("王𠀀");
    }

    [Test]
    public void ControlCharacters_AreRefusedInEveryKindOfText()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var acts = new Action[]
        {
            () => _fx.Donors.Defer(donor.Id, _fx.Today.AddDays(5), "出国\u0007", By),
            () => _fx.Donors.Defer(donor.Id, _fx.Today.AddDays(5), "出国", "by\u0000"),
            () => _fx.Registry.Drives.Plan(Plan(_fx.Today, "北大\u001b招募"), By),
            () => _fx.Registry.Drives.RecordLecture(null, "北大\u009b", _fx.Today, 10, "李老师", By),
            () => _fx.Donors.Remove(donor.Id, RemovalReason.Moved, "搬\ud83d家", By),
        };

        foreach (var act in acts)
        {
            act.Should().Throw<RegistryValidationException>().Which.Problem.Should().MatchRegex("control character|lone surrogate");
        }

        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Available);
        _fx.Registry.Drives.FindAll().Should().BeEmpty();
        _fx.Registry.Drives.FindLectures(_fx.Today.AddDays(-1), _fx.Today).Should().BeEmpty();
    }

    [Test]
    public void Text_IsStoredInNfc()
    {
        var request = _fx.Volunteers.Next(_fx.Today);
        var donor = _fx.Donors.Enrol(request with { Personal = request.Personal with { FullName = Decomposed, Address = "北京 " + Decomposed } }, By);
        var drive = _fx.Registry.Drives.Plan(Plan(_fx.Today, Decomposed), By);
        var deferred = _fx.Donors.Defer(_fx.Donors.List(_fx.DonorIn(DonorState.Typed).Id, By).Id, _fx.Today.AddDays(3), Decomposed, Decomposed);

        _fx.Donors.GetPersonalData(donor.Id, "coordinator.li", "read back in a test").Should().Match<PersonalData>(p => p.FullName == Composed && p.Address == "北京 " + Composed);
        _fx.Registry.Drives.Get(drive.Id).Plan.Name.Should().Be(Composed);
        _fx.Donors.GetHistory(deferred.Id)[^1].Should().Match<DonorRegistry.Audit.AuditRecord>(a => a.Actor == Composed && a.Reason!.EndsWith(Composed, StringComparison.Ordinal));
    }

    [Test]
    public void Defer_ToTheLastDayThereIs_IsRefusedWithTheAllowedRange()
    {
        var donor = _fx.DonorIn(DonorState.Available);

        var act = () => _fx.Donors.Defer(donor.Id, DateOnly.MaxValue, "出国", By);

        act.Should().Throw<RegistryValidationException>().WithMessage("until '9999-12-31' is outside 2026-11-29 to 2036-11-29*");
    }

    [Test]
    public void FarDays_AreRefusedWithTheAllowedRange_NeverAnOverflow()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var acts = new (Action Act, string Range)[]
        {
            (() => _fx.Registry.Drives.Plan(Plan(DateOnly.MaxValue), By), "*outside 1900-01-01 to 2036-11-29*"),
            (() => _fx.Registry.Drives.Plan(Plan(DateOnly.MinValue), By), "*outside 1900-01-01 to 2036-11-29*"),
            (() => _fx.Registry.Drives.FindLectures(DateOnly.MinValue, DateOnly.MaxValue), "*outside 1900-01-01 to 2199-12-31*"),
            (() => _fx.Registry.Care.FindCollectedBetween(_fx.Today, DateOnly.MaxValue), "*outside 1900-01-01 to 2199-12-31*"),
            (() => _fx.Registry.Drives.RecordLecture(null, "北大", DateOnly.MinValue, 10, "李老师", By), "*outside 1900-01-01 to 2026-11-29*"),
            (() => _fx.Registry.Care.Recognise(donor.Id, RecognitionKind.Certificate, "证书", DateOnly.MinValue, By), "*outside 1900-01-01 to 2026-11-29*"),
            (() => _ = new DonorRegistry.Reporting.ReportPeriod(DateOnly.MinValue, _fx.Today), "*outside 1900-01-01 to 2199-12-31*"),
        };

        foreach (var (act, range) in acts)
        {
            act.Should().Throw<RegistryValidationException>().WithMessage(range);
        }
    }

    [Test]
    public void AOneMegabyteBarcode_IsQuotedByItsFirst40Characters()
    {
        var barcode = new string('9', 1024 * 1024);

        var act = () => _fx.Registry.Samples.Get(barcode);
        var collect = () => _fx.Registry.Samples.Collect(_fx.Enrol().Id, barcode, SampleKind.BloodEdta, By);

        act.Should().Throw<DonorRegistryException>().Which.Message.Length.Should().BeLessThan(200);
        collect.Should().Throw<RegistryValidationException>().Which.Should().Match<RegistryValidationException>(e => e.Message.Length < 200 && e.Value!.Length == 41 && e.Value.EndsWith('…'));
    }

    [Test]
    public void AControlCharacterInAValue_IsEscapedInTheMessage()
    {
        var act = () => _fx.Registry.Samples.Collect(_fx.Enrol().Id, "T-\u001b[2J", SampleKind.BloodEdta, By);

        act.Should().Throw<RegistryValidationException>().Which.Message.Should().Contain("T-\\u001B[2J").And.NotContain("\u001b");
    }

    [TestCase("13812345678x")]
    [TestCase("138 1234 5678 1234 5678 1234 5678 1234")]
    public void ABadPhoneNumber_IsMaskedInTheMessage(string phone)
    {
        var request = _fx.Volunteers.Next(_fx.Today);

        var act = () => _fx.Donors.Enrol(request with { Personal = request.Personal with { Phone = phone } }, By);

        var e = act.Should().Throw<RegistryValidationException>().Which;
        e.Message.Should().NotContain(phone[..8]);
        e.Value.Should().EndWith(phone[^4..]).And.StartWith("****");
    }

    [Test]
    public void Import_FromAFolderThatDoesNotExist_IsATypingImportException()
    {
        var act = () => _fx.Registry.Samples.ImportTypingResults(Path.Combine(_fx.Folder, "no-such-folder", "results.csv"), "实验室", _fx.Today, By);
        var missing = () => _fx.Registry.Samples.ImportTypingResults(Path.Combine(_fx.Folder, "results.csv"), "实验室", _fx.Today, By);
        var folder = () => _fx.Registry.Samples.ImportTypingResults(_fx.Folder, "实验室", _fx.Today, By);

        act.Should().Throw<TypingImportException>().WithMessage("*folder*does not exist*");
        missing.Should().Throw<TypingImportException>().WithMessage("*no such file*");
        folder.Should().Throw<TypingImportException>().WithMessage("*is a folder*");
    }

    [Test]
    public void Prefix_NeverCutsASurrogatePairInTwo()
    {
        var value = new string('a', 39) + "𠀀tail";

        Guard.Prefix(value).Should().Be(new string('a', 39) + "…");
        Guard.Prefix(new string('b', 40)).Should().Be(new string('b', 40));
        Encoding.UTF8.GetBytes(Guard.Prefix(value)!).Should().NotBeEmpty();
    }
}
