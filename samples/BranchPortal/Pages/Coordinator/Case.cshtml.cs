using BranchPortal.Demo;
using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Workflows.DonorCare;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Coordinator;

/// <summary>
/// One match case: its stage and each next step as a form (<see cref="CaseOperations"/>; a decline or cancellation
/// with its reason, the confirmatory typing, the day of collection), and once collected the donation record
/// (<see cref="CareWorkflows.RecordDonationAsync"/>, which starts the donor's care workflow).
/// </summary>
/// <param name="cases">The registry's cases.</param>
/// <param name="care">The registry's donor care.</param>
/// <param name="careWorkflows">The care workflows.</param>
/// <param name="people">Names for the pages.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
/// <param name="t">The strings.</param>
public sealed class CaseModel(CaseOperations cases, CareOperations care, CareWorkflows careWorkflows, PersonalDataDisplay people, PortalContext context, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The case.</summary>
    public MatchCase? Case { get; private set; }

    /// <summary>The donor's name as shown.</summary>
    public ShownPerson? Person { get; private set; }

    /// <summary>The donation recorded for this case, if any.</summary>
    public DonationRecord? Donation { get; private set; }

    /// <summary>The reason of a decline or cancellation.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The confirmatory typing, as genotypes.</summary>
    [BindProperty]
    public string? CtTyping { get; set; }

    /// <summary>The day of collection.</summary>
    [BindProperty]
    public DateOnly? CollectedOn { get; set; }

    /// <summary>Days of G-CSF (PBSC).</summary>
    [BindProperty]
    public int? GcsfDays { get; set; }

    /// <summary>The collection centre.</summary>
    [BindProperty]
    public string? Centre { get; set; }

    /// <summary>The collection's outcome.</summary>
    [BindProperty]
    public DonationOutcome Outcome { get; set; } = DonationOutcome.Completed;

    /// <summary>Today in the branch.</summary>
    public DateOnly Today => context.DayOf(time.GetUtcNow());

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>Reads the case.</summary>
    /// <param name="id">The case's reference.</param>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet(string id)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        CollectedOn = Today;
        return Page();
    }

    /// <summary>Takes one step of the case.</summary>
    /// <param name="id">The case's reference.</param>
    /// <param name="step">The trigger.</param>
    /// <param name="version">The version the page showed.</param>
    /// <returns>The case's page, or this one with the problem beside its field.</returns>
    public IActionResult OnPostStep(string id, CaseTrigger step, int version)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        var c = Case!.Id;
        var by = PortalActor.Of(User);
        var input = step switch
        {
            CaseTrigger.RecordDecline or CaseTrigger.Cancel => nameof(Reason),
            CaseTrigger.RecordCtTyping => nameof(CtTyping),
            CaseTrigger.RecordCollection => nameof(CollectedOn),
            _ => string.Empty,
        };
        try
        {
            _ = step switch
            {
                CaseTrigger.ContactDonor => cases.ContactDonor(c, by, version),
                CaseTrigger.RecordConsent => cases.RecordConsent(c, by, version),
                CaseTrigger.RecordDecline => cases.RecordDecline(c, Required(Reason, input), by, version),
                CaseTrigger.RequestCtSample => cases.RequestCtSample(c, by, version),
                CaseTrigger.RecordCtTyping => cases.RecordCtTyping(c, new TypingResult(DemoRegistry.Lab, Today, Genotypes.Parse(Required(CtTyping, input))), by, version),
                CaseTrigger.Select => cases.Select(c, by, version),
                CaseTrigger.RequestWorkup => cases.RequestWorkup(c, by, version),
                CaseTrigger.HoldInformationSession => cases.HoldInformationSession(c, by, version),
                CaseTrigger.RecordMedicalExam => cases.RecordMedicalExam(c, by, version),
                CaseTrigger.Clear => cases.Clear(c, by, version),
                CaseTrigger.StartMobilization => cases.StartMobilization(c, by, version),
                CaseTrigger.StartApheresis => cases.StartApheresis(c, by, version),
                CaseTrigger.StartMarrowHarvest => cases.StartMarrowHarvest(c, by, version),
                CaseTrigger.RecordCollection => cases.RecordCollection(c, CollectedOn ?? throw new FormatException(t["Error.Required"]), by, version),
                CaseTrigger.DeliverProduct => cases.DeliverProduct(c, by, version),
                CaseTrigger.Close => cases.Close(c, by, version),
                CaseTrigger.Cancel => cases.Cancel(c, Required(Reason, input), by, version),
                _ => throw new FormatException(step.ToString()),
            };
            TempData["Message"] = t["Case.StepDone", t["CaseTrigger." + step]].Value;
            return Redirect($"/Coordinator/Case/{Uri.EscapeDataString(c.Value)}");
        }
        catch (FormatException e)
        {
            ModelState.AddModelError(input, LibraryErrors.Message(t, e));
        }
        catch (DonorRegistryException e) when (e is RegistryValidationException or DonorRegistry.Hla.HlaParseException)
        {
            ModelState.AddModelError(input, LibraryErrors.Message(t, e));
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
        }

        return Page();
    }

    /// <summary>Records the donation of a collected case and starts the donor's care.</summary>
    /// <param name="id">The case's reference.</param>
    /// <returns>The donation's care page, or this one with the problem beside its field.</returns>
    public async Task<IActionResult> OnPostDonationAsync(string id)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        ModelState.Require(t, nameof(Centre), Centre);

        if (Case!.CollectedOn is not { } collected || Case.Product is not { } product)
        {
            ModelState.AddModelError(string.Empty, t["Case.NotCollected"]);
        }
        else if (ModelState.IsValid)
        {
            try
            {
                var record = await careWorkflows.RecordDonationAsync(Case.DonorId, new DonationDetails(Case.Id, product, collected, collected, product == DonationProduct.Pbsc ? GcsfDays : null, Centre!.Trim(), Outcome), PortalActor.Of(User));
                TempData["Message"] = t["Donation.Recorded", record.Id].Value;
                return Redirect($"/Coordinator/Care/{record.Id}");
            }
            catch (RegistryValidationException e)
            {
                ModelState.AddModelError(e.Field.Contains("Gcsf", StringComparison.OrdinalIgnoreCase) ? nameof(GcsfDays) : e.Field.Contains("Centre", StringComparison.OrdinalIgnoreCase) ? nameof(Centre) : string.Empty, LibraryErrors.Message(t, e));
            }
            catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
            {
                ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
            }
        }

        return Page();
    }

    private string Required(string? value, string input) =>
        string.IsNullOrWhiteSpace(value) ? throw new FormatException(t["Error.Required"].Value) : value.Trim();

    private bool Load(string id)
    {
        try
        {
            if (!cases.TryGet(new CaseReference(id), out var found))
            {
                return false;
            }

            Case = found;
        }
        catch (RegistryValidationException)
        {
            return false;
        }

        Person = people.Show(User, Case.DonorId);
        Donation = care.FindByDonor(Case.DonorId).FirstOrDefault(r => r.Details.Case == Case.Id);
        return true;
    }
}
