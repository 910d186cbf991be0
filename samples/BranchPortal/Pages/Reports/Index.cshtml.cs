using DonorRegistry.Drives;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BranchPortal.Pages.Reports;

/// <summary>Each drive's funnel; the branch's reports (per year, per place, exports, charts) come later.</summary>
/// <param name="drives">The registry's drives.</param>
public sealed class IndexModel(DriveOperations drives) : PageModel
{
    /// <summary>The funnels, by drive code.</summary>
    public IReadOnlyList<DriveStatistics> Funnels { get; private set; } = [];

    /// <summary>Reads the funnels.</summary>
    public void OnGet() =>
        Funnels = [.. drives.FindAll().OrderBy(d => d.Id.Value, StringComparer.Ordinal).Select(d => drives.GetStatistics(d.Id))];
}
