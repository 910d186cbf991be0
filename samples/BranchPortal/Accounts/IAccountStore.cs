namespace BranchPortal.Accounts;

/// <summary>
/// Where the portal keeps its users: the operations of the library's <c>registry.Users</c> (<c>DonorRegistry.Access</c>)
/// that the pages need, kept in the registry by <see cref="RegistryAccountStore"/>. Every method is safe to call from
/// concurrent requests; refusals are the library's exceptions (a taken name, a first administrator on a registry that
/// has users).
/// </summary>
public interface IAccountStore
{
    /// <summary>Adds a user.</summary>
    /// <param name="userName">The sign-in name (unique, compared without case).</param>
    /// <param name="displayName">The name shown on pages.</param>
    /// <param name="roles">At least one role.</param>
    /// <param name="passwordHash">The password's hash.</param>
    /// <returns>The account.</returns>
    /// <exception cref="DonorRegistry.DonorRegistryException">The name is invalid or taken, or no role is given.</exception>
    PortalAccount Add(string userName, string displayName, IReadOnlyCollection<PortalRole> roles, string passwordHash);

    /// <summary>Adds the first administrator; refused once the registry has any user.</summary>
    /// <param name="userName">The sign-in name.</param>
    /// <param name="displayName">The name shown on pages.</param>
    /// <param name="passwordHash">The password's hash.</param>
    /// <returns>The account.</returns>
    /// <exception cref="DonorRegistry.DonorRegistryException">The registry has users.</exception>
    PortalAccount AddFirstAdministrator(string userName, string displayName, string passwordHash);

    /// <summary>Finds a user by sign-in name (without case), or null.</summary>
    /// <param name="userName">The sign-in name.</param>
    /// <returns>The account, or null.</returns>
    PortalAccount? Find(string userName);

    /// <summary>Every user, by sign-in name.</summary>
    /// <returns>The accounts.</returns>
    IReadOnlyList<PortalAccount> FindAll();

    /// <summary>Counts a wrong password; the store locks the account when its lockout rule says so.</summary>
    /// <param name="userName">The sign-in name.</param>
    /// <returns>The account after the count.</returns>
    PortalAccount RecordFailedSignIn(string userName);

    /// <summary>Records a good sign-in: the count of wrong passwords starts again.</summary>
    /// <param name="userName">The sign-in name.</param>
    /// <returns>The account.</returns>
    PortalAccount RecordSignIn(string userName);
}
