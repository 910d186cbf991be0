using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Coordinator;

/// <summary>
/// A patient search (<see cref="DonorSearch.Find"/>): the patient's typing, the threshold and the mismatches allowed;
/// the ranked results with each position's grade and the threshold named; a case opened from a result
/// (<see cref="CaseOperations.Open"/>). The results show donor numbers, not names.
/// </summary>
/// <param name="search">The registry's search.</param>
/// <param name="cases">The registry's cases.</param>
/// <param name="t">The strings.</param>
public sealed class SearchModel(DonorSearch search, CaseOperations cases, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The patient's typing: genotypes such as A*02:01+A*11:01, separated by spaces or lines.</summary>
    [BindProperty]
    public string? Patient { get; set; }

    /// <summary>The patient's reference at the transplant centre (carried to the case).</summary>
    [BindProperty]
    public string? PatientReference { get; set; }

    /// <summary>The match threshold.</summary>
    [BindProperty]
    public MatchThreshold Threshold { get; set; } = MatchThreshold.PGroup;

    /// <summary>The mismatches allowed over the searched loci.</summary>
    [BindProperty]
    public int MaxMismatches { get; set; } = 2;

    /// <summary>The donor a case is opened for.</summary>
    [BindProperty]
    public string? Donor { get; set; }

    /// <summary>The result, after a search.</summary>
    public SearchResult? Result { get; private set; }

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Searches.</summary>
    /// <returns>The page with the results, or with the problem beside its field.</returns>
    public IActionResult OnPost()
    {
        Run();
        return Page();
    }

    /// <summary>Opens a case for a result's donor and the patient.</summary>
    /// <returns>The case's page, or the results again with the problem.</returns>
    public IActionResult OnPostOpen()
    {
        ModelState.Require(t, nameof(PatientReference), PatientReference);

        if (!DonorId.TryParse(Donor, out var donor))
        {
            return BadRequest();
        }

        if (ModelState.IsValid)
        {
            try
            {
                var opened = cases.Open(donor, PatientReference!.Trim(), PortalActor.Of(User));
                TempData["Message"] = t["Case.Opened", opened.Id.ToString(), donor.ToString()].Value;
                return Redirect($"/Coordinator/Case/{Uri.EscapeDataString(opened.Id.Value)}");
            }
            catch (RegistryValidationException e)
            {
                ModelState.AddModelError(nameof(PatientReference), LibraryErrors.Message(t, e));
            }
            catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
            {
                ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
            }
        }

        Run();
        return Page();
    }

    private void Run()
    {
        if (string.IsNullOrWhiteSpace(Patient))
        {
            ModelState.AddModelError(nameof(Patient), t["Error.Required"]);
            return;
        }

        try
        {
            Result = search.Find(new SearchRequest(HlaTyping.Parse(Patient)) { Threshold = Threshold, MaxMismatches = MaxMismatches }, PortalActor.Of(User));
        }
        catch (HlaParseException e)
        {
            ModelState.AddModelError(nameof(Patient), LibraryErrors.Message(t, e));
        }
        catch (SearchRequestException e)
        {
            ModelState.AddModelError(e.Field == "MaxMismatches" ? nameof(MaxMismatches) : e.Field == "Threshold" ? nameof(Threshold) : nameof(Patient), LibraryErrors.Message(t, e));
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
        }
    }
}
