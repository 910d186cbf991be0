using DonorRegistry.Drives;
using DonorRegistry.Samples;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BranchPortal.Pages.Lab;

/// <summary>The lab's desk: the shipments (to receive, with tubes waiting for results) and the results upload.</summary>
/// <param name="drives">The registry's drives.</param>
/// <param name="samples">The registry's samples.</param>
/// <param name="context">The process.</param>
public sealed class IndexModel(DriveOperations drives, SampleOperations samples, PortalContext context) : PageModel
{
    /// <summary>The shipments, newest first.</summary>
    public IReadOnlyList<LabShipment> Shipments { get; private set; } = [];

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>Reads the shipments.</summary>
    public void OnGet() => Shipments = LabData.Shipments(drives, samples);
}
