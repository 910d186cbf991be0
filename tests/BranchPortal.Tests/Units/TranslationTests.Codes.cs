using System.Globalization;
using System.Text.RegularExpressions;
using BranchPortal.Forms;
using BranchPortal.Tests.Journeys;
using DonorRegistry;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Workflows.CampusDrive;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace BranchPortal.Tests.Units;

/// <summary>
/// The second pass of issue 11: a drive workflow's refusal by its code, the unmet guards of a refused or greyed-out
/// step, the reasons the library writes on audit records and the access log, the access log's actions and a user
/// account's history steps, each in Chinese and English; and a storage failure's English detail in the operator's log.
/// </summary>
public sealed partial class TranslationTests
{
    private static readonly DriveId Bisu = new("BISU-2026-AUT");

    private static DriveWorkflowException Refusal(DriveRefusal code, params (string Name, string? Value)[] arguments)
    {
        // The internal constructor is the library's; the tests build the exception as a throw site does.
        var create = typeof(DriveWorkflowException).GetConstructor(
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance,
            [typeof(DriveId), typeof(string), typeof(DriveRefusal), typeof((string, string?)[])])!;
        return (DriveWorkflowException)create.Invoke([Bisu, "English words", code, arguments]);
    }

    private static void HasBoth(IEnumerable<string> keys, string what)
    {
        var chinese = Strings("SharedResource.resx");
        var english = Strings("SharedResource.en.resx");
        keys.Where(k => !chinese.ContainsKey(k) || !english.ContainsKey(k)).Should().BeEmpty($"every {what} needs its Chinese and English words");
    }

    [Test]
    public void EveryDriveRefusal_EveryGuard_EveryLibraryReason_EveryAction_EveryUserStep_AndEveryRemovalReason_HasAChineseAndAnEnglishText()
    {
        HasBoth(Enum.GetValues<DriveRefusal>().Where(c => c != DriveRefusal.Unspecified).Select(LibraryErrors.DriveRefusalKey), "drive workflow refusal");
        HasBoth(Enum.GetValues<GuardCode>().Where(c => c != GuardCode.Unspecified).Select(LibraryErrors.GuardKey), "guard");
        HasBoth(AuditText.Formats(typeof(AuditReasons)).Concat(AuditText.Formats(typeof(AccessReasons))).Concat(AuditText.Formats(typeof(PortalReasons))).Select(f => AuditText.Key(f.Name)), "reason the library or the portal writes");
        HasBoth(Enum.GetNames<RegistryAction>().Select(a => "RegistryAction." + a), "access log action");
        HasBoth(UserSteps().Select(s => "UserStep." + s), "user history step");
        HasBoth(RemovalReason.All.Select(r => "Removal." + r.Code), "WMDA removal reason");

        AuditText.DonorReasons.Values.SelectMany(n => n).Should().BeEquivalentTo(
            AuditText.Formats(typeof(AuditReasons)).Select(f => f.Name),
            "every reason the library writes on a donor is matched on the step that writes it");
        var chinese = Strings("SharedResource.resx");
        chinese.Keys.Where(k => k.StartsWith("DriveRefusal.", StringComparison.Ordinal) && !k.EndsWith(".NoEvent", StringComparison.Ordinal) && !k.EndsWith(".NoDrive", StringComparison.Ordinal) && !k.EndsWith(".InShipment", StringComparison.Ordinal))
            .Should().HaveCount(Enum.GetValues<DriveRefusal>().Length - 1, "no message is left for a refusal that is gone");
    }

    /// <summary>The history steps UserOperations writes ("Add", "SetRoles", ...), read from its source.</summary>
    private static List<string> UserSteps()
    {
        var source = File.ReadAllText(Path.Combine(PortalServer.RepositoryRoot(), "src", "DonorRegistry", "Access", "UserOperations.cs"));
        var steps = UserStep().Matches(source).Select(m => m.Groups[1].Value).Distinct().ToList();
        steps.Should().Contain(["Add", "SetRoles", "FailedSignIn", "SignIn", "Disable", "Enable", "SetPasswordHash", "AddFirstAdministrator"], "the source is read");
        return steps;
    }

    [GeneratedRegex(@"(?:scope\.(?:Create|Replace)\(_writes\.User, \w+|Change\(userName, RegistryAction\.\w+, by, expectedVersion), ""(\w+)""")]
    private static partial Regex UserStep();

    [Test]
    public void EachDriveWorkflowRefusal_SaysItsOwnCase_InChinese_AndInEnglish()
    {
        LibraryErrors.Message(T, Refusal(DriveRefusal.EnrolmentNotOpen, ("state", "AwaitingResults")))
            .Should().Be("招募活动 BISU-2026-AUT 当前为“等待结果”状态；只有在登记开放期间才能采集样本。未保存任何更改。");
        LibraryErrors.Message(T, Refusal(DriveRefusal.SampleNotCollected, ("barcode", "BISU26-0003"), ("state", "Shipped"), ("shipment", "SHP-00000002")))
            .Should().Be("样本 BISU26-0003 当前为“已寄出”（寄送批次 SHP-00000002）；只有已采集、尚未寄出的样本可以寄送。未寄送任何样本。");
        LibraryErrors.Message(T, Refusal(DriveRefusal.SampleNotCollected, ("barcode", "BISU26-0003"), ("state", "Typed"), ("shipment", null)))
            .Should().StartWith("样本 BISU26-0003 当前为“已分型”；");
        LibraryErrors.Message(T, Refusal(DriveRefusal.SampleOfAnotherDrive, ("barcode", "X-1"), ("other", null))).Should().StartWith("样本 X-1 采集于活动之外，不属于招募活动 BISU-2026-AUT");
        LibraryErrors.Message(T, Refusal(DriveRefusal.EventOutOfOrder, ("event", "EnrolmentClosed"), ("expected", "EnrolmentOpened")))
            .Should().StartWith("招募活动 BISU-2026-AUT 的下一步是“开放登记”，现在不能“关闭登记”");
        LibraryErrors.Message(T, Refusal(DriveRefusal.EventAlreadyHappened, ("event", "EnrolmentOpened"), ("expected", null)))
            .Should().Contain("已经“开放登记”过了").And.Contain("下一步是“无（活动已结束）”");
        LibraryErrors.Message(T, Refusal(DriveRefusal.DonorOfAnotherDrive, ("donor", "DR-00000007")))
            .Should().Be("捐献者 DR-00000007 不是通过招募活动 BISU-2026-AUT 登记的；请在其登记的活动中采集样本。未保存任何更改。");
        foreach (var code in Enum.GetValues<DriveRefusal>().Where(c => c != DriveRefusal.Unspecified))
        {
            LibraryErrors.Message(T, Refusal(code, ("workflow", "wf-1"), ("state", code == DriveRefusal.EnrolmentNotOpen ? "Planned" : "Shipped"), ("donor", "DR-1"), ("barcode", "B-1"), ("other", "X"), ("shipment", "S"), ("expected", "LectureHeld"), ("event", "EnrolmentOpened")))
                .Should().NotContain("{", $"{code} fills every placeholder").And.NotMatchRegex("[a-z]{4,}", $"{code} leaves no English word");
        }

        LibraryErrors.Message(T, new DriveWorkflowException(Bisu, "Drive BISU-2026-AUT is odd.")).Should().StartWith("招募活动 BISU-2026-AUT 的工作流现在不接受这一操作", "a refusal without a code keeps the general words");

        English();
        LibraryErrors.Message(T, Refusal(DriveRefusal.EnrolmentNotOpen, ("state", "AwaitingResults")))
            .Should().Be("Drive BISU-2026-AUT is Awaiting results; samples are collected while its enrolment is open. Nothing was saved.");
    }

    [Test]
    public void ARefusedDonorStep_NamesTheUnmetCondition_InChinese_AndAGreyedOutStepToo()
    {
        var leaving = new UnmetGuard(GuardCode.BelowLeavingAge, "younger than the leaving age 60", new Dictionary<string, string> { ["max"] = "60" });
        var refused = DonorRefusal(new DonorId(12), DonorState.Typed, DonorTrigger.List, [DonorTrigger.Withdraw], [leaving]);

        LibraryErrors.Message(T, refused).Should().Be($"捐献者 {new DonorId(12)} 当前为“{T["DonorState.Typed"]}”状态，现在不能执行“入库”：需要未满离库年龄 60 岁。现在可执行：{T["Trigger.Withdraw"]}。");
        var list = new PermittedAction(DonorTrigger.List, false, [leaving.Text]) { Guards = [leaving] };
        LibraryErrors.Blocked(T, list.Guards).Should().Be("条件未满足：未满离库年龄 60 岁");
        LibraryErrors.Blocked(T, new PermittedAction(DonorTrigger.List, false, ["a host's words"]).Guards).Should().Be("条件未满足：a host's words", "words without a code are shown as given");
        LibraryErrors.Blocked(T, []).Should().BeEmpty();
        LibraryErrors.Guard(T, new UnmetGuard(GuardCode.JoinAge, "aged 18 to 45", new Dictionary<string, string> { ["min"] = "18", ["max"] = "45" })).Should().Be("年龄在 18 至 45 岁之间");
        LibraryErrors.Message(T, new InvalidDonorTransitionException(new DonorId(12), DonorState.Typed, DonorTrigger.List, [], ["a host's words"]))
            .Should().NotContain("a host's words", "a guard without a code is left to the English message, as before");

        English();
        LibraryErrors.Message(T, refused).Should().EndWith("'List' is not possible now: it needs the donor to be younger than the leaving age 60. Possible now: Withdraw (erase the personal data).");
    }

    private static InvalidDonorTransitionException DonorRefusal(DonorId id, DonorState state, DonorTrigger trigger, IReadOnlyList<DonorTrigger> permitted, IReadOnlyList<UnmetGuard> guards)
    {
        // The coded constructor is the library's (DonorLifecycle throws with it).
        var create = typeof(InvalidDonorTransitionException).GetConstructor(
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance,
            [typeof(DonorId), typeof(DonorState), typeof(DonorTrigger), typeof(IReadOnlyList<DonorTrigger>), typeof(IReadOnlyList<UnmetGuard>)])!;
        return (InvalidDonorTransitionException)create.Invoke([id, state, trigger, permitted, guards]);
    }

    [Test]
    public void TheLibrarysDonorAuditReasons_AreInChinese_AndAPersonsNoteAsTyped()
    {
        AuditText.DonorReason(T, "List", AuditReasons.ListedByDrive).Should().Be("由所属招募活动自动入库");
        AuditText.DonorReason(T, "RecordTyping", "typed by 中华骨髓库 HLA 实验室 on 2026-05-01 (CUC26-0001)").Should().Be("由 中华骨髓库 HLA 实验室 于 2026-05-01 分型（样本 CUC26-0001）");
        AuditText.DonorReason(T, "RecordTyping", "typed by 中华骨髓库 HLA 实验室 on 2026-05-01").Should().Be("由 中华骨髓库 HLA 实验室 于 2026-05-01 分型");
        AuditText.DonorReason(T, "Reserve", "case CASE-2026-0001").Should().Be("配型病例 CASE-2026-0001");
        AuditText.DonorReason(T, "Release", "case CASE-2026-0001 ended").Should().Be("配型病例 CASE-2026-0001 已结束");
        AuditText.DonorReason(T, "RecordDonation", "Pbsc collected 2026-05-01 at 北京").Should().Be("2026-05-01 在 北京 采集外周血造血干细胞");
        AuditText.DonorReason(T, "Defer", "until 2026-08-01: 出国交流").Should().Be("暂缓至 2026-08-01：出国交流");
        AuditText.DonorReason(T, "EndDeferral", "ended early").Should().Be("提前结束");
        AuditText.DonorReason(T, "EndRecovery", "recovery until 2026-11-01 ended").Should().Be("恢复期（至 2026-11-01）已结束");
        AuditText.DonorReason(T, "Remove", "DO: reached the leaving age 60").Should().Be("DO：已达到离库年龄 60 岁");
        AuditText.DonorReason(T, "Remove", "DD: 家属告知").Should().Be("DD：家属告知", "a person's note is shown as typed");
        AuditText.DonorReason(T, "Remove", "MO").Should().Be("MO");
        AuditText.DonorReason(T, "UpdatePersonalData", AuditReasons.PersonalDataUpdated).Should().Be("个人信息已更新");
        AuditText.DonorReason(T, "Withdraw", AuditReasons.ConsentWithdrawn).Should().Be("本人撤回同意");
        AuditText.DonorReason(T, "ScreenOut", "ended early").Should().Be("ended early", "a screening note is a person's, whatever it says");
        AuditText.DonorReason(T, "CollectSample", "CUC26-0001").Should().Be("CUC26-0001");
        AuditText.DonorReason(T, "List", null).Should().BeEmpty();

        English();
        AuditText.DonorReason(T, "List", AuditReasons.ListedByDrive).Should().Be(AuditReasons.ListedByDrive);
        AuditText.DonorReason(T, "Remove", "DO: reached the leaving age 60").Should().Be("DO: reached the leaving age 60");
    }

    [Test]
    public void TheAccessLogsActionsAndReasons_AndAUsersHistorySteps_AreInChinese()
    {
        AuditText.Action(T, RegistryAction.ReadPersonalData).Should().Be("读取个人信息");
        AuditText.Action(T, (RegistryAction)999).Should().Be("999");
        AuditText.AccessReason(T, RegistryAction.Search, string.Format(CultureInfo.InvariantCulture, AccessReasons.RolesDoNotAllow, "Lab, Viewer")).Should().Be("该用户的角色（实验室、只读）不允许此操作");
        AuditText.AccessReason(T, RegistryAction.Search, string.Format(CultureInfo.InvariantCulture, AccessReasons.RolesDoNotAllow, "no role")).Should().Be("该用户的角色（无角色）不允许此操作");
        AuditText.AccessReason(T, RegistryAction.Search, AccessReasons.RolesRequired).Should().StartWith("本登记库要求角色");
        AuditText.AccessReason(T, RegistryAction.Search, PortalReasons.ShownOnAPage).Should().Be("在分中心门户的页面上显示");
        AuditText.AccessReason(T, RegistryAction.Search, "the portal's page needs the role Coordinator or Administrator").Should().Be("该门户页面需要角色：协调员或管理员");
        AuditText.AccessReason(T, RegistryAction.Search, "call the donor about the work-up").Should().Be("call the donor about the work-up", "a reader's reason is shown as given");
        AuditText.AccessReason(T, RegistryAction.OpenHostPage, "/Coordinator/Search: the portal's page needs the role Coordinator").Should().Be("/Coordinator/Search：该门户页面需要角色：协调员");
        AuditText.UserStep(T, "SetRoles").Should().Be("修改角色");
        AuditText.UserStep(T, "SomethingLater").Should().Be("SomethingLater");

        English();
        AuditText.Action(T, RegistryAction.ReadPersonalData).Should().Be("Read personal data");
        AuditText.AccessReason(T, RegistryAction.Search, string.Format(CultureInfo.InvariantCulture, AccessReasons.RolesDoNotAllow, "Lab, Viewer")).Should().Be("the actor's roles (Lab, Viewer) do not allow it");
    }

    [Test]
    public void AStorageFailure_ShowsTheGeneralSentence_AndLogsTheEnglishDetailForTheOperator()
    {
        var log = new CapturingLogger();
        var strings = new PortalStrings(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance), log);
        var failure = new RegistryStorageException("/srv/registry/registry.db", new IOException("No space left on device"));

        var shown = LibraryErrors.Message(strings, failure);

        shown.Should().Be("登记库暂时无法读写，本次操作未完成；请稍后重试，如仍出现请将出现的时间告知系统管理员。");
        log.Entries.Should().ContainSingle().Which.Should().Match<(LogLevel Level, string Text, Exception? Error)>(e =>
            e.Level == LogLevel.Error && e.Text.Contains(failure.Message, StringComparison.Ordinal) && e.Error == failure);
        LibraryErrors.Message(strings, new DonorNotFoundException(new DonorId(1))).Should().NotBeEmpty();
        log.Entries.Should().HaveCount(1, "a refusal the page explains is not the operator's business");
    }

    private sealed class CapturingLogger : ILogger<PortalStrings>
    {
        public List<(LogLevel Level, string Text, Exception? Error)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
