using System.Globalization;

namespace DonorRegistry.Access;

/// <summary>
/// The one check of who may do what: the actor's name (as <c>by</c> always was), host actors under
/// <see cref="RegistryOptions.RequireRoles"/>, then the <see cref="PermissionPolicy"/>. A refusal is queued for the
/// access log and thrown as <see cref="AccessDeniedException"/> before anything is stored.
/// </summary>
internal sealed class AccessControl(PermissionPolicy policy, bool requireRoles, AccessLogWriter log, TimeProvider time)
{
    /// <summary>The host itself, for a read verb given no actor: a host actor, refused under <see cref="RegistryOptions.RequireRoles"/>.</summary>
    public static readonly Actor HostItself = Actor.Host("host");

    /// <summary>The longest record id an access-log entry keeps.</summary>
    public const int MaxId = 64;

    public PermissionPolicy Policy { get; } = policy;

    public AccessLogWriter Log { get; } = log;

    /// <summary>Checks that <paramref name="by"/> may take <paramref name="action"/>; returns the actor's checked name.</summary>
    /// <exception cref="RegistryValidationException">The actor is missing or its name is not allowed.</exception>
    /// <exception cref="AccessDeniedException">The actor may not.</exception>
    public string Check(Actor? by, RegistryAction action, AggregateKind? kind = null, string? id = null)
    {
        var name = Guard.Actor(by);
        if (by.IsRegistry)
        {
            return name;
        }

        if (by.IsHost && requireRoles)
        {
            throw Deny(by, name, action, kind, id, AccessReasons.RolesRequired);
        }

        if (!Policy.IsAllowed(by, action))
        {
            throw Deny(by, name, action, kind, id, string.Format(CultureInfo.CurrentCulture, AccessReasons.RolesDoNotAllow, Actor.Describe(by)));
        }

        return name;
    }

    /// <summary>
    /// For a read that masks what a role may not see (personal data): checks the actor as <see cref="Check"/> does but
    /// refuses only a host actor under <see cref="RegistryOptions.RequireRoles"/>; returns the checked name and whether
    /// the actor's roles allow the whole data.
    /// </summary>
    public (string Name, bool Whole) CheckReveal(Actor? by, RegistryAction action, AggregateKind? kind, string? id)
    {
        var name = Guard.Actor(by);
        if (by.IsHost && requireRoles && !by.IsRegistry)
        {
            throw Deny(by, name, action, kind, id, AccessReasons.RolesRequired);
        }

        return (name, by.IsRegistry || Policy.IsAllowed(by, action));
    }

    /// <summary>Records an allowed access (a personal-data read) before its data is returned.</summary>
    public void Record(Actor by, string name, RegistryAction action, AggregateKind? kind, string? id, AccessOutcome outcome, string reason) =>
        Log.AddNow(Entry(by, name, action, kind, id, outcome, reason));

    /// <summary>Queues a refusal the host decided (<see cref="AccessOperations.RecordDenied(Actor, string, string)"/>), as a refusal of a verb is queued.</summary>
    public void RecordHostRefusal(Actor by, string name, RegistryAction action, string reason) =>
        Log.Add(Entry(by, name, action, null, null, AccessOutcome.Denied, reason));

    private AccessDeniedException Deny(Actor by, string name, RegistryAction action, AggregateKind? kind, string? id, string reason)
    {
        Log.Add(Entry(by, name, action, kind, id, AccessOutcome.Denied, reason));
        return new AccessDeniedException(by, action, Policy.RolesFor(action), reason);
    }

    // A refusal comes before the verb checks its arguments: the id is kept as a message would quote it (at most 64
    // characters, control characters and lone surrogates escaped), so no caller's value can make the entry unstorable.
    private AccessRecord Entry(Actor by, string name, RegistryAction action, AggregateKind? kind, string? id, AccessOutcome outcome, string reason) =>
        new(time.GetUtcNow(), name, [.. by.Roles.Order()], by.IsHost, action, kind, Guard.Prefix(id, MaxId), outcome, reason);
}
