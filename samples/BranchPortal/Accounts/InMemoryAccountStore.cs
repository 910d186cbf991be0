namespace BranchPortal.Accounts;

/// <summary>
/// TEMPORARY: accounts in memory, lost when the process stops. It stands in for the registry-backed store
/// (<c>registry.Users</c> of <c>DonorRegistry.Access</c>) until that is merged; the lead replaces the registration in
/// <see cref="PortalApp"/> then. Locks an account for <see cref="LockoutDuration"/> after <see cref="MaxFailedSignIns"/>
/// wrong passwords in a row, and starts the count again.
/// </summary>
/// <param name="time">The clock.</param>
public sealed class InMemoryAccountStore(TimeProvider time) : IAccountStore
{
    /// <summary>Wrong passwords in a row that lock an account.</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, PortalAccount> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public PortalAccount Add(string userName, string displayName, IReadOnlyCollection<PortalRole> roles, string passwordHash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        ArgumentNullException.ThrowIfNull(roles);
        if (roles.Count == 0)
        {
            throw new ArgumentException($"Account '{userName}' has no role; give at least one.", nameof(roles));
        }

        lock (_gate)
        {
            if (_accounts.ContainsKey(userName))
            {
                throw new ArgumentException($"Account '{userName}' exists; give each user a name of their own.", nameof(userName));
            }

            var account = new PortalAccount(userName.Trim(), displayName.Trim(), roles.ToHashSet(), passwordHash, 0, null, false);
            _accounts.Add(account.UserName, account);
            return account;
        }
    }

    /// <inheritdoc />
    public PortalAccount AddFirstAdministrator(string userName, string displayName, string passwordHash)
    {
        lock (_gate)
        {
            if (_accounts.Values.Any(a => a.Roles.Contains(PortalRole.Administrator)))
            {
                throw new InvalidOperationException("An administrator exists; further accounts are added by an administrator.");
            }

            return Add(userName, displayName, [PortalRole.Administrator], passwordHash);
        }
    }

    /// <inheritdoc />
    public PortalAccount? Find(string userName)
    {
        lock (_gate)
        {
            return userName is not null && _accounts.TryGetValue(userName.Trim(), out var account) ? account : null;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<PortalAccount> FindAll()
    {
        lock (_gate)
        {
            return [.. _accounts.Values.OrderBy(a => a.UserName, StringComparer.Ordinal)];
        }
    }

    /// <inheritdoc />
    public PortalAccount RecordFailedSignIn(string userName) => Update(userName, a =>
    {
        // The count starts again when the account locks, as ASP.NET Core Identity does: after the lock, five more tries.
        var failed = a.FailedSignIns + 1;
        return failed >= MaxFailedSignIns
            ? a with { FailedSignIns = 0, LockedUntil = time.GetUtcNow() + LockoutDuration }
            : a with { FailedSignIns = failed };
    });

    /// <inheritdoc />
    public PortalAccount RecordSignIn(string userName) => Update(userName, a => a with { FailedSignIns = 0, LockedUntil = null });

    private PortalAccount Update(string userName, Func<PortalAccount, PortalAccount> change)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(userName, out var account))
            {
                throw new KeyNotFoundException($"No account '{userName}'.");
            }

            var changed = change(account);
            _accounts[account.UserName] = changed;
            return changed;
        }
    }
}
