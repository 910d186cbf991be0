using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Workflows.CampusDrive;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Organizer;

/// <summary>Records a knowledge lecture with its audience (<see cref="DriveWorkflows.RecordLectureAsync"/>); the first one moves the drive on.</summary>
/// <param name="workflows">The drive workflows.</param>
/// <param name="drives">The registry's drives.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
/// <param name="t">The strings.</param>
public sealed class LectureModel(DriveWorkflows workflows, DriveOperations drives, PortalContext context, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    private static readonly Dictionary<string, string> Inputs = new(StringComparer.Ordinal)
    {
        ["Lecture.Venue"] = nameof(Venue),
        ["Lecture.HeldOn"] = nameof(HeldOn),
        ["Lecture.Audience"] = nameof(Audience),
        ["Lecture.Speaker"] = nameof(Speaker),
    };

    /// <summary>The drive's code.</summary>
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    /// <summary>The drive's name.</summary>
    public string DriveName { get; private set; } = string.Empty;

    /// <summary>Where the lecture was held.</summary>
    [BindProperty]
    public string? Venue { get; set; }

    /// <summary>The day.</summary>
    [BindProperty]
    public DateOnly? HeldOn { get; set; }

    /// <summary>How many attended.</summary>
    [BindProperty]
    public int? Audience { get; set; }

    /// <summary>Who spoke.</summary>
    [BindProperty]
    public string? Speaker { get; set; }

    /// <summary>Shows the form, the venue and day filled in from the drive.</summary>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet()
    {
        if (Find() is not { } drive)
        {
            return NotFound();
        }

        Venue = drive.Plan.Venue;
        HeldOn = context.DayOf(time.GetUtcNow());
        return Page();
    }

    /// <summary>Records the lecture.</summary>
    /// <returns>The drive's page, or the form with the problems beside their fields.</returns>
    public async Task<IActionResult> OnPostAsync()
    {
        if (Find() is not { } drive)
        {
            return NotFound();
        }

        ModelState.Require(t, nameof(HeldOn), HeldOn);
        ModelState.Require(t, nameof(Audience), Audience);

        if (!ModelState.IsValid)
        {
            return Page();
        }

        try
        {
            await workflows.RecordLectureAsync(drive.Id, Venue ?? string.Empty, HeldOn!.Value, Audience!.Value, Speaker ?? string.Empty, PortalActor.Of(User));
            TempData["Message"] = t["Lecture.Done", Audience.Value].Value;
            return Redirect($"/Organizer/Drive/{drive.Id}");
        }
        catch (RegistryValidationException e)
        {
            LibraryErrors.Add(ModelState, t, e, Inputs);
        }
        catch (Exception e) when (e is DonorRegistryException and not DonorRegistry.Access.AccessDeniedException or TimeoutException)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
        }

        return Page();
    }

    private Drive? Find()
    {
        try
        {
            if (drives.TryGet(new DriveId(Id), out var drive))
            {
                DriveName = drive.Plan.Name;
                return drive;
            }
        }
        catch (RegistryValidationException)
        {
        }

        return null;
    }
}
