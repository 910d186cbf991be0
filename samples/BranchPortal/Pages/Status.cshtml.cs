using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages;

/// <summary>The page shown for 400, 403, 404 and 500 (re-executed at the failing address, which keeps its status).</summary>
/// <param name="t">The strings.</param>
[IgnoreAntiforgeryToken]
public sealed class StatusModel(IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The status code.</summary>
    [BindProperty(SupportsGet = true)]
    public int Code { get; set; }

    /// <summary>The heading.</summary>
    public string Title => Status switch
    {
        400 => t["Status.400"],
        403 => t["Status.403"],
        404 => t["Status.404"],
        _ => t["Status.500"],
    };

    /// <summary>What it means for the user.</summary>
    public string Explanation => Status switch
    {
        400 => t["Status.400.Text"],
        403 => t["Status.403.Text"],
        404 => t["Status.404.Text"],
        _ => t["Status.500.Text"],
    };

    /// <summary>The status shown: the one asked for, or the response's own (500 after an exception).</summary>
    private int Status => Code != 0 ? Code : Response.StatusCode;

    /// <summary>Renders the page, for any method (a refused post is re-executed here as a post).</summary>
    public void OnGet()
    {
    }

    /// <summary>Renders the page for a re-executed post.</summary>
    public void OnPost()
    {
    }
}
