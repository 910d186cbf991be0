namespace DonorRegistry.Access;

/// <summary>
/// Thrown when an actor may not take an action: none of their roles allows it (<see cref="PermissionPolicy"/>), or the
/// registry requires roles (<see cref="RegistryOptions.RequireRoles"/>) and the actor is a trusted host actor. The
/// message names the actor, the action and the roles that would allow it. Nothing is stored but the refusal itself,
/// in the access log (<see cref="AccessOperations"/>).
/// </summary>
public sealed class AccessDeniedException : DonorRegistryException
{
    internal AccessDeniedException(Actor actor, RegistryAction action, IReadOnlyList<Role> allowedRoles, string reason)
        : base(Describe(actor, action, allowedRoles, reason))
    {
        ActorName = actor.Name;
        Action = action;
        AllowedRoles = allowedRoles;
        Reason = reason;
    }

    /// <summary>The name of the actor refused.</summary>
    public string ActorName { get; }

    /// <summary>The action refused.</summary>
    public RegistryAction Action { get; }

    /// <summary>The roles that would allow it (empty when no role may).</summary>
    public IReadOnlyList<Role> AllowedRoles { get; }

    /// <summary>Why it was refused.</summary>
    public string Reason { get; }

    private static string Describe(Actor actor, RegistryAction action, IReadOnlyList<Role> roles, string reason)
    {
        var allow = roles.Count == 0 ? "no role may take it" : $"it needs the role {string.Join(" or ", roles)}";
        return $"'{Guard.Prefix(actor.Name)}' ({Actor.Describe(actor)}) may not {action}: {reason}; {allow}.";
    }
}
