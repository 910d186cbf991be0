using DonorRegistry.Access;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Access;

public sealed class PermissionPolicyTests
{
    // The branch's defaults, written out here apart from the policy's own table (issue 11): organizer drives, lectures,
    // enrolment, sample collection and shipment; lab receipt, rejection, typing; coordinator listing, deferral, search,
    // cases, donation, care, visits, recognition; administrator users, removal and reactivation, reports, keys; viewer
    // reports only. Personal data: organizer, coordinator and administrator read it whole.
    private static readonly Dictionary<RegistryAction, Role[]> Expected = new()
    {
        [RegistryAction.PlanDrive] = [Role.Organizer],
        [RegistryAction.OpenDriveEnrolment] = [Role.Organizer],
        [RegistryAction.CloseDriveEnrolment] = [Role.Organizer],
        [RegistryAction.CloseDrive] = [Role.Organizer],
        [RegistryAction.CancelDrive] = [Role.Organizer],
        [RegistryAction.RecordLecture] = [Role.Organizer],
        [RegistryAction.Enrol] = [Role.Organizer],
        [RegistryAction.ScreenOut] = [Role.Organizer],
        [RegistryAction.Rescreen] = [Role.Organizer],
        [RegistryAction.UpdatePersonalData] = [Role.Organizer, Role.Coordinator],
        [RegistryAction.CollectSample] = [Role.Organizer],
        [RegistryAction.ShipSamples] = [Role.Organizer],
        [RegistryAction.ReceiveSamples] = [Role.Lab],
        [RegistryAction.RejectSample] = [Role.Lab],
        [RegistryAction.RecordTyping] = [Role.Lab],
        [RegistryAction.ImportTypingResults] = [Role.Lab],
        [RegistryAction.ListDonor] = [Role.Coordinator],
        [RegistryAction.ListTypedDonors] = [Role.Coordinator],
        [RegistryAction.Defer] = [Role.Coordinator],
        [RegistryAction.EndDeferral] = [Role.Coordinator],
        [RegistryAction.ApplyCalendar] = [Role.Coordinator],
        [RegistryAction.Withdraw] = [Role.Coordinator, Role.Administrator],
        [RegistryAction.Search] = [Role.Coordinator],
        [RegistryAction.ReadPersonalData] = [Role.Organizer, Role.Coordinator, Role.Administrator],
        [RegistryAction.OpenCase] = [Role.Coordinator],
        [RegistryAction.ContactDonor] = [Role.Coordinator],
        [RegistryAction.RecordDecline] = [Role.Coordinator],
        [RegistryAction.RecordConsent] = [Role.Coordinator],
        [RegistryAction.RequestCtSample] = [Role.Coordinator],
        [RegistryAction.RecordCtTyping] = [Role.Coordinator],
        [RegistryAction.SelectDonor] = [Role.Coordinator],
        [RegistryAction.RequestWorkup] = [Role.Coordinator],
        [RegistryAction.HoldInformationSession] = [Role.Coordinator],
        [RegistryAction.RecordMedicalExam] = [Role.Coordinator],
        [RegistryAction.ClearDonor] = [Role.Coordinator],
        [RegistryAction.StartMobilization] = [Role.Coordinator],
        [RegistryAction.StartApheresis] = [Role.Coordinator],
        [RegistryAction.StartMarrowHarvest] = [Role.Coordinator],
        [RegistryAction.RecordCollection] = [Role.Coordinator],
        [RegistryAction.DeliverProduct] = [Role.Coordinator],
        [RegistryAction.CloseCase] = [Role.Coordinator],
        [RegistryAction.CancelCase] = [Role.Coordinator],
        [RegistryAction.RecordDonation] = [Role.Coordinator],
        [RegistryAction.RecordFollowUp] = [Role.Coordinator],
        [RegistryAction.MarkUnreachable] = [Role.Coordinator],
        [RegistryAction.MarkReachable] = [Role.Coordinator],
        [RegistryAction.RecordVisit] = [Role.Coordinator],
        [RegistryAction.SkipVisit] = [Role.Coordinator],
        [RegistryAction.GivePublicityConsent] = [Role.Coordinator],
        [RegistryAction.WithdrawPublicityConsent] = [Role.Coordinator],
        [RegistryAction.Recognise] = [Role.Coordinator],
        [RegistryAction.NameOutstandingVolunteer] = [Role.Coordinator],
        [RegistryAction.RecordVolunteerVisit] = [Role.Coordinator],
        [RegistryAction.SkipVolunteerVisit] = [Role.Coordinator],
        [RegistryAction.RemoveDonor] = [Role.Administrator],
        [RegistryAction.ReactivateDonor] = [Role.Administrator],
        [RegistryAction.ReadReports] = [Role.Administrator, Role.Viewer],
        [RegistryAction.Backup] = [Role.Administrator],
        [RegistryAction.ReadAccessLog] = [Role.Administrator],
        [RegistryAction.AddUser] = [Role.Administrator],
        [RegistryAction.SetUserRoles] = [Role.Administrator],
        [RegistryAction.SetUserPasswordHash] = [Role.Administrator],
        [RegistryAction.DisableUser] = [Role.Administrator],
        [RegistryAction.EnableUser] = [Role.Administrator],
        [RegistryAction.OpenHostPage] = [],
    };

    private static IEnumerable<TestCaseData> EveryActionForEveryRole() =>
        from action in Enum.GetValues<RegistryAction>()
        from role in Enum.GetValues<Role>()
        select new TestCaseData(action, role, Expected.TryGetValue(action, out var roles) && roles.Contains(role)).SetName($"Default_{action}_For{role}_Is{(Expected.TryGetValue(action, out var r) && r.Contains(role) ? "Allowed" : "Denied")}");

    [Test]
    public void TheExpectedTable_NamesEveryAction() =>
        Expected.Keys.Should().BeEquivalentTo(Enum.GetValues<RegistryAction>());

    [TestCaseSource(nameof(EveryActionForEveryRole))]
    public void Default_AllowsEachActionToItsRolesOnly(RegistryAction action, Role role, bool allowed) =>
        PermissionPolicy.Default.IsAllowed(Actor.For("someone", role), action).Should().Be(allowed);

    [Test]
    public void RolesFor_GivesTheAllowingRolesInRoleOrder() =>
        PermissionPolicy.Default.RolesFor(RegistryAction.ReadPersonalData).Should().Equal(Role.Organizer, Role.Coordinator, Role.Administrator);

    [Test]
    public void AHostActor_MayTakeEveryAction() =>
        Enum.GetValues<RegistryAction>().Should().OnlyContain(a => PermissionPolicy.Default.IsAllowed(Actor.Host("console"), a));

    [Test]
    public void AnActorWithNoRole_MayTakeNoAction() =>
        Enum.GetValues<RegistryAction>().Should().NotContain(a => PermissionPolicy.Default.IsAllowed(Actor.For("nobody"), a));

    [Test]
    public void AnActorWithSeveralRoles_MayTakeWhatAnyOfThemAllows()
    {
        var both = Actor.For("zhang", Role.Lab, Role.Viewer);

        PermissionPolicy.Default.IsAllowed(both, RegistryAction.RecordTyping).Should().BeTrue();
        PermissionPolicy.Default.IsAllowed(both, RegistryAction.ReadReports).Should().BeTrue();
        PermissionPolicy.Default.IsAllowed(both, RegistryAction.Search).Should().BeFalse();
    }

    [Test]
    public void AllowAndDeny_ReturnChangedCopies_AndLeaveTheDefaultAlone()
    {
        var changed = PermissionPolicy.Default.Allow(RegistryAction.ReadReports, Role.Coordinator).Deny(RegistryAction.ReadReports, Role.Viewer);

        changed.RolesFor(RegistryAction.ReadReports).Should().Equal(Role.Coordinator, Role.Administrator);
        PermissionPolicy.Default.RolesFor(RegistryAction.ReadReports).Should().Equal(Role.Administrator, Role.Viewer);
        changed.RolesFor(RegistryAction.Search).Should().Equal(Role.Coordinator);
    }

    [Test]
    public void AllowingARoleTwice_KeepsItOnce() =>
        PermissionPolicy.Default.Allow(RegistryAction.Search, Role.Coordinator).RolesFor(RegistryAction.Search).Should().Equal(Role.Coordinator);

    [Test]
    public void AnUndefinedActionOrRole_IsRefusedWithALibraryException()
    {
        var action = () => PermissionPolicy.Default.RolesFor((RegistryAction)999);
        var role = () => PermissionPolicy.Default.Allow(RegistryAction.Search, (Role)42);

        action.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("action");
        role.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("role");
    }
}
