using BranchPortal.Accounts;
using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Admin;

/// <summary>
/// One user: change the roles (<see cref="UserOperations.SetRoles"/>), disable or enable
/// (<see cref="UserOperations.Disable"/>, <see cref="UserOperations.Enable"/>), reset the password
/// (<see cref="UserOperations.SetPasswordHash"/>, which also ends a lockout), and the account's audit trail
/// (<see cref="UserOperations.GetHistory"/>). Every change is made as the signed-in administrator
/// (<see cref="PortalActor"/>): the library checks the role and its refusals (the last administrator keeps the role and
/// stays enabled) are shown as they are. No password or hash is shown.
/// </summary>
/// <param name="registry">The registry.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
/// <param name="t">The strings.</param>
public sealed class UserModel(Registry registry, PortalContext context, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The account.</summary>
    public UserAccount? Account { get; private set; }

    /// <summary>Its audit trail, newest first.</summary>
    public IReadOnlyList<AuditRecord> History { get; private set; } = [];

    /// <summary>Now.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The version the forms were shown for.</summary>
    [BindProperty]
    public int Version { get; set; }

    /// <summary>The roles ticked.</summary>
    [BindProperty]
    public List<PortalRole> Roles { get; set; } = [];

    /// <summary>The new password.</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>The new password typed again.</summary>
    [BindProperty]
    public string? PasswordAgain { get; set; }

    /// <summary>The library's refusal of one of the page's forms, or null.</summary>
    /// <param name="form">The form: form-roles, form-state or form-password.</param>
    /// <returns>The message, or null.</returns>
    public string? Problem(string form) =>
        ModelState.TryGetValue(form, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>Shows the user.</summary>
    /// <param name="name">The user name.</param>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet(string name) => Load(name, fresh: true) ? Page() : NotFound();

    /// <summary>Replaces the roles.</summary>
    /// <param name="name">The user name.</param>
    /// <returns>This page.</returns>
    public IActionResult OnPostRoles(string name) =>
        Change(name, "form-roles", "Admin.RolesChanged", () => registry.Users.SetRoles(name, AdminForms.ToLibrary(Roles), PortalActor.Of(User), Version));

    /// <summary>Disables the user.</summary>
    /// <param name="name">The user name.</param>
    /// <returns>This page.</returns>
    public IActionResult OnPostDisable(string name) =>
        Change(name, "form-state", "Admin.DisabledDone", () => registry.Users.Disable(name, PortalActor.Of(User), Version));

    /// <summary>Enables the user again.</summary>
    /// <param name="name">The user name.</param>
    /// <returns>This page.</returns>
    public IActionResult OnPostEnable(string name) =>
        Change(name, "form-state", "Admin.EnabledDone", () => registry.Users.Enable(name, PortalActor.Of(User), Version));

    /// <summary>Resets the password; the library ends any lockout with it.</summary>
    /// <param name="name">The user name.</param>
    /// <returns>This page.</returns>
    public IActionResult OnPostPassword(string name)
    {
        if (AdminForms.PasswordProblem(Password, PasswordAgain) is { } problem)
        {
            if (!Load(name, fresh: false))
            {
                return NotFound();
            }

            ModelState.AddModelError(nameof(Password), t[problem, AdminForms.MinPasswordLength]);
            return Page();
        }

        return Change(name, "form-password", "Admin.PasswordReset", () => registry.Users.SetPasswordHash(name, PortalSignIn.Hash(Password!), PortalActor.Of(User), Version));
    }

    private IActionResult Change(string name, string form, string done, Func<UserAccount> change)
    {
        if (!Load(name, fresh: false))
        {
            return NotFound();
        }

        try
        {
            var account = change();
            TempData["Message"] = t[done, account.UserName].Value;
            return Redirect($"/Admin/User/{Uri.EscapeDataString(account.UserName)}");
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            // The library's own words: the last administrator, a stale version, a refusal of the role.
            ModelState.AddModelError(form, LibraryErrors.Message(t, e));
            Load(name, fresh: true);
            return Page();
        }
    }

    private bool Load(string name, bool fresh)
    {
        Now = time.GetUtcNow();
        Account = registry.Users.Find(name);
        if (Account is null)
        {
            return false;
        }

        History = [.. registry.Users.GetHistory(Account.UserName).Reverse()];
        if (fresh)
        {
            Version = Account.Version;
            Roles = AdminForms.ToPortal(Account.Roles);
            ModelState.Remove(nameof(Version));
            ModelState.Remove(nameof(Roles));
        }

        return true;
    }
}
