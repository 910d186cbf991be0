using System.Text;
using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Reporting;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Access;

/// <summary>Verbs of every facade, each taken by an actor whose roles do not allow it: refused, nothing stored, one access-log entry.</summary>
public sealed class CheckedVerbsTests
{
    private static readonly Actor Viewer = Actor.For("viewer.zhou", Role.Viewer);
    private static readonly Actor Admin = Actor.For("admin.liu", Role.Administrator);

    private static IEnumerable<TestCaseData> Actions() => Verbs().Select(v => new TestCaseData(v.Action).SetName($"{v.Action}_ByAViewer_IsRefusedAndStoresNothing"));

    private static IEnumerable<(RegistryAction Action, Action<RegistryFixture, DonorId> Call)> Verbs()
    {
        static (RegistryAction, Action<RegistryFixture, DonorId>) Verb(RegistryAction action, Action<RegistryFixture, DonorId> call) => (action, call);

        yield return Verb(RegistryAction.Enrol, (fx, _) => fx.Donors.EnrolMany([fx.Volunteers.Next(fx.Today)], Viewer));
        yield return Verb(RegistryAction.ApplyCalendar, (fx, _) => fx.Donors.ApplyCalendar(fx.Clock.GetUtcNow(), Viewer));
        yield return Verb(RegistryAction.Withdraw, (fx, d) => fx.Donors.Withdraw(d, Viewer));
        yield return Verb(RegistryAction.UpdatePersonalData, (fx, d) => fx.Donors.UpdatePersonalData(d, fx.Volunteers.Next(fx.Today).Personal, Viewer));
        yield return Verb(RegistryAction.CollectSample, (fx, d) => fx.Registry.Samples.Collect(d, "T-99", SampleKind.BloodEdta, Viewer));
        yield return Verb(RegistryAction.ImportTypingResults, (fx, _) => fx.Registry.Samples.ImportTypingResults(new MemoryStream(Encoding.UTF8.GetBytes("Barcode,A,B,DRB1\nT-1,A*02:01,B*07:02,DRB1*15:01\n")), "实验室", fx.Today, Viewer));
        yield return Verb(RegistryAction.PlanDrive, (fx, _) => fx.Registry.Drives.Plan(new DrivePlan(new DriveId("PKU-2026-12"), "北大招募", DriveKind.Campus, "红会", "北大", fx.Today, fx.Today, 100), Viewer));
        yield return Verb(RegistryAction.OpenCase, (fx, d) => fx.Registry.Cases.Open(d, "PAT-0001", Viewer));
        yield return Verb(RegistryAction.GivePublicityConsent, (fx, d) => fx.Registry.Care.GivePublicityConsent(d, Viewer));
        yield return Verb(RegistryAction.NameOutstandingVolunteer, (fx, _) => fx.Registry.Care.NameOutstandingVolunteer("王芳", null, "组织宣讲", fx.Today, Viewer));
        yield return Verb(RegistryAction.Backup, (fx, _) => fx.Registry.Backup(Path.Combine(fx.Folder, "backup"), Viewer));
        yield return Verb(RegistryAction.AddUser, (fx, _) => fx.Registry.Users.Add("lab.zhao", "赵", [Role.Lab], "hash", Viewer));
    }

    [TestCaseSource(nameof(Actions))]
    public void AVerb_ByAnActorWhoseRolesDoNotAllowIt_IsRefused_StoresNothing_AndLogsOneEntry(RegistryAction action)
    {
        var call = Verbs().Single(v => v.Action == action).Call;
        using var fx = new RegistryFixture();
        var donor = fx.DonorIn(DonorState.Available).Id;
        var before = Fuzz.Fuzz.Fingerprint(fx.Registry);

        var act = () => call(fx, donor);

        act.Should().Throw<AccessDeniedException>().Which.Action.Should().Be(action);
        Fuzz.Fuzz.Fingerprint(fx.Registry).Should().Be(before);
        fx.Registry.Access.History(new AccessQuery(Actor: "viewer.zhou"), Admin).Should().ContainSingle().Which.Should().Match<AccessRecord>(r => r.Action == action && r.Outcome == AccessOutcome.Denied);
    }

    [Test]
    public void AViewer_ReadsReports()
    {
        using var fx = new RegistryFixture(inMemory: true);

        fx.Registry.Reports.DonationsPerMonth(2026, by: Viewer).Should().HaveCount(12);
        fx.Registry.Reports.Build(ReportPeriod.Year(2026), by: Viewer).Should().NotBeNull();
    }

    [Test]
    public void TheRegistryOptions_CheckTheAccessSettings()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var options = fx.Options();

        options.Permissions.Should().BeSameAs(PermissionPolicy.Default);
        options.RequireRoles.Should().BeFalse();
        options.MaxFailedSignIns.Should().Be(5);
        options.LockoutDuration.Should().Be(TimeSpan.FromMinutes(15));
        Refused(o => o.Permissions = null!).Should().Be("Permissions");
        Refused(o => o.MaxFailedSignIns = 0).Should().Be("MaxFailedSignIns");
        Refused(o => o.MaxFailedSignIns = 101).Should().Be("MaxFailedSignIns");
        Refused(o => o.LockoutDuration = TimeSpan.Zero).Should().Be("LockoutDuration");
        Refused(o => o.LockoutDuration = TimeSpan.FromDays(2)).Should().Be("LockoutDuration");

        string Refused(Action<RegistryOptions> change)
        {
            var changed = fx.Options();
            change(changed);
            return FluentActions.Invoking(changed.Validate).Should().Throw<RegistryValidationException>().Which.Field;
        }
    }
}
