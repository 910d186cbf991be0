using DonorRegistry.Drives;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BranchPortal.Pages.Organizer;

/// <summary>The drives, latest first, with their funnel's first and last figures.</summary>
/// <param name="drives">The registry's drives.</param>
public sealed class IndexModel(DriveOperations drives) : PageModel
{
    /// <summary>Each drive with its statistics.</summary>
    public IReadOnlyList<(Drive Drive, DriveStatistics Statistics)> Drives { get; private set; } = [];

    /// <summary>Reads the drives.</summary>
    public void OnGet() =>
        Drives = [.. drives.FindAll().OrderByDescending(d => d.Plan.StartsOn).ThenBy(d => d.Id.Value, StringComparer.Ordinal).Select(d => (d, drives.GetStatistics(d.Id)))];
}
