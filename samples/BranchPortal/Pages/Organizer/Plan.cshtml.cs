using BranchPortal.Demo;
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

/// <summary>Plans a drive and starts its workflow (<see cref="DriveWorkflows.StartDriveAsync"/>).</summary>
/// <param name="drives">The drive workflows.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
/// <param name="t">The strings.</param>
public sealed class PlanModel(DriveWorkflows drives, PortalContext context, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    private static readonly Dictionary<string, string> Inputs = new(StringComparer.Ordinal)
    {
        ["value"] = nameof(Code),
        ["Drive.Id"] = nameof(Code),
        ["Drive.Name"] = nameof(Name),
        ["Drive.Kind"] = nameof(Kind),
        ["Drive.Venue"] = nameof(Venue),
        ["Drive.StartsOn"] = nameof(StartsOn),
        ["Drive.EndsOn"] = nameof(EndsOn),
        ["Drive.Target"] = nameof(Target),
        ["lab"] = nameof(Lab),
    };

    /// <summary>The drive's code.</summary>
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>The drive's name.</summary>
    [BindProperty]
    public string? Name { get; set; }

    /// <summary>Campus or community.</summary>
    [BindProperty]
    public DriveKind Kind { get; set; } = DriveKind.Campus;

    /// <summary>Where.</summary>
    [BindProperty]
    public string? Venue { get; set; }

    /// <summary>The first day.</summary>
    [BindProperty]
    public DateOnly? StartsOn { get; set; }

    /// <summary>The last day.</summary>
    [BindProperty]
    public DateOnly? EndsOn { get; set; }

    /// <summary>How many volunteers the organizer hopes for.</summary>
    [BindProperty]
    public int? Target { get; set; }

    /// <summary>The typing lab.</summary>
    [BindProperty]
    public string? Lab { get; set; } = DemoRegistry.Lab;

    /// <summary>True when a coordinator lists the drive's typed donors by hand (the plan's ListAutomatically off).</summary>
    [BindProperty]
    public bool ListByHand { get; set; }

    /// <summary>Shows the form with today's date.</summary>
    public void OnGet()
    {
        StartsOn = EndsOn = context.DayOf(time.GetUtcNow());
    }

    /// <summary>Plans the drive and starts its workflow.</summary>
    /// <returns>The drive's page, or the form with the problems beside their fields.</returns>
    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Require(t, nameof(Code), Code);
        ModelState.Require(t, nameof(Name), Name);
        ModelState.Require(t, nameof(Venue), Venue);
        ModelState.Require(t, nameof(Lab), Lab);
        ModelState.Require(t, nameof(StartsOn), StartsOn);
        ModelState.Require(t, nameof(EndsOn), EndsOn);
        ModelState.Require(t, nameof(Target), Target);

        if (!ModelState.IsValid)
        {
            return Page();
        }

        try
        {
            var id = new DriveId(Code!.Trim());
            await drives.StartDriveAsync(new DrivePlan(id, Name!, Kind, DemoRegistry.Branch, Venue!, StartsOn!.Value, EndsOn!.Value, Target!.Value, ListAutomatically: !ListByHand), Lab!, PortalActor.Of(User));
            TempData["Message"] = t["Plan.Done", id.Value].Value;
            return Redirect($"/Organizer/Drive/{id.Value}");
        }
        catch (RegistryValidationException e)
        {
            LibraryErrors.Add(ModelState, t, e, Inputs);
            return Page();
        }
        catch (DriveWorkflowException e)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
            return Page();
        }
    }
}
