using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Workflows;
using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.Workflows.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Organizer;

/// <summary>
/// One drive: its workflow's progress and the event it expects next, its reminders and overdue flags, its funnel,
/// lectures, step errors and execution log (all from <see cref="DriveWorkflows"/>); opens and closes enrolment.
/// </summary>
/// <param name="workflows">The drive workflows.</param>
/// <param name="drives">The registry's drives.</param>
/// <param name="context">The process.</param>
/// <param name="t">The strings.</param>
public sealed class DriveModel(DriveWorkflows workflows, DriveOperations drives, PortalContext context, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The drive.</summary>
    public Drive? Drive { get; private set; }

    /// <summary>Its workflow's progress, or null when it has none.</summary>
    public DriveProgress? Progress { get; private set; }

    /// <summary>Its funnel.</summary>
    public DriveStatistics? Statistics { get; private set; }

    /// <summary>Its execution log, oldest first.</summary>
    public IReadOnlyList<StepRun> Log { get; private set; } = [];

    /// <summary>The reminders and overdue notices the workflow raised.</summary>
    public IReadOnlyList<StepRun> Notices { get; private set; } = [];

    /// <summary>Step errors the workflow host stored.</summary>
    public IReadOnlyList<WorkflowError> Errors { get; private set; } = [];

    /// <summary>Its lectures.</summary>
    public IReadOnlyList<Lecture> Lectures { get; private set; } = [];

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>Reads the drive.</summary>
    /// <param name="id">The drive's code.</param>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet(string id)
    {
        if (Find(id) is not { } drive)
        {
            return NotFound();
        }

        Drive = drive;
        Statistics = drives.GetStatistics(drive.Id);
        Lectures = drives.FindLectures(drive.Id);
        try
        {
            Progress = workflows.GetProgress(drive.Id);
            Errors = workflows.GetErrors(drive.Id);
        }
        catch (DriveWorkflowException)
        {
            Progress = null;
        }

        Log = workflows.GetExecutionLog(drive.Id);
        Notices = [.. Log.Where(r => r.Outcome == StepOutcome.Notice)];
        return Page();
    }

    /// <summary>Opens enrolment through the workflow.</summary>
    /// <param name="id">The drive's code.</param>
    /// <returns>The drive's page.</returns>
    public Task<IActionResult> OnPostOpenAsync(string id) =>
        Act(id, async drive => await workflows.OpenEnrolmentAsync(drive, User.Identity!.Name!), "Drive.Opened");

    /// <summary>Closes enrolment through the workflow.</summary>
    /// <param name="id">The drive's code.</param>
    /// <returns>The drive's page.</returns>
    public Task<IActionResult> OnPostCloseAsync(string id) =>
        Act(id, async drive => await workflows.CloseEnrolmentAsync(drive, User.Identity!.Name!), "Drive.Closed");

    private async Task<IActionResult> Act(string id, Func<DriveId, Task> action, string done)
    {
        if (Find(id) is not { } drive)
        {
            return NotFound();
        }

        try
        {
            await action(drive.Id);
            TempData["Message"] = t[done].Value;
        }
        catch (Exception e) when (e is DonorRegistryException or TimeoutException)
        {
            TempData["Problem"] = e.Message;
        }

        return Redirect($"/Organizer/Drive/{drive.Id}");
    }

    private Drive? Find(string id)
    {
        try
        {
            return drives.TryGet(new DriveId(id), out var drive) ? drive : null;
        }
        catch (RegistryValidationException)
        {
            return null;
        }
    }
}
