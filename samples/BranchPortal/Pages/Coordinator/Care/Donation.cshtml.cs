using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Care;
using DonorRegistry.Workflows.DonorCare;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Coordinator.Care;

/// <summary>
/// One donation's care, through <see cref="CareWorkflows"/>: its follow-up schedule with a form for each check due,
/// its appreciation visits (慰问) recorded or skipped, the donor's publicity consent, and recognition, offered only
/// when the donor consents (<see cref="CareOperations.HasPublicityConsent"/>).
/// </summary>
/// <param name="care">The registry's donor care.</param>
/// <param name="workflows">The care workflows.</param>
/// <param name="people">Names for the pages.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
/// <param name="t">The strings.</param>
public sealed class DonationModel(CareOperations care, CareWorkflows workflows, PersonalDataDisplay people, PortalContext context, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The donation.</summary>
    public DonationRecord? Record { get; private set; }

    /// <summary>The donor as shown.</summary>
    public ShownPerson? Person { get; private set; }

    /// <summary>Whether the donor consents to publicity.</summary>
    public bool Consents { get; private set; }

    /// <summary>Today in the branch.</summary>
    public DateOnly Today => context.DayOf(time.GetUtcNow());

    /// <summary>The check or visit a form is about.</summary>
    [BindProperty]
    public string? Key { get; set; }

    /// <summary>The day it was done.</summary>
    [BindProperty]
    public DateOnly? On { get; set; }

    /// <summary>The donor's health at a check.</summary>
    [BindProperty]
    public DonorHealth Health { get; set; } = DonorHealth.Well;

    /// <summary>Notes, gifts or a skip's reason.</summary>
    [BindProperty]
    public string? Notes { get; set; }

    /// <summary>The recognition's kind.</summary>
    [BindProperty]
    public RecognitionKind Kind { get; set; } = RecognitionKind.Certificate;

    /// <summary>The recognition's title.</summary>
    [BindProperty]
    public string? Honour { get; set; }

    /// <summary>The form whose problem the page shows (its key in the model state).</summary>
    public string? FailedForm { get; private set; }

    /// <summary>Reads the donation.</summary>
    /// <param name="id">The donation's id.</param>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet(string id) => Load(id) ? Page() : NotFound();

    /// <summary>Records a follow-up check.</summary>
    /// <param name="id">The donation's id.</param>
    /// <returns>The page.</returns>
    public Task<IActionResult> OnPostFollowUpAsync(string id) =>
        ActAsync(id, "FollowUp", async by => await workflows.RecordFollowUpAsync(Record!.Id, Key!, On ?? Today, Health, null, Blank(Notes), by), "Care.FollowUpDone");

    /// <summary>Records a visit.</summary>
    /// <param name="id">The donation's id.</param>
    /// <returns>The page.</returns>
    public Task<IActionResult> OnPostVisitAsync(string id) =>
        ActAsync(id, "Visit", async by => await workflows.RecordVisitAsync(Record!.Donor, Key!, On ?? Today, Blank(Notes), null, by), "Care.VisitDone");

    /// <summary>Skips a visit, with its reason.</summary>
    /// <param name="id">The donation's id.</param>
    /// <returns>The page.</returns>
    public Task<IActionResult> OnPostSkipAsync(string id) =>
        ActAsync(id, "Skip", async by => await workflows.SkipVisitAsync(Record!.Donor, Key!, Notes ?? string.Empty, by), "Care.VisitSkipped");

    /// <summary>Records the donor's consent to publicity.</summary>
    /// <param name="id">The donation's id.</param>
    /// <returns>The page.</returns>
    public Task<IActionResult> OnPostConsentAsync(string id) =>
        ActAsync(id, "Consent", by =>
        {
            care.GivePublicityConsent(Record!.Donor, by);
            return Task.CompletedTask;
        }, "Care.ConsentDone");

    /// <summary>Approves a recognition (only offered, and only taken, for a consenting donor).</summary>
    /// <param name="id">The donation's id.</param>
    /// <returns>The page.</returns>
    public Task<IActionResult> OnPostRecogniseAsync(string id) =>
        ActAsync(id, "Recognise", async by => await workflows.ApproveRecognitionAsync(Record!.Donor, Kind, Honour ?? string.Empty, On ?? Today, by), "Care.RecognitionDone");

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private async Task<IActionResult> ActAsync(string id, string form, Func<DonorRegistry.Access.Actor, Task> action, string done)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        try
        {
            await action(PortalActor.Of(User));
            TempData["Message"] = t[done, Key ?? string.Empty].Value;
            return Redirect($"/Coordinator/Care/{Record!.Id}");
        }
        catch (Exception e) when (e is DonorRegistryException and not DonorRegistry.Access.AccessDeniedException or TimeoutException)
        {
            // Beside the form it came from: a form is named by its kind and key (FollowUp:D2, Visit:AtDonation).
            FailedForm = $"{form}:{Key}";
            ModelState.AddModelError(FailedForm, LibraryErrors.Message(t, e));
        }

        return Page();
    }

    private bool Load(string id)
    {
        try
        {
            Record = care.Get(id);
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            return false;
        }

        Person = people.Show(User, Record.Donor);
        Consents = care.HasPublicityConsent(Record.Donor);
        return true;
    }
}
