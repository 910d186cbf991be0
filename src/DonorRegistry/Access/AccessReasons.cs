namespace DonorRegistry.Access;

/// <summary>
/// The reasons the library itself writes on the access log's refusals (<see cref="AccessRecord.Reason"/>), as English
/// text or composite formats, for a host to match a stored reason and show it in its own language. A reason a reader
/// or the host gave is not among them. The stored text is the same as before these constants named it.
/// </summary>
public static class AccessReasons
{
    /// <summary>A host actor (a bare name) refused because the registry requires roles.</summary>
    public const string RolesRequired = "this registry requires roles (RegistryOptions.RequireRoles), and a host actor (a bare name) has none of its own; give Actor.For(name, roles)";

    /// <summary>A page the host refused (<see cref="AccessOperations.RecordDenied(Actor, string, string)"/>): <c>{0}</c> the page, <c>{1}</c> the host's reason.</summary>
    public const string HostPageRefused = "{0}: {1}";

    /// <summary>An actor whose roles do not allow the action: <c>{0}</c> the actor's roles as <see cref="Actor"/> describes them.</summary>
    public const string RolesDoNotAllow = "the actor's roles ({0}) do not allow it";
}
