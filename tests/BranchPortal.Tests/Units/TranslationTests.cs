using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BranchPortal.Forms;
using BranchPortal.Tests.Journeys;
using DonorRegistry;
using DonorRegistry.Access;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.Persistence;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace BranchPortal.Tests.Units;

/// <summary>
/// What the library says without a language, said by the portal in Chinese and English: the workflow's notices and log
/// entries (<see cref="LogText"/>), a refused lifecycle step's states and steps, and a typing file refused as a whole.
/// </summary>
public sealed partial class TranslationTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
    private static readonly IStringLocalizer T = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance).Create(typeof(SharedResource));
    private CultureInfo _before = null!;

    [SetUp]
    public void Chinese()
    {
        _before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
    }

    [TearDown]
    public void Restore() => CultureInfo.CurrentUICulture = _before;

    private static Dictionary<string, string> Strings(string file) =>
        XDocument.Load(Path.Combine(PortalServer.RepositoryRoot(), "samples", "BranchPortal", "Resources", file))
            .Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);

    private static void English() => CultureInfo.CurrentUICulture = new CultureInfo("en");

    private static StepRun Run(LogCode code, string? detail, params (string Name, string Value)[] arguments) =>
        new(1, "CUC-2026-AUT", "wf-1", "Close drive", At, At, StepOutcome.Notice, detail) { Code = code, Arguments = arguments.ToDictionary(a => a.Name, a => a.Value) };

    [Test]
    public void EveryLogCode_HasAChineseAndAnEnglishText_AndNoneIsLeftForACodeThatIsGone()
    {
        var chinese = Strings("SharedResource.resx");
        var english = Strings("SharedResource.en.resx");
        var codes = Enum.GetValues<LogCode>().Where(c => c != LogCode.Unspecified).ToList();

        codes.Should().Contain([LogCode.ShippingReminder, LogCode.ShipmentOverdue, LogCode.DriveClosed]);
        codes.Select(LogText.Key).Should().OnlyContain(k => chinese.ContainsKey(k) && english.ContainsKey(k));
        chinese.Keys.Where(k => k.StartsWith("LogCode.", StringComparison.Ordinal)).Should().HaveCount(codes.Count);
    }

    [Test]
    public void EveryStateAndStepOfTheLifecycles_AndEveryKindOfRecord_HasAChineseAndAnEnglishName()
    {
        var chinese = Strings("SharedResource.resx");
        var english = Strings("SharedResource.en.resx");
        var (donorStates, donorSteps) = LibraryErrors.TransitionKeys(AggregateKind.Donor);
        var (sampleStates, sampleSteps) = LibraryErrors.TransitionKeys(AggregateKind.Sample);
        var (caseStates, caseSteps) = LibraryErrors.TransitionKeys(AggregateKind.Case);
        var (driveStates, driveSteps) = LibraryErrors.TransitionKeys(AggregateKind.Drive);
        var keys = Enum.GetNames<AggregateKind>().Select(k => "AggregateKind." + k)
            .Concat(Enum.GetNames<DonorState>().Select(n => donorStates + n)).Concat(Enum.GetNames<DonorTrigger>().Select(n => donorSteps + n))
            .Concat(Enum.GetNames<SampleState>().Select(n => sampleStates + n)).Concat(Enum.GetNames<SampleTrigger>().Select(n => sampleSteps + n))
            .Concat(Enum.GetNames<CaseState>().Select(n => caseStates + n)).Concat(Enum.GetNames<CaseTrigger>().Select(n => caseSteps + n))
            .Concat(Enum.GetNames<DriveState>().Select(n => driveStates + n)).Concat(Enum.GetNames<DriveTrigger>().Select(n => driveSteps + n))
            .Concat(DriveActionsOutsideTheLifecycle().Select(n => driveSteps + n))
            .ToList();

        keys.Where(k => !chinese.ContainsKey(k) || !english.ContainsKey(k)).Should().BeEmpty("a state or step added to the library needs its Chinese and English name");
    }

    /// <summary>The actions DriveOperations refuses by name outside the lifecycle's triggers ("RecordLecture", "Enrol"), read from its source.</summary>
    private static List<string> DriveActionsOutsideTheLifecycle()
    {
        var source = File.ReadAllText(Path.Combine(PortalServer.RepositoryRoot(), "src", "DonorRegistry", "Drives", "DriveOperations.cs"));
        var actions = DriveAction().Matches(source).Select(m => m.Groups[1].Value).Distinct().ToList();
        actions.Should().Contain(["RecordLecture", "Enrol"], "the source is read");
        return actions;
    }

    [GeneratedRegex("new InvalidDriveTransitionException\\([^,]+, [^,]+, \"(\\w+)\"")]
    private static partial Regex DriveAction();

    [Test]
    public void TheDrivesNotices_AreShownInChinese_FromTheirCodes_AndInEnglishAsTheLibraryWroteThem()
    {
        var reminder = Run(LogCode.ShippingReminder, "Reminder: 10 sample(s) collected at drive BISU-2026-AUT are not shipped 3.00:00:00 after enrolment closed; dispatch them to 中华骨髓库 HLA 实验室.", ("count", "10"), ("drive", "BISU-2026-AUT"), ("within", "3.00:00:00"), ("lab", "中华骨髓库 HLA 实验室"));
        var overdue = Run(LogCode.ShipmentOverdue, "Overdue: ...", ("shipment", "SHP-00000001"), ("count", "12"), ("within", "21.00:00:00"), ("barcodes", "CUC26-0001,CUC26-0002"), ("states", "Shipped,Received"), ("more", "10"));
        var closed = Run(LogCode.DriveClosed, "Drive CUC-2026-AUT closed: 1 lecture(s), 160 attendee(s), 24 enrolled, 24 sample(s) from 24 donor(s) (0 rejected), 24 typed, 24 listed.", ("drive", "CUC-2026-AUT"), ("lectures", "1"), ("attendees", "160"), ("enrolled", "24"), ("samples", "24"), ("donorsSampled", "24"), ("samplesRejected", "0"), ("donorsTyped", "24"), ("donorsListed", "24"));

        LogText.Detail(T, reminder).Should().Be("提醒：活动 BISU-2026-AUT 已采集的 10 份样本在登记关闭 3 天后仍未寄出，请寄往中华骨髓库 HLA 实验室。");
        LogText.Detail(T, overdue).Should().Be("逾期：寄送批次 SHP-00000001 有 12 份样本在寄出 21 天后仍无分型结果（CUC26-0001 已寄出、CUC26-0002 实验室已接收、等）。");
        LogText.Detail(T, closed).Should().Be("活动 CUC-2026-AUT 已结束：讲座 1 场，听众 160 人，登记 24 人，来自 24 人的样本 24 份（拒收 0 份），分型 24 人，入库 24 人。");

        English();
        LogText.Detail(T, closed).Should().Be(closed.Detail, "the English words are the library's");
        LogText.Detail(T, reminder).Should().Be("Reminder: 10 sample(s) collected at drive BISU-2026-AUT are not shipped 3 day(s) after enrolment closed; dispatch them to 中华骨髓库 HLA 实验室.");
    }

    [Test]
    public void AStepRunsDetail_IsShownInChinese_AndAFailedStepKeepsTheLibrarysOwnMessage()
    {
        var waiting = Run(LogCode.WaitingForEvent, "EnrolmentOpened for UIBE-2026-AUT", ("event", "EnrolmentOpened"), ("key", "UIBE-2026-AUT"));
        var sleeping = Run(LogCode.SleepingFor, "for 3.00:00:00", ("for", "3.00:00:00"));
        var later = Run(LogCode.RunsAgainLater, "runs again later");
        var failed = Run(LogCode.StepFailed, "TimeoutException: The registry did not answer.", ("error", "TimeoutException"));

        LogText.Detail(T, waiting).Should().Be("等待“开放登记”（UIBE-2026-AUT）");
        LogText.Detail(T, sleeping).Should().Be("等待 3 天");
        LogText.Detail(T, later).Should().Be("稍后再次运行");
        LogText.Detail(T, failed).Should().Be("出错（TimeoutException），将自动重试；原文：The registry did not answer.");
        LogText.Duration(T, "01:30:00").Should().Be("90 分钟");
        LogText.Duration(T, "00:00:01.5000000").Should().Be("00:00:01.5000000", "a duration that is no whole minute is shown as the library wrote it");
    }

    [Test]
    public void AnEntryWrittenBeforeCodes_OrWithACodeThePortalDoesNotKnow_KeepsItsEnglishText()
    {
        LogText.Detail(T, Run(LogCode.Unspecified, "Drive CUC-2026-AUT closed: 24 listed.")).Should().Be("Drive CUC-2026-AUT closed: 24 listed.");
        LogText.Detail(T, Run((LogCode)999, "from a later library", ("x", "1"))).Should().Be("from a later library");
        LogText.Detail(T, Run(LogCode.Unspecified, null)).Should().BeEmpty();
    }

    [Test]
    public void ARefusedLifecycleStep_NamesTheRecordItsStateAndTheSteps_InChinese()
    {
        var sample = new InvalidSampleTransitionException("CUC26-0001", SampleState.Typed, SampleTrigger.Ship, []);
        var drive = new InvalidDriveTransitionException(new DriveId("CUC-2026-AUT"), DriveState.Closed, "RecordLecture", [], "lectures are recorded while the drive is planned, open or awaiting results");
        var donor = new InvalidDonorTransitionException(new DonorId(12), DonorState.Enrolled, DonorTrigger.List, [DonorTrigger.ScreenOut, DonorTrigger.CollectSample], []);
        var @case = new InvalidCaseTransitionException(new CaseReference("CASE-2026-0001"), CaseState.Closed, CaseTrigger.Select, []);

        LibraryErrors.Message(T, sample).Should().Be("样本 CUC26-0001 当前为“已分型”状态，不能执行“寄出”。现在可执行：无（记录已结束）。");
        LibraryErrors.Message(T, drive).Should().Be("招募活动 CUC-2026-AUT 当前为“已结束”状态，不能执行“记录知识讲座”。现在可执行：无（记录已结束）。");
        LibraryErrors.Message(T, donor).Should().Be($"捐献者 {new DonorId(12)} 当前为“{T["DonorState.Enrolled"]}”状态，不能执行“入库”。现在可执行：筛除、采样。");
        LibraryErrors.Message(T, @case).Should().Contain("配型病例 CASE-2026-0001 当前为“").And.Contain("不能执行“选定捐献者”");
        LibraryErrors.Message(T, sample).Should().NotMatchRegex("[A-Za-z]{4,}(?<!CUC)", "no English word is left in it");

        English();
        LibraryErrors.Message(T, sample).Should().Be("Sample CUC26-0001 is Typed; 'Ship' is not possible now. Possible now: nothing (the record is done).");
    }

    [Test]
    public void OtherRefusalsThatReachAPage_AreSaidInChinese_ByTheirType()
    {
        var workflow = new DonorRegistry.Workflows.CampusDrive.DriveWorkflowException(new DriveId("BISU-2026-AUT"), "Drive BISU-2026-AUT is EnrolmentClosed; samples are collected while its enrolment is open.");
        var storage = new RegistryStorageException("/srv/registry/registry.db", new IOException("No space left on device"));
        var erased = new PersonalDataErasedException(new DonorId(7));

        LibraryErrors.Message(T, workflow).Should().StartWith("招募活动 BISU-2026-AUT 的工作流现在不接受这一操作");
        LibraryErrors.Message(T, storage).Should().Be("登记库暂时无法读写，本次操作未完成；请稍后重试，如仍出现请将出现的时间告知系统管理员。", "the path and the disk's words are for the operator");
        LibraryErrors.Message(T, erased).Should().Be($"捐献者 {new DonorId(7)} 已退出，个人信息已删除，无法再处理其个人信息。");
        LibraryErrors.Message(T, new TimeoutException("The workflow did not confirm OpenEnrolment within 00:00:10.")).Should().StartWith("工作流没有及时确认这一操作");

        English();
        LibraryErrors.Message(T, workflow).Should().StartWith("Drive BISU-2026-AUT's workflow does not take this now");
    }

    [Test]
    public void ATypingFileTheLibraryCannotReadAtAll_IsRefusedInChinese_NamingTheFile()
    {
        using var temp = new TempRegistry(new FakeTimeProvider(At), o => o.MaxTypingFileBytes = 64 * 1024);
        var lab = Actor.For("lab.chen", Role.Lab);
        string Refusal(byte[] bytes)
        {
            var act = () => temp.Registry.Samples.ImportTypingResults(new MemoryStream(bytes), "中华骨髓库 HLA 实验室", new DateOnly(2026, 12, 7), lab, "results.csv");
            var refusal = act.Should().Throw<TypingImportException>().Which;
            refusal.Code.Should().NotBe(ValidationCode.Unspecified, refusal.Message);
            return LibraryErrors.Message(T, refusal);
        }

        Refusal([]).Should().Be("“results.csv”是空文件：请写标题行，并在其下每管一行。未导入任何内容。");
        Refusal(Encoding.UTF8.GetBytes("Barcode,TypedOn,HLA-A,HLA-B,HLA-C,HLA-DRB1,HLA-DQB1\n")).Should().StartWith("“results.csv”只有标题行，没有数据行");
        Refusal(Encoding.UTF8.GetBytes("Tube,HLA-A,HLA-B,HLA-C\nX,A*01:01,B*07:02,C*07:02\n")).Should().StartWith("“results.csv”的标题行（Tube,HLA-A,HLA-B,HLA-C）缺少列：HLA-DRB1。");
        Refusal(Encoding.UTF8.GetBytes("Name,HLA-A\nX,A*01:01\n")).Should().StartWith("“results.csv”的标题行（Name,HLA-A）缺少列：Barcode。");
        Refusal(Encoding.UTF8.GetBytes("Barcode,Barcode,HLA-A\nX,Y,A*01:01\n")).Should().StartWith("“results.csv”的标题行中“Barcode”列出现了两次");
        Refusal([.. Encoding.UTF8.GetBytes("Barcode,HLA-A\n"), 0xC4, 0xE3, 0xBA, 0xC3, (byte)'\n']).Should().StartWith("“results.csv”不是 UTF-8 编码（第 2 行");
        Refusal(Encoding.UTF8.GetBytes("Barcode,HLA-A\n" + new string('1', 70 * 1024) + "\n")).Should().Be("“results.csv”过大（上限 65536 字节）：请分成较小的文件上传。未导入任何内容。");

        English();
        Refusal([]).Should().Be("'results.csv' is empty: give a header row and one row per sample under it. Nothing was imported.");
    }

    [Test]
    public void EveryWholeFileRefusalTheLibraryCodes_HasAChineseAndAnEnglishMessage()
    {
        // The (part, code) pairs as TypingResultsFile.cs throws them: one added without a translation fails here.
        var source = File.ReadAllText(Path.Combine(PortalServer.RepositoryRoot(), "src", "DonorRegistry", "Samples", "TypingResultsFile.cs"));
        var pairs = CodedRefusal().Matches(source)
            .SelectMany(m => Quoted().Matches(m.Groups[2].Value).Select(q => LibraryErrors.TypingFileKey(q.Groups[1].Value, Enum.Parse<ValidationCode>(m.Groups[1].Value))))
            .Distinct().ToList();
        var chinese = Strings("SharedResource.resx");
        var english = Strings("SharedResource.en.resx");

        pairs.Should().Contain(["TypingFile.File.Required", "TypingFile.Rows.Required", "TypingFile.Header.Required", "TypingFile.Rows.TooLong", "TypingFile.Line.BadFormat", "TypingFile.Encoding.BadFormat"], "the source is read");
        pairs.Should().OnlyContain(k => chinese.ContainsKey(k) && english.ContainsKey(k));
        chinese.Keys.Where(k => k.StartsWith("TypingFile.", StringComparison.Ordinal)).Should().BeSubsetOf(pairs, "no message is left for a refusal that is gone");
    }

    [GeneratedRegex(@"ValidationCode\.(\w+), ((?:[^,""]|""[^""]*"")+),?")]
    private static partial Regex CodedRefusal();

    [GeneratedRegex("\"(\\w+)\"")]
    private static partial Regex Quoted();
}
