using BranchPortal.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace BranchPortal.Security;

/// <summary>The authorization policies, one per page folder.</summary>
public static class PortalPolicies
{
    /// <summary>/Organizer: drives, lectures, enrolment.</summary>
    public const string Organizer = nameof(Organizer);

    /// <summary>/Lab: samples and typing results.</summary>
    public const string Lab = nameof(Lab);

    /// <summary>/Coordinator: searches, cases, care.</summary>
    public const string Coordinator = nameof(Coordinator);

    /// <summary>/Admin: accounts.</summary>
    public const string Administrator = nameof(Administrator);

    /// <summary>/Reports: every role that reads figures (the lab excepted).</summary>
    public const string Reports = nameof(Reports);

    /// <summary>Adds the policies.</summary>
    /// <param name="options">The authorization options.</param>
    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Organizer, p => p.RequireRole(nameof(PortalRole.Organizer)));
        options.AddPolicy(Lab, p => p.RequireRole(nameof(PortalRole.Lab)));
        options.AddPolicy(Coordinator, p => p.RequireRole(nameof(PortalRole.Coordinator)));
        options.AddPolicy(Administrator, p => p.RequireRole(nameof(PortalRole.Administrator)));
        options.AddPolicy(Reports, p => p.RequireRole(nameof(PortalRole.Viewer), nameof(PortalRole.Coordinator), nameof(PortalRole.Organizer), nameof(PortalRole.Administrator)));

        // Every page needs a signed-in user unless it says [AllowAnonymous] (sign-in, language, status pages, /healthz).
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
