using System.Collections.Frozen;
using System.Globalization;

namespace DonorRegistry.Access;

/// <summary>
/// Which roles may take each <see cref="RegistryAction"/>. Immutable: <see cref="Allow"/> and <see cref="Deny"/>
/// return a changed copy, so a policy given to <see cref="RegistryOptions.Permissions"/> cannot change under an open
/// registry. A trusted host actor (<see cref="Actor.Host"/>) holds every role.
/// </summary>
/// <example>
/// <code>
/// options.Permissions = PermissionPolicy.Default.Allow(RegistryAction.ReadReports, Role.Coordinator);
/// </code>
/// </example>
public sealed class PermissionPolicy
{
    private readonly FrozenDictionary<RegistryAction, FrozenSet<Role>> _roles;

    private PermissionPolicy(IReadOnlyDictionary<RegistryAction, IEnumerable<Role>> roles) =>
        _roles = Enum.GetValues<RegistryAction>().ToFrozenDictionary(a => a, a => (roles.TryGetValue(a, out var r) ? r : []).ToFrozenSet());

    /// <summary>
    /// The branch's defaults. Organizer: drives, lectures, enrolment, screening, sample collection and shipment, personal
    /// data. Lab: receipt, rejection, typing results. Coordinator: listing, deferral, the calendar, withdrawal, search,
    /// cases, donation, care, visits, recognition, personal data. Administrator: users, removal and reactivation,
    /// withdrawal, reports, backups, the access log, personal data. Viewer: reports only.
    /// </summary>
    public static PermissionPolicy Default { get; } = new(DefaultRoles());

    /// <summary>The roles that may take an action.</summary>
    /// <param name="action">The action.</param>
    /// <returns>The roles, in <see cref="Role"/> order; empty when no role may.</returns>
    /// <exception cref="RegistryValidationException">The action is not defined.</exception>
    public IReadOnlyList<Role> RolesFor(RegistryAction action) => [.. Lookup(action).Order()];

    /// <summary>Whether an actor may take an action: a host actor may take any; a person when one of their roles may.</summary>
    /// <param name="actor">The actor.</param>
    /// <param name="action">The action.</param>
    /// <returns>True when allowed.</returns>
    /// <exception cref="RegistryValidationException">The actor is missing or the action is not defined.</exception>
    public bool IsAllowed(Actor actor, RegistryAction action)
    {
        Guard.NotNull(actor, nameof(actor), "give the actor");
        var roles = Lookup(action);
        return actor.IsHost || actor.Roles.Any(roles.Contains);
    }

    /// <summary>A copy of this policy in which <paramref name="role"/> may also take <paramref name="action"/>.</summary>
    /// <param name="action">The action.</param>
    /// <param name="role">The role.</param>
    /// <returns>The changed copy; this policy does not change.</returns>
    /// <exception cref="RegistryValidationException">The action or the role is not defined.</exception>
    public PermissionPolicy Allow(RegistryAction action, Role role) => With(action, role, allow: true);

    /// <summary>A copy of this policy in which <paramref name="role"/> may no longer take <paramref name="action"/>.</summary>
    /// <param name="action">The action.</param>
    /// <param name="role">The role.</param>
    /// <returns>The changed copy; this policy does not change.</returns>
    /// <exception cref="RegistryValidationException">The action or the role is not defined.</exception>
    public PermissionPolicy Deny(RegistryAction action, Role role) => With(action, role, allow: false);

    private PermissionPolicy With(RegistryAction action, Role role, bool allow)
    {
        Lookup(action);
        if (!Enum.IsDefined(role))
        {
            throw new RegistryValidationException(nameof(role), ((int)role).ToString(CultureInfo.InvariantCulture), "is not a role", $"use {string.Join(", ", Enum.GetNames<Role>())}");
        }

        var roles = _roles.ToDictionary(p => p.Key, p => (IEnumerable<Role>)p.Value);
        roles[action] = allow ? _roles[action].Append(role) : _roles[action].Where(r => r != role);
        return new PermissionPolicy(roles);
    }

    private FrozenSet<Role> Lookup(RegistryAction action) =>
        _roles.TryGetValue(action, out var roles)
            ? roles
            : throw new RegistryValidationException(nameof(action), ((int)action).ToString(CultureInfo.InvariantCulture), "is not a registry action", "use a value of RegistryAction");

    private static Dictionary<RegistryAction, IEnumerable<Role>> DefaultRoles()
    {
        const Role O = Role.Organizer, L = Role.Lab, C = Role.Coordinator, A = Role.Administrator, V = Role.Viewer;
        var roles = new Dictionary<RegistryAction, IEnumerable<Role>>();
        void Map(Role[] who, params RegistryAction[] actions)
        {
            foreach (var action in actions)
            {
                roles[action] = who;
            }
        }

        Map(
            [O],
            RegistryAction.PlanDrive, RegistryAction.OpenDriveEnrolment, RegistryAction.CloseDriveEnrolment, RegistryAction.CloseDrive, RegistryAction.CancelDrive,
            RegistryAction.RecordLecture, RegistryAction.Enrol, RegistryAction.ScreenOut, RegistryAction.Rescreen, RegistryAction.CollectSample, RegistryAction.ShipSamples);
        Map([L], RegistryAction.ReceiveSamples, RegistryAction.RejectSample, RegistryAction.RecordTyping, RegistryAction.ImportTypingResults);
        Map(
            [C],
            RegistryAction.ListDonor, RegistryAction.ListTypedDonors, RegistryAction.Defer, RegistryAction.EndDeferral, RegistryAction.ApplyCalendar, RegistryAction.Search,
            RegistryAction.OpenCase, RegistryAction.ContactDonor, RegistryAction.RecordDecline, RegistryAction.RecordConsent, RegistryAction.RequestCtSample,
            RegistryAction.RecordCtTyping, RegistryAction.SelectDonor, RegistryAction.RequestWorkup, RegistryAction.HoldInformationSession, RegistryAction.RecordMedicalExam,
            RegistryAction.ClearDonor, RegistryAction.StartMobilization, RegistryAction.StartApheresis, RegistryAction.StartMarrowHarvest, RegistryAction.RecordCollection,
            RegistryAction.DeliverProduct, RegistryAction.CloseCase, RegistryAction.CancelCase,
            RegistryAction.RecordDonation, RegistryAction.RecordFollowUp, RegistryAction.MarkUnreachable, RegistryAction.MarkReachable, RegistryAction.RecordVisit,
            RegistryAction.SkipVisit, RegistryAction.GivePublicityConsent, RegistryAction.WithdrawPublicityConsent, RegistryAction.Recognise,
            RegistryAction.NameOutstandingVolunteer, RegistryAction.RecordVolunteerVisit, RegistryAction.SkipVolunteerVisit);
        Map([O, C], RegistryAction.UpdatePersonalData);
        Map([C, A], RegistryAction.Withdraw);
        Map([O, C, A], RegistryAction.ReadPersonalData);
        Map(
            [A],
            RegistryAction.RemoveDonor, RegistryAction.ReactivateDonor, RegistryAction.Backup, RegistryAction.ReadAccessLog,
            RegistryAction.AddUser, RegistryAction.SetUserRoles, RegistryAction.SetUserPasswordHash, RegistryAction.DisableUser, RegistryAction.EnableUser);
        Map([A, V], RegistryAction.ReadReports);
        return roles;
    }
}
