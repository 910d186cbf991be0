using BranchPortal.Forms;
using DonorRegistry;
using DonorRegistry.Donors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Coordinator;

/// <summary>The coordinator's desk: the typed donors waiting to be listed, and a donor found by number or ID number.</summary>
/// <param name="donors">The registry's donors.</param>
/// <param name="t">The strings.</param>
public sealed class IndexModel(DonorOperations donors, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>A donor number (DR-00000042) or a resident ID number.</summary>
    [BindProperty]
    public string? Find { get; set; }

    /// <summary>How many typed donors wait to be listed.</summary>
    public int Typed { get; private set; }

    /// <summary>Counts the typed donors.</summary>
    public void OnGet() => Typed = donors.FindByState(DonorState.Typed).Count;

    /// <summary>Finds the donor and opens their page.</summary>
    /// <returns>The donor's page, or this one with the problem beside the field.</returns>
    public IActionResult OnPost()
    {
        Typed = donors.FindByState(DonorState.Typed).Count;
        var text = Find?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            ModelState.AddModelError(nameof(Find), t["Error.Required"]);
            return Page();
        }

        try
        {
            if (DonorId.TryParse(text, out var id) && donors.TryGet(id, out _))
            {
                return Redirect($"/Coordinator/Donor/{id}");
            }

            if (text.Length == 18 && donors.FindByNationalId(text) is { } found)
            {
                return Redirect($"/Coordinator/Donor/{found}");
            }
        }
        catch (RegistryValidationException e)
        {
            ModelState.AddModelError(nameof(Find), LibraryErrors.Message(t, e));
            return Page();
        }

        ModelState.AddModelError(nameof(Find), t["Donor.NotFound", text]);
        return Page();
    }
}
