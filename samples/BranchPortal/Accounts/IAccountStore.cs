namespace BranchPortal.Accounts;

/// <summary>
/// Where the portal keeps its users. The operations are those of the core library's coming <c>registry.Users</c>
/// (<c>DonorRegistry.Access</c>), so that a registry-backed store can replace <see cref="InMemoryAccountStore"/>
/// without touching the pages. Every method is safe to call from concurrent requests.
/// </summary>
public interface IAccountStore
{
    /// <summary>Adds a user.</summary>
    /// <param name="userName">The sign-in name (unique, compared without case).</param>
    /// <param name="displayName">The name shown on pages.</param>
    /// <param name="roles">At least one role.</param>
    /// <param name="passwordHash">The password's hash.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentException">The name is blank or taken, or no role is given.</exception>
    PortalAccount Add(string userName, string displayName, IReadOnlyCollection<PortalRole> roles, string passwordHash);

    /// <summary>Adds the first administrator; refused once any administrator exists.</summary>
    /// <param name="userName">The sign-in name.</param>
    /// <param name="displayName">The name shown on pages.</param>
    /// <param name="passwordHash">The password's hash.</param>
    /// <returns>The account.</returns>
    /// <exception cref="InvalidOperationException">An administrator exists.</exception>
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
