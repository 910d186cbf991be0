namespace BranchPortal.Accounts;

/// <summary>
/// A portal user as the account store keeps it (the shape of <c>DonorRegistry.Access.UserAccount</c>): the password only
/// as an ASP.NET Core Identity hash, the failed sign-ins in a row, and until when the account is locked.
/// </summary>
/// <param name="UserName">The sign-in name, also the actor recorded in the registry's audit trail.</param>
/// <param name="DisplayName">The name shown on pages.</param>
/// <param name="Roles">What the user may do.</param>
/// <param name="PasswordHash">The <c>PasswordHasher</c> hash of the password.</param>
/// <param name="FailedSignIns">Wrong passwords since the last good sign-in.</param>
/// <param name="LockedUntil">Until when sign-in is refused, or null.</param>
/// <param name="Disabled">True when the account may not sign in at all.</param>
public sealed record PortalAccount(
    string UserName,
    string DisplayName,
    IReadOnlySet<PortalRole> Roles,
    string PasswordHash,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    bool Disabled)
{
    /// <summary>True while the account is locked at <paramref name="now"/>.</summary>
    /// <param name="now">The time.</param>
    /// <returns>Whether it is locked.</returns>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}
