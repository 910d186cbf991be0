using System.Globalization;
using System.Security.Claims;
using BranchPortal.Accounts;
using BranchPortal.Forms;
using DonorRegistry;
using DonorRegistry.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace BranchPortal.Security;

/// <summary>
/// Every 403 in the library's access log, and the signed-in user's roles as the registry holds them now. A page its
/// folder's policy refuses is recorded with <see cref="AccessOperations.RecordDenied(Actor, string, string)"/> (the path,
/// never the query string, and the roles the page needs); a verb the library refuses inside a page
/// (<see cref="AccessDeniedException"/>, recorded by the library itself) becomes a 403 page instead of a 500.
/// </summary>
public static class ForbiddenAccess
{
    /// <summary>Turns a library refusal that a page did not handle into a 403 (rendered by the status page); put it after authorization.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IApplicationBuilder UseAccessDeniedAsForbidden(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (AccessDeniedException) when (!context.Response.HasStarted)
        {
            // The library stored the refusal in its access log before it threw; nothing was changed.
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    });

    /// <summary>
    /// Checks a sign-in cookie against the registry on every request: an account removed or disabled since signs out,
    /// and changed roles replace the cookie's (renewed), so a role change applies on the user's next request.
    /// </summary>
    /// <param name="context">The cookie's context.</param>
    /// <returns>A task.</returns>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Principal?.Identity?.Name;
        var account = string.IsNullOrWhiteSpace(name) ? null : context.HttpContext.RequestServices.GetRequiredService<IAccountStore>().Find(name);
        if (account is null || account.Disabled)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        var held = context.Principal!.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var now = account.Roles.Select(r => r.ToString()).ToHashSet(StringComparer.Ordinal);
        if (!held.SetEquals(now))
        {
            context.ReplacePrincipal(PortalSignIn.Principal(account));
            context.ShouldRenew = true;
        }
    }

    /// <summary>Records a refused page in the registry's access log, as the signed-in user.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="user">The signed-in user.</param>
    /// <param name="path">The page's path (its query string is never recorded).</param>
    /// <param name="reason">Why the page refused them.</param>
    public static void RecordRefusedPage(Registry registry, ClaimsPrincipal user, PathString path, string reason)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var page = path.HasValue ? path.Value! : "/";
        if (page.Length > AccessOperations.MaxPageLength)
        {
            page = page[..(AccessOperations.MaxPageLength - 1)] + "…";
        }

        try
        {
            registry.Access.RecordDenied(PortalActor.Of(user), page, reason);
        }
        catch (RegistryValidationException)
        {
            // A path no page has (a control character in it): recorded without it.
            registry.Access.RecordDenied(PortalActor.Of(user), "(unprintable path)", reason);
        }
    }

    /// <summary>Why a policy refused: the roles its page needs.</summary>
    /// <param name="result">The policy's result.</param>
    /// <returns>The reason, in English as the library's reasons are.</returns>
    public static string Reason(PolicyAuthorizationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var roles = result.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct().ToList() ?? [];
        return roles.Count == 0
            ? PortalReasons.PolicyRefused
            : string.Format(CultureInfo.InvariantCulture, PortalReasons.PageNeedsRole, string.Join(" or ", roles));
    }

    /// <summary>Records each page the authorization policy refuses (403) before the refusal is answered; anything else as ASP.NET Core does.</summary>
    /// <param name="registry">The registry.</param>
    public sealed class ResultHandler(Registry registry) : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        /// <inheritdoc />
        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            ArgumentNullException.ThrowIfNull(context);
            ArgumentNullException.ThrowIfNull(authorizeResult);
            if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
            {
                RecordRefusedPage(registry, context.User, context.Request.Path, Reason(authorizeResult));
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
