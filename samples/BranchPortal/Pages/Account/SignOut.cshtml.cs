using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BranchPortal.Pages.Account;

/// <summary>Signs out (a post, so that no link or image can sign anyone out).</summary>
public sealed class SignOutModel : PageModel
{
    /// <summary>Shows a button that signs out.</summary>
    public void OnGet()
    {
    }

    /// <summary>Signs out and goes to the sign-in page.</summary>
    /// <returns>A redirect.</returns>
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage("/Account/SignIn");
    }
}
