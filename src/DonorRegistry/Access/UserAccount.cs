namespace DonorRegistry.Access;

/// <summary>
/// A person who signs in to a host, kept in the registry (<see cref="UserOperations"/>): their roles, the host's hash of
/// their password, and the bookkeeping of failed sign-ins. The core never sees a password: the host hashes it (ASP.NET
/// Core Identity's <c>PasswordHasher</c>) and checks it; <see cref="PasswordHash"/> is an opaque string, never shown by
/// <see cref="ToString"/>, a log line or an exception message.
/// </summary>
/// <param name="UserName">The user name: 1 to 64 letters, digits, '.', '_', '-' or '@', kept in lower case (names are compared without case).</param>
/// <param name="DisplayName">The name shown to people (1 to 200 printable characters).</param>
/// <param name="Roles">The roles, in <see cref="Role"/> order.</param>
/// <param name="PasswordHash">The host's hash of the password, opaque to the registry.</param>
/// <param name="FailedSignIns">Failed sign-ins since the last successful one (or the last lockout's end).</param>
/// <param name="LockedUntil">The end of the current or last lockout, or null.</param>
/// <param name="Disabled">Whether an administrator disabled the account.</param>
/// <param name="Version">How many changes were stored; each has one audit record.</param>
public sealed record UserAccount(
    string UserName,
    string DisplayName,
    IReadOnlyList<Role> Roles,
    string PasswordHash,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    bool Disabled,
    int Version) : Storage.IAggregate
{
    /// <summary>How many changes were stored; each has one audit record.</summary>
    public int Version { get; internal set; } = Version;

    int Storage.IAggregate.Version
    {
        get => Version;
        set => Version = value;
    }

    string Storage.IAggregate.Key => UserName;

    /// <summary>Active or Disabled (a lockout passes by itself, so it is no state).</summary>
    string Storage.IAggregate.StateName => Disabled ? "Disabled" : "Active";

    /// <summary>Whether the account is locked out at <paramref name="now"/> (too many failed sign-ins, <see cref="RegistryOptions.MaxFailedSignIns"/>).</summary>
    /// <param name="now">The instant (the registry's <see cref="Registry.TimeProvider"/>).</param>
    /// <returns>True while locked out.</returns>
    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && now < until;

    /// <summary>The actor this user acts as once signed in: their user name and roles.</summary>
    /// <returns>The actor.</returns>
    public Actor ToActor() => Actor.For(UserName, [.. Roles]);

    /// <summary>Records are equal when every field is equal, the roles in order.</summary>
    /// <param name="other">The other record.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(UserAccount? other) =>
        other is not null && UserName == other.UserName && DisplayName == other.DisplayName && Roles.SequenceEqual(other.Roles) && PasswordHash == other.PasswordHash
        && FailedSignIns == other.FailedSignIns && LockedUntil == other.LockedUntil && Disabled == other.Disabled && Version == other.Version;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(UserName, Version);

    void Storage.IAggregate.Touch(DateTimeOffset at, bool stateChanged)
    {
    }

    /// <summary>One line a person can read, without the password hash: <c>wang.fang (王芳): Organizer, Coordinator; 2 failed sign-ins</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString()
    {
        var roles = Roles.Count == 0 ? "no role" : string.Join(", ", Roles);
        var state = Disabled ? "; disabled" : string.Empty;
        var failed = FailedSignIns == 0 ? string.Empty : $"; {Readable.Count(FailedSignIns, "failed sign-in")}";
        var locked = LockedUntil is { } until ? $"; locked until {until.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : string.Empty;
        return $"{UserName} ({DisplayName}): {roles}{state}{failed}{locked}";
    }
}
