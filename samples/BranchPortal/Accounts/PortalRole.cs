namespace BranchPortal.Accounts;

/// <summary>
/// What a portal user may do. Mirrors <c>DonorRegistry.Access.Role</c>, which the core library is gaining in parallel;
/// once it is merged, a registry-backed <see cref="IAccountStore"/> maps one onto the other name for name.
/// </summary>
public enum PortalRole
{
    /// <summary>Runs drives: plans them, records lectures, opens and closes enrolment, enrols volunteers.</summary>
    Organizer,

    /// <summary>The typing lab: receives samples and imports results.</summary>
    Lab,

    /// <summary>Works on patients' searches, match cases and donors' care.</summary>
    Coordinator,

    /// <summary>Manages accounts.</summary>
    Administrator,

    /// <summary>Reads reports only.</summary>
    Viewer,
}
