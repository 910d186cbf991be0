using System.Collections.Frozen;

namespace DonorRegistry.Access;

/// <summary>
/// Who acts: a name for the audit trail and the roles the <see cref="PermissionPolicy"/> checks. Every verb takes one
/// as <c>by</c>. A host that signs people in gives <see cref="For"/> with the user's roles; a string converts to a
/// trusted <see cref="Host"/> actor, which holds every role, so that programs that check their callers themselves
/// (a console tool, a scheduled job, the tests) keep passing a name. <see cref="RegistryOptions.RequireRoles"/>
/// refuses host actors, so that a web app cannot act with a bare string.
/// </summary>
public sealed class Actor
{
    private static readonly FrozenSet<Role> EveryRole = Enum.GetValues<Role>().ToFrozenSet();

    private Actor(string name, FrozenSet<Role> roles, bool isHost, bool isRegistry = false)
    {
        Name = name;
        Roles = roles;
        IsHost = isHost;
        IsRegistry = isRegistry;
    }

    /// <summary>The name the audit trail and the access log record (1 to 200 printable characters).</summary>
    public string Name { get; }

    /// <summary>The roles held; a host actor holds every role.</summary>
    public IReadOnlySet<Role> Roles { get; }

    /// <summary>
    /// Whether this is a trusted host actor (<see cref="Host"/>, or a string given as <c>by</c>): a process that
    /// authenticated its caller itself. Refused when <see cref="RegistryOptions.RequireRoles"/> is set.
    /// </summary>
    public bool IsHost { get; }

    /// <summary>The registry itself (re-applying the withdrawal ledger at open, sign-in bookkeeping): never refused.</summary>
    internal bool IsRegistry { get; }

    /// <summary>A person signed in by the host, with the roles the host gives them.</summary>
    /// <param name="name">Their user name, for the audit trail: 1 to 200 printable characters.</param>
    /// <param name="roles">Their roles (none is allowed: such an actor may do nothing).</param>
    /// <returns>The actor.</returns>
    /// <exception cref="RegistryValidationException">The name is blank, too long or holds a control character, or a role is not defined.</exception>
    public static Actor For(string name, params Role[] roles)
    {
        var checkedName = Guard.Actor(name);
        Guard.NotNull(roles, nameof(roles), "give the actor's roles (an empty list for none)");
        foreach (var role in roles)
        {
            if (!Enum.IsDefined(role))
            {
                throw new RegistryValidationException(nameof(roles), ((int)role).ToString(System.Globalization.CultureInfo.InvariantCulture), "is not a role", $"use {string.Join(", ", Enum.GetNames<Role>())}");
            }
        }

        return new Actor(checkedName, roles.ToFrozenSet(), isHost: false);
    }

    /// <summary>
    /// A trusted host actor: a process that authenticated its caller itself (a console tool, a scheduled job) and holds
    /// every role. Refused when <see cref="RegistryOptions.RequireRoles"/> is set.
    /// </summary>
    /// <param name="name">Who acts, for the audit trail: 1 to 200 printable characters.</param>
    /// <returns>The actor.</returns>
    /// <exception cref="RegistryValidationException">The name is blank, too long or holds a control character.</exception>
    public static Actor Host(string name) => new(Guard.Actor(name), EveryRole, isHost: true);

    /// <summary>The registry acting on its own (<see cref="IsRegistry"/>), with a name for the audit trail.</summary>
    internal static Actor Registry(string name) => new(name, EveryRole, isHost: false, isRegistry: true);

    /// <summary>
    /// A name given as <c>by</c> becomes a trusted <see cref="Host"/> actor. The name is checked by the verb it is given
    /// to (a <see cref="RegistryValidationException"/> for <c>by</c>), not here; null stays null, and the verb refuses it.
    /// </summary>
    /// <param name="name">Who acts.</param>
    public static implicit operator Actor(string name) => name is null ? null! : new(name, EveryRole, isHost: true);

    /// <summary>Whether the actor holds <paramref name="role"/>.</summary>
    /// <param name="role">The role.</param>
    /// <returns>True when held.</returns>
    public bool Holds(Role role) => Roles.Contains(role);

    /// <summary>The name and the roles: <c>lab.zhao (Lab)</c>, <c>tour (host)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Name} ({Describe(this)})";

    /// <summary>The roles as a message names them: "host", "no role", or "Lab, Viewer".</summary>
    internal static string Describe(Actor actor) =>
        actor.IsRegistry ? "registry" : actor.IsHost ? "host" : actor.Roles.Count == 0 ? "no role" : string.Join(", ", actor.Roles.Order());
}
