using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BranchPortal.Pages;

/// <summary>The language switch: keeps the choice in the culture cookie and goes back to the page it came from.</summary>
public sealed class CultureModel : PageModel
{
    /// <summary>Nothing to show: the switch is a form in the layout.</summary>
    /// <returns>A redirect home.</returns>
    public IActionResult OnGet() => LocalRedirect("/");

    /// <summary>Sets the language.</summary>
    /// <param name="culture">zh-CN or en.</param>
    /// <param name="returnUrl">The page to go back to (local only).</param>
    /// <returns>A redirect.</returns>
    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        var chosen = PortalApp.Cultures.FirstOrDefault(c => string.Equals(c.Name, culture, StringComparison.OrdinalIgnoreCase)) ?? PortalApp.Cultures[0];
        Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Expires = DateTimeOffset.UnixEpoch.AddYears(100), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
