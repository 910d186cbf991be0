using DonorRegistry;
using DonorRegistry.Access;

namespace BranchPortal.Accounts;

/// <summary>
/// The portal's users kept in the registry (<see cref="UserOperations"/>): one registry, one set of users, with the
/// library's lockout rule and every change in the users' audit trail. The portal adds users as the host (its own
/// start-up: the first administrator, the demo's accounts); an administrator's page would pass its own actor.
/// </summary>
/// <param name="registry">The open registry.</param>
public sealed class RegistryAccountStore(Registry registry) : IAccountStore
{
    /// <summary>The portal's own start-up (the demo's accounts): a service actor that may add users, never a bare name.</summary>
    private static readonly Actor Portal = Actor.For("branch-portal", Role.Administrator);

    /// <inheritdoc />
    public PortalAccount Add(string userName, string displayName, IReadOnlyCollection<PortalRole> roles, string passwordHash)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return ToPortal(registry.Users.Add(userName, displayName, [.. roles.Select(ToRole)], passwordHash, Portal));
    }

    /// <inheritdoc />
    public PortalAccount AddFirstAdministrator(string userName, string displayName, string passwordHash) =>
        ToPortal(registry.Users.AddFirstAdministrator(userName, displayName, passwordHash));

    /// <inheritdoc />
    /// <remarks>A name no account can have (blank, too long, a character names never hold) is not found.</remarks>
    public PortalAccount? Find(string userName) => registry.Users.Find(userName) is { } account ? ToPortal(account) : null;

    /// <inheritdoc />
    public IReadOnlyList<PortalAccount> FindAll() => [.. registry.Users.List().Select(ToPortal).OrderBy(a => a.UserName, StringComparer.Ordinal)];

    /// <inheritdoc />
    public PortalAccount RecordFailedSignIn(string userName) => ToPortal(registry.Users.RecordFailedSignIn(userName));

    /// <inheritdoc />
    public PortalAccount RecordSignIn(string userName) => ToPortal(registry.Users.RecordSignIn(userName));

    /// <summary>The library's actor for a signed-in portal user: their name and roles.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The actor.</returns>
    public static Actor ToActor(PortalAccount account) => Actor.For(account.UserName, [.. account.Roles.Select(ToRole)]);

    private static PortalAccount ToPortal(UserAccount account) => new(
        account.UserName,
        account.DisplayName,
        account.Roles.Select(r => Enum.Parse<PortalRole>(r.ToString())).ToHashSet(),
        account.PasswordHash,
        account.FailedSignIns,
        account.LockedUntil,
        account.Disabled);

    private static Role ToRole(PortalRole role) => Enum.Parse<Role>(role.ToString());
}
