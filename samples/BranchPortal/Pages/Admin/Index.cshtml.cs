using BranchPortal.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BranchPortal.Pages.Admin;

/// <summary>The accounts: name, display name, roles, failed sign-ins, locked until, disabled; each opens its page.</summary>
/// <param name="accounts">The accounts.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
public sealed class IndexModel(IAccountStore accounts, PortalContext context, TimeProvider time) : PageModel
{
    /// <summary>The accounts.</summary>
    public IReadOnlyList<PortalAccount> Accounts { get; private set; } = [];

    /// <summary>Now.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>Reads the accounts.</summary>
    public void OnGet()
    {
        Now = time.GetUtcNow();
        Accounts = accounts.FindAll();
    }
}
