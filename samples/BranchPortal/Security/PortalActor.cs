using System.Security.Claims;
using DonorRegistry.Access;

namespace BranchPortal.Security;

/// <summary>The library's actor for a signed-in user: the name and the roles of the sign-in cookie's claims.</summary>
public static class PortalActor
{
    /// <summary>The actor of a request's user.</summary>
    /// <param name="user">The signed-in user.</param>
    /// <returns>The actor, with every role claim the library knows.</returns>
    /// <exception cref="InvalidOperationException">Nobody is signed in (the page's policy lets no such request through).</exception>
    public static Actor Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = user.Identity?.IsAuthenticated == true && !string.IsNullOrWhiteSpace(user.Identity.Name)
            ? user.Identity.Name
            : throw new InvalidOperationException("A page acted on the registry without a signed-in user (its folder's policy lets no such request through).");
        var roles = user.FindAll(ClaimTypes.Role).Select(c => Enum.TryParse<Role>(c.Value, out var role) ? role : (Role?)null).OfType<Role>().Distinct();
        return Actor.For(name, [.. roles]);
    }
}
