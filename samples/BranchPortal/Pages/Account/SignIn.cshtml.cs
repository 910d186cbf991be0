using BranchPortal.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Account;

/// <summary>Sign-in with user name and password; five wrong passwords in a row lock the account.</summary>
/// <param name="signIn">The password check.</param>
/// <param name="context">The process.</param>
/// <param name="t">The strings.</param>
/// <param name="logger">The log.</param>
public sealed partial class SignInModel(PortalSignIn signIn, PortalContext context, IStringLocalizer<SharedResource> t, ILogger<SignInModel> logger) : PageModel
{
    /// <summary>The name typed.</summary>
    [BindProperty]
    public string? UserName { get; set; }

    /// <summary>The password typed (never shown again).</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>Where to go after signing in (a local address only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Why the sign-in was refused.</summary>
    public string? Problem { get; private set; }

    /// <summary>True for the demo registry (the page points at the demo accounts).</summary>
    public bool IsDemo => context.IsDemo;

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Checks the password and signs in.</summary>
    /// <returns>The page, or a redirect.</returns>
    public async Task<IActionResult> OnPostAsync()
    {
        var (outcome, user) = signIn.Check(UserName, Password);
        Password = null;
        SignInLogged(logger, UserName ?? string.Empty, outcome);
        switch (outcome)
        {
            case SignInOutcome.Succeeded:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, user!);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            case SignInOutcome.LockedOut:
                Problem = t["SignIn.LockedOut", (int)PortalApp.LockoutDuration.TotalMinutes];
                return Page();
            default:
                Problem = t["SignIn.Failed"];
                return Page();
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Sign-in of {UserName}: {Outcome}")]
    private static partial void SignInLogged(ILogger logger, string userName, SignInOutcome outcome);
}
