using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Donors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Coordinator;

/// <summary>
/// A donor's withdrawal, after a confirmation step (<see cref="DonorOperations.Withdraw"/>): the library destroys
/// the donor's personal-data key, so name, ID number and phone are gone from every page; the anonymous history stays.
/// </summary>
/// <param name="donors">The registry's donors.</param>
/// <param name="people">Names for the pages.</param>
/// <param name="t">The strings.</param>
public sealed class WithdrawModel(DonorOperations donors, PersonalDataDisplay people, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The donor.</summary>
    public Donor? Donor { get; private set; }

    /// <summary>The person as shown.</summary>
    public ShownPerson? Person { get; private set; }

    /// <summary>The version the confirmation was shown for.</summary>
    [BindProperty]
    public int Version { get; set; }

    /// <summary>The coordinator confirms the donor asked to withdraw.</summary>
    [BindProperty]
    public bool Confirm { get; set; }

    /// <summary>Shows the confirmation.</summary>
    /// <param name="id">The donor's number.</param>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet(string id)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        Version = Donor!.Version;
        return Page();
    }

    /// <summary>Withdraws the donor once confirmed.</summary>
    /// <param name="id">The donor's number.</param>
    /// <returns>The donor's page, or this one with the problem.</returns>
    public IActionResult OnPost(string id)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        if (!Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), t["Withdraw.ConfirmRequired"]);
            return Page();
        }

        try
        {
            donors.Withdraw(Donor!.Id, PortalActor.Of(User), Version);
            TempData["Message"] = t["Withdraw.Done", Donor.Id.ToString()].Value;
            return Redirect($"/Coordinator/Donor/{Donor.Id}");
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
            return Page();
        }
    }

    private bool Load(string id)
    {
        if (!DonorId.TryParse(id, out var donorId) || !donors.TryGet(donorId, out var donor))
        {
            return false;
        }

        Donor = donor;
        Person = people.Show(User, donor.Id);
        return true;
    }
}
