using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.CampusDrive;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Lab;

/// <summary>
/// One shipment at the lab: its tubes; the receipt of the tubes still in transit (through the drive's workflow when
/// it waits for the receipt, else <see cref="SampleOperations.ReceiveShipment"/>); a tube's rejection with a reason.
/// </summary>
/// <param name="samples">The registry's samples.</param>
/// <param name="workflows">The drive workflows.</param>
/// <param name="people">Each tube's donor as the signed-in user may see them (masked for the lab: 张*, 110***********1234).</param>
/// <param name="context">The process.</param>
/// <param name="t">The strings.</param>
public sealed class ShipmentModel(SampleOperations samples, DriveWorkflows workflows, PersonalDataDisplay people, PortalContext context, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The shipment.</summary>
    public Shipment? Shipment { get; private set; }

    /// <summary>Its tubes, in manifest order.</summary>
    public IReadOnlyList<Sample> Tubes { get; private set; } = [];

    /// <summary>Each tube's donor as the signed-in user may see them, by donor.</summary>
    public IReadOnlyDictionary<DonorRegistry.Donors.DonorId, ShownPerson> People { get; private set; } = new Dictionary<DonorRegistry.Donors.DonorId, ShownPerson>();

    /// <summary>The tube to reject.</summary>
    [BindProperty]
    public string? RejectBarcode { get; set; }

    /// <summary>Why it is rejected.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>Reads the shipment.</summary>
    /// <param name="id">The shipment's id.</param>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet(string id) => Load(id) ? Page() : NotFound();

    /// <summary>Records the receipt of the tubes still in transit.</summary>
    /// <param name="id">The shipment's id.</param>
    /// <returns>The shipment's page.</returns>
    public async Task<IActionResult> OnPostReceiveAsync(string id)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        var shipped = Tubes.Where(s => s.State == SampleState.Shipped).Select(s => s.Barcode).ToList();
        try
        {
            if (shipped.Count == 0)
            {
                TempData["Problem"] = t["Lab.NothingToReceive"].Value;
            }
            else if (Tubes[0].Drive is { } drive && LabData.ExpectsResults(workflows, drive) && workflows.GetProgress(drive).NextEvent == DriveEvents.SamplesReceived)
            {
                await workflows.RecordSamplesReceivedAsync(drive, PortalActor.Of(User), shipped);
                TempData["Message"] = t["Lab.ReceivedDone", shipped.Count].Value;
            }
            else
            {
                var receipt = samples.ReceiveShipment(Shipment!.Id, PortalActor.Of(User), shipped);
                TempData["Message"] = t["Lab.ReceivedDone", receipt.Received.Count].Value;
            }
        }
        catch (Exception e) when (e is DonorRegistryException and not DonorRegistry.Access.AccessDeniedException or TimeoutException)
        {
            TempData["Problem"] = LibraryErrors.Message(t, e);
        }

        return Redirect($"/Lab/Shipment/{Shipment!.Id}");
    }

    /// <summary>Rejects a tube with a reason; the reason's problem is shown beside it.</summary>
    /// <param name="id">The shipment's id.</param>
    /// <returns>The shipment's page, or the page again with the problem.</returns>
    public IActionResult OnPostReject(string id)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        if (RejectBarcode is null || !Shipment!.Barcodes.Contains(RejectBarcode, StringComparer.Ordinal))
        {
            return BadRequest();
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            ModelState.AddModelError(nameof(Reason), t["Error.Required"]);
            return Page();
        }

        try
        {
            samples.Reject(RejectBarcode, Reason, PortalActor.Of(User));
            TempData["Message"] = t["Lab.RejectedDone", RejectBarcode].Value;
            return Redirect($"/Lab/Shipment/{Shipment.Id}");
        }
        catch (RegistryValidationException e)
        {
            ModelState.AddModelError(nameof(Reason), LibraryErrors.Message(t, e));
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
        }

        return Page();
    }

    private bool Load(string id)
    {
        if (samples.FindShipment(id) is not { } shipment)
        {
            return false;
        }

        Shipment = shipment;
        Tubes = [.. shipment.Barcodes.Select(samples.Get)];
        People = Tubes.Select(tube => tube.DonorId).Distinct().ToDictionary(donor => donor, donor => people.Show(User, donor, PortalReasons.ShownOnAPage));
        return true;
    }
}
