using System.Globalization;
using DonorRegistry.Audit;
using DonorRegistry.Storage;

namespace DonorRegistry.Access;

/// <summary>
/// The accounts of the people who sign in to a host, kept in the registry as records of their own
/// (<see cref="AggregateKind.User"/>) through the same change pipeline and audit trail as every record. Administering
/// them needs <see cref="Role.Administrator"/> (<see cref="RegistryAction.AddUser"/> and the like). The sign-in
/// bookkeeping (<see cref="RecordFailedSignIn"/>, <see cref="RecordSignIn"/>) and the reads (<see cref="Find"/>,
/// <see cref="Get"/>, <see cref="List"/>) take no actor: the host calls them before it knows who signs in. The core never
/// sees a password; it keeps the host's hash, which no log line, audit record or exception message shows.
/// </summary>
public sealed class UserOperations
{
    private const int MaxUserName = 64;
    private const int MaxHash = 1024;

    // Sign-in bookkeeping is the registry's own act (the host knows no actor yet): the registry actor is never refused,
    // so the action it is written under is only a label.
    private static readonly Actor SignIn = Actor.Registry("sign-in");

    private readonly RegistryWrites _writes;
    private readonly int _maxFailedSignIns;
    private readonly TimeSpan _lockoutDuration;

    internal UserOperations(RegistryWrites writes, RegistryOptions options)
    {
        _writes = writes;
        _maxFailedSignIns = options.MaxFailedSignIns; // as at open: the rule cannot change under an open registry
        _lockoutDuration = options.LockoutDuration;
    }

    private IUserStore Store => _writes.Storage.Users;

    /// <summary>
    /// Adds the first administrator of a registry that has no user yet: how a new registry gets the person who adds the
    /// others. Refused once any user exists.
    /// </summary>
    /// <param name="userName">The user name: 1 to 64 letters, digits, '.', '_', '-' or '@' (kept in lower case).</param>
    /// <param name="displayName">The name shown to people (1 to 200 printable characters).</param>
    /// <param name="passwordHash">The host's hash of the password (opaque; 1 to 1,024 printable characters).</param>
    /// <returns>The account, with the role <see cref="Role.Administrator"/>.</returns>
    /// <exception cref="RegistryValidationException">A value is blank, too long or holds a character not allowed.</exception>
    /// <exception cref="UserAccountException">The registry has a user already.</exception>
    public UserAccount AddFirstAdministrator(string userName, string displayName, string passwordHash)
    {
        var account = NewAccount(userName, displayName, [Role.Administrator], passwordHash);
        return _writes.Write(Actor.Registry(account.UserName), RegistryAction.AddUser, scope =>
        {
            if (Store.Count() > 0)
            {
                throw new UserAccountException(account.UserName, $"The registry has users already, so '{account.UserName}' cannot be added as its first administrator; an administrator adds users with Users.Add.");
            }

            return scope.Create(_writes.User, account, "AddFirstAdministrator", "roles: Administrator");
        });
    }

    /// <summary>Adds a user.</summary>
    /// <param name="userName">The user name: 1 to 64 letters, digits, '.', '_', '-' or '@' (kept in lower case; names are compared without case).</param>
    /// <param name="displayName">The name shown to people (1 to 200 printable characters).</param>
    /// <param name="roles">The roles (none is allowed: such a user may do nothing).</param>
    /// <param name="passwordHash">The host's hash of the password (opaque; 1 to 1,024 printable characters).</param>
    /// <param name="by">Who adds the user: an administrator.</param>
    /// <returns>The account.</returns>
    /// <exception cref="RegistryValidationException">A value is blank, too long or holds a character not allowed, or a role is not defined.</exception>
    /// <exception cref="DuplicateUserException">The user name is taken.</exception>
    /// <exception cref="AccessDeniedException">The actor may not add users.</exception>
    public UserAccount Add(string userName, string displayName, IReadOnlyCollection<Role> roles, string passwordHash, Actor by)
    {
        var account = NewAccount(userName, displayName, roles, passwordHash);
        return _writes.Write(by, RegistryAction.AddUser, scope => scope.Create(_writes.User, account, "Add", RolesReason(account.Roles)), AggregateKind.User, account.UserName);
    }

    /// <summary>Gets a user.</summary>
    /// <param name="userName">The user name (any case).</param>
    /// <returns>The account.</returns>
    /// <exception cref="UserNotFoundException">No such user.</exception>
    public UserAccount Get(string userName) => Find(userName) ?? throw new UserNotFoundException(userName ?? string.Empty);

    /// <summary>Finds a user, for a sign-in: no actor is needed.</summary>
    /// <param name="userName">The user name (any case).</param>
    /// <returns>The account, or null when there is none (or the name cannot be one).</returns>
    public UserAccount? Find(string userName) => TryKey(userName) is { } key ? Store.Find(key)?.Value : null;

    /// <summary>Every user, by user name.</summary>
    /// <returns>The accounts.</returns>
    public IReadOnlyList<UserAccount> List() => Store.FindAll();

    /// <summary>Replaces a user's roles. The last enabled administrator keeps <see cref="Role.Administrator"/>.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="roles">The new roles, whole.</param>
    /// <param name="by">Who changes them: an administrator.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The account as stored.</returns>
    /// <exception cref="RegistryValidationException">The roles are missing or one is not defined.</exception>
    /// <exception cref="UserNotFoundException">No such user.</exception>
    /// <exception cref="UserAccountException">The change would leave no enabled administrator.</exception>
    /// <exception cref="ConcurrentUpdateException">The account changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not change roles.</exception>
    public UserAccount SetRoles(string userName, IReadOnlyCollection<Role> roles, Actor by, int? expectedVersion = null)
    {
        var checkedRoles = Roles(roles);
        return Change(userName, RegistryAction.SetUserRoles, by, expectedVersion, "SetRoles", RolesReason(checkedRoles), u => u with { Roles = checkedRoles });
    }

    /// <summary>Replaces a user's password hash (a reset by an administrator); the failed sign-ins and any lockout end with it.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="passwordHash">The host's hash of the new password (opaque; 1 to 1,024 printable characters).</param>
    /// <param name="by">Who resets it: an administrator.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The account as stored.</returns>
    /// <exception cref="RegistryValidationException">The hash is blank, too long or holds a control character.</exception>
    /// <exception cref="UserNotFoundException">No such user.</exception>
    /// <exception cref="ConcurrentUpdateException">The account changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not reset passwords.</exception>
    public UserAccount SetPasswordHash(string userName, string passwordHash, Actor by, int? expectedVersion = null)
    {
        var hash = Hash(passwordHash);
        return Change(userName, RegistryAction.SetUserPasswordHash, by, expectedVersion, "SetPasswordHash", "password hash replaced", u => u with { PasswordHash = hash, FailedSignIns = 0, LockedUntil = null });
    }

    /// <summary>Disables a user: the host signs them in no more (<see cref="RecordSignIn"/> refuses). The last enabled administrator cannot be disabled.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="by">Who disables them: an administrator.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The account as stored.</returns>
    /// <exception cref="UserNotFoundException">No such user.</exception>
    /// <exception cref="UserAccountException">The user is disabled already, or is the last enabled administrator.</exception>
    /// <exception cref="ConcurrentUpdateException">The account changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not disable users.</exception>
    public UserAccount Disable(string userName, Actor by, int? expectedVersion = null) =>
        Change(userName, RegistryAction.DisableUser, by, expectedVersion, "Disable", null, u => u.Disabled
            ? throw new UserAccountException(u.UserName, $"User '{u.UserName}' is disabled already.")
            : u with { Disabled = true });

    /// <summary>Enables a disabled user again.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="by">Who enables them: an administrator.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The account as stored.</returns>
    /// <exception cref="UserNotFoundException">No such user.</exception>
    /// <exception cref="UserAccountException">The user is not disabled.</exception>
    /// <exception cref="ConcurrentUpdateException">The account changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not enable users.</exception>
    public UserAccount Enable(string userName, Actor by, int? expectedVersion = null) =>
        Change(userName, RegistryAction.EnableUser, by, expectedVersion, "Enable", null, u => u.Disabled
            ? u with { Disabled = false }
            : throw new UserAccountException(u.UserName, $"User '{u.UserName}' is not disabled."));

    /// <summary>
    /// Counts a failed sign-in (a wrong password, as the host's hasher found). After <see cref="RegistryOptions.MaxFailedSignIns"/>
    /// in a row the account is locked out for <see cref="RegistryOptions.LockoutDuration"/> from now
    /// (<see cref="UserAccount.IsLockedOut"/>); a failure after a lockout has passed starts the count again. A failure
    /// while locked out stores nothing. Needs no actor: the host calls it before anyone is signed in.
    /// </summary>
    /// <param name="userName">The user name given.</param>
    /// <returns>The account as stored.</returns>
    /// <exception cref="UserNotFoundException">No such user (check with <see cref="Find"/> first, and answer the person alike).</exception>
    public UserAccount RecordFailedSignIn(string userName)
    {
        var key = Key(userName);
        return _writes.Write(SignIn, RegistryAction.AddUser, scope =>
        {
            var loaded = scope.Load(_writes.User, key);
            var account = loaded.Value;
            if (account.IsLockedOut(scope.Now))
            {
                return account;
            }

            var failed = (account.LockedUntil is null ? account.FailedSignIns : 0) + 1;
            var lockedUntil = failed >= _maxFailedSignIns ? scope.Now + _lockoutDuration : (DateTimeOffset?)null;
            var reason = lockedUntil is { } until
                ? $"failed sign-in {failed} of {_maxFailedSignIns}: locked until {until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}"
                : $"failed sign-in {failed} of {_maxFailedSignIns}";
            return scope.Replace(_writes.User, loaded, "FailedSignIn", reason, u => u with { FailedSignIns = failed, LockedUntil = lockedUntil });
        });
    }

    /// <summary>
    /// Records a successful sign-in: the count of failed sign-ins and any past lockout are cleared (nothing is stored
    /// when there is nothing to clear). Needs no actor: the host calls it once the password checked out.
    /// </summary>
    /// <param name="userName">The user name.</param>
    /// <returns>The account as stored.</returns>
    /// <exception cref="UserNotFoundException">No such user.</exception>
    /// <exception cref="UserAccountException">The account is disabled or locked out: the host must not sign them in.</exception>
    public UserAccount RecordSignIn(string userName)
    {
        var key = Key(userName);
        return _writes.Write(SignIn, RegistryAction.AddUser, scope =>
        {
            var loaded = scope.Load(_writes.User, key);
            var account = loaded.Value;
            if (account.Disabled)
            {
                throw new UserAccountException(account.UserName, $"User '{account.UserName}' is disabled; an administrator enables them with Users.Enable.");
            }

            if (account.IsLockedOut(scope.Now))
            {
                throw new UserAccountException(account.UserName, $"User '{account.UserName}' is locked out until {account.LockedUntil!.Value.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} after {Readable.Count(account.FailedSignIns, "failed sign-in")}; wait, or have an administrator reset the password.");
            }

            return account.FailedSignIns == 0 && account.LockedUntil is null
                ? account
                : scope.Replace(_writes.User, loaded, "SignIn", "failed sign-ins cleared", u => u with { FailedSignIns = 0, LockedUntil = null });
        });
    }

    /// <summary>The account's audit trail, oldest first (roles, resets, lockouts; never a hash).</summary>
    /// <param name="userName">The user name.</param>
    /// <returns>The records.</returns>
    /// <exception cref="UserNotFoundException">No such user.</exception>
    public IReadOnlyList<AuditRecord> GetHistory(string userName) => _writes.History(_writes.User, TryKey(userName) ?? userName ?? string.Empty);

    private UserAccount Change(string userName, RegistryAction action, Actor by, int? expectedVersion, string step, string? reason, Func<UserAccount, UserAccount> change)
    {
        var key = Key(userName);
        return _writes.Write(
            by,
            action,
            scope =>
            {
                var changed = scope.Replace(_writes.User, scope.Load(_writes.User, key, expectedVersion), step, reason, change);
                if (!Store.FindAll().Any(u => !u.Disabled && u.Roles.Contains(Role.Administrator) && u.UserName != changed.UserName)
                    && !(!changed.Disabled && changed.Roles.Contains(Role.Administrator)))
                {
                    throw new UserAccountException(changed.UserName, $"'{changed.UserName}' is the last enabled administrator; make another user an administrator first.", ValidationCode.LastAdministrator);
                }

                return changed;
            },
            AggregateKind.User,
            key);
    }

    private UserAccount NewAccount(string userName, string displayName, IReadOnlyCollection<Role> roles, string passwordHash)
    {
        var key = Key(userName);
        var display = Guard.Name(displayName, nameof(displayName));
        var checkedRoles = Roles(roles);
        var hash = Hash(passwordHash);
        return Store.Find(key) is not null
            ? throw new DuplicateUserException(key)
            : new UserAccount(key, display, checkedRoles, hash, 0, null, false, 1);
    }

    /// <summary>A user name as stored: checked, in lower case.</summary>
    private static string Key(string userName) =>
        TryKey(userName) ?? throw new RegistryValidationException(
            nameof(userName),
            userName,
            userName is null ? "is missing" : "is not a user name",
            $"give 1 to {MaxUserName} letters, digits, '.', '_', '-' or '@'",
            string.IsNullOrEmpty(userName) ? ValidationCode.Required : ValidationCode.BadFormat,
            string.IsNullOrEmpty(userName) ? null : Guard.Args((ValidationArgument.Expected, $"1-{MaxUserName} letters, digits, . _ - @")));

    private static string? TryKey(string? userName) =>
        userName is { Length: > 0 and <= MaxUserName } && userName.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? userName.ToLowerInvariant()
            : null;

    private static List<Role> Roles(IReadOnlyCollection<Role> roles)
    {
        Guard.NotNull(roles, nameof(roles), "give the user's roles (an empty list for none)");
        foreach (var role in roles)
        {
            if (!Enum.IsDefined(role))
            {
                throw new RegistryValidationException(nameof(roles), ((int)role).ToString(CultureInfo.InvariantCulture), "is not a role", $"use {string.Join(", ", Enum.GetNames<Role>())}", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, string.Join(", ", Enum.GetNames<Role>()))));
            }
        }

        return [.. roles.Distinct().Order()];
    }

    // The hash is never quoted: a message names the field and what is allowed only.
    private static string Hash(string passwordHash)
    {
        if (string.IsNullOrWhiteSpace(passwordHash) || passwordHash.Length > MaxHash || passwordHash.Any(char.IsControl))
        {
            throw new RegistryValidationException(nameof(passwordHash), null, passwordHash is null ? "is missing" : "is blank, too long or holds a control character", $"give the host's password hash: 1 to {MaxHash:N0} printable characters");
        }

        return passwordHash;
    }

    private static string RolesReason(IReadOnlyList<Role> roles) => "roles: " + (roles.Count == 0 ? "none" : string.Join(", ", roles));
}
