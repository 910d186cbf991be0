using BranchPortal.Accounts;
using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Admin;

/// <summary>
/// Adds a user (<see cref="UserOperations.Add"/>) as the signed-in administrator: the library checks the role itself,
/// and its validation messages go beside their fields. The password is typed twice and only its hash
/// (<see cref="PortalSignIn.Hash"/>) leaves this page; it is never shown again, not even on a refused form.
/// </summary>
/// <param name="registry">The registry.</param>
/// <param name="t">The strings.</param>
public sealed class AddModel(Registry registry, IStringLocalizer<SharedResource> t) : PageModel
{
    private static readonly Dictionary<string, string> Inputs = new(StringComparer.Ordinal)
    {
        ["userName"] = nameof(UserName),
        ["displayName"] = nameof(DisplayName),
        ["roles"] = nameof(Roles),
        ["passwordHash"] = nameof(Password),
    };

    /// <summary>The sign-in name.</summary>
    [BindProperty]
    public string? UserName { get; set; }

    /// <summary>The name shown on pages.</summary>
    [BindProperty]
    public string? DisplayName { get; set; }

    /// <summary>The roles ticked.</summary>
    [BindProperty]
    public List<PortalRole> Roles { get; set; } = [];

    /// <summary>The initial password.</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>The initial password typed again.</summary>
    [BindProperty]
    public string? PasswordAgain { get; set; }

    /// <summary>Shows the empty form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Adds the user.</summary>
    /// <returns>The user's page, or this form with the problems.</returns>
    public IActionResult OnPost()
    {
        ModelState.Require(t, nameof(UserName), UserName);
        ModelState.Require(t, nameof(DisplayName), DisplayName);

        if (AdminForms.PasswordProblem(Password, PasswordAgain) is { } problem)
        {
            ModelState.AddModelError(nameof(Password), t[problem, AdminForms.MinPasswordLength]);
        }

        if (!ModelState.IsValid)
        {
            return Refused();
        }

        try
        {
            var account = registry.Users.Add(UserName!, DisplayName!, AdminForms.ToLibrary(Roles), PortalSignIn.Hash(Password!), PortalActor.Of(User));
            TempData["Message"] = t["Admin.Added", account.UserName].Value;
            return Redirect($"/Admin/User/{Uri.EscapeDataString(account.UserName)}");
        }
        catch (RegistryValidationException e)
        {
            LibraryErrors.Add(ModelState, t, e, Inputs);
        }
        catch (DuplicateUserException e)
        {
            ModelState.AddModelError(nameof(UserName), LibraryErrors.Message(t, e));
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
        }

        return Refused();
    }

    // A refused form never sends the password back: the password inputs render no value.
    private PageResult Refused() => Page();
}
