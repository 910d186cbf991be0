using DonorRegistry.Samples;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BranchPortal.Pages.Organizer;

/// <summary>A shipment's manifest, to print and put in the box: its tubes by barcode, with donor and kind (no names).</summary>
/// <param name="samples">The registry's samples.</param>
/// <param name="context">The process.</param>
public sealed class ManifestModel(SampleOperations samples, PortalContext context) : PageModel
{
    /// <summary>The shipment.</summary>
    public Shipment? Shipment { get; private set; }

    /// <summary>Its tubes, in manifest order.</summary>
    public IReadOnlyList<Sample> Tubes { get; private set; } = [];

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>Reads the shipment.</summary>
    /// <param name="id">The shipment's id.</param>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet(string id)
    {
        if (samples.FindShipment(id) is not { } shipment)
        {
            return NotFound();
        }

        Shipment = shipment;
        Tubes = [.. shipment.Barcodes.Select(samples.Get)];
        return Page();
    }
}
