using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Donors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Coordinator;

/// <summary>A typed donor waiting to be listed, as the page shows them.</summary>
/// <param name="Donor">The donor.</param>
/// <param name="Name">The name (or the erased marker).</param>
/// <param name="CanList">Whether listing is allowed now.</param>
/// <param name="Blocked">Why not, when it is not.</param>
public sealed record TypedDonor(Donor Donor, string Name, bool CanList, string Blocked);

/// <summary>The typed donors not yet listed (drives that list by hand, or donors typed outside a drive); lists one.</summary>
/// <param name="donors">The registry's donors.</param>
/// <param name="people">Names for the pages.</param>
/// <param name="t">The strings.</param>
public sealed class TypedModel(DonorOperations donors, PersonalDataDisplay people, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The typed donors, oldest enrolment first.</summary>
    public IReadOnlyList<TypedDonor> Donors { get; private set; } = [];

    /// <summary>Reads the typed donors.</summary>
    public void OnGet() => Load();

    /// <summary>Lists a typed donor (<see cref="DonorOperations.List"/>).</summary>
    /// <param name="donor">The donor's number.</param>
    /// <param name="version">The version the page showed (a concurrent change is refused).</param>
    /// <returns>This page.</returns>
    public IActionResult OnPostList(string donor, int version)
    {
        if (!DonorId.TryParse(donor, out var id))
        {
            return BadRequest();
        }

        try
        {
            donors.List(id, PortalActor.Of(User), version);
            TempData["Message"] = t["Typed.Listed", id.ToString()].Value;
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            TempData["Problem"] = LibraryErrors.Message(t, e);
        }

        return Redirect("/Coordinator/Typed");
    }

    private void Load() =>
        Donors = [.. donors.FindByState(DonorState.Typed)
            .OrderBy(d => d.EnrolledAt)
            .Select(d =>
            {
                var list = donors.GetPermittedActions(d.Id).FirstOrDefault(a => a.Trigger == DonorTrigger.List);
                return new TypedDonor(d, people.Show(User, d.Id).Name ?? t["Person.Erased"].Value, list?.IsAllowed == true, LibraryErrors.Blocked(t, list?.Guards ?? []));
            })];
}
