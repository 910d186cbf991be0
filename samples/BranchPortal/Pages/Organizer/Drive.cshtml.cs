using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows;
using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.Workflows.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Organizer;

/// <summary>
/// One drive: its workflow's progress and the event it expects next, its reminders and overdue flags, its funnel,
/// lectures, step errors and execution log (all from <see cref="DriveWorkflows"/>); opens and closes enrolment;
/// collects a sample by barcode from an enrolled volunteer while enrolment is open, lists the drive's samples, and
/// dispatches the collected ones to the lab once enrolment is closed (all through the workflow).
/// </summary>
/// <param name="workflows">The drive workflows.</param>
/// <param name="drives">The registry's drives.</param>
/// <param name="donors">The registry's donors.</param>
/// <param name="samples">The registry's samples.</param>
/// <param name="people">Names for the pages.</param>
/// <param name="context">The process.</param>
/// <param name="tokens">The one-time form tokens (the bulk enrolment form's).</param>
/// <param name="t">The strings.</param>
public sealed class DriveModel(
    DriveWorkflows workflows,
    DriveOperations drives,
    DonorOperations donors,
    SampleOperations samples,
    PersonalDataDisplay people,
    PortalContext context,
    OneTimeFormTokens tokens,
    IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The bulk enrolment form's one-time token (posted to <see cref="BulkModel"/>), while enrolment is open.</summary>
    public string? BulkToken { get; private set; }

    /// <summary>The volunteer whose sample is collected.</summary>
    [BindProperty]
    public string? CollectDonor { get; set; }

    /// <summary>The tube's barcode.</summary>
    [BindProperty]
    public string? Barcode { get; set; }

    /// <summary>Blood or swab.</summary>
    [BindProperty]
    public SampleKind Kind { get; set; } = SampleKind.BloodEdta;

    /// <summary>The drive's samples, by barcode.</summary>
    public IReadOnlyList<Sample> Samples { get; private set; } = [];

    /// <summary>The drive's enrolled volunteers still waiting for a sample, with the name shown for each.</summary>
    public IReadOnlyList<(DonorId Id, string Name)> AwaitingSample { get; private set; } = [];

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

    /// <summary>A workflow step's name in the page's language (<c>WorkflowStep.OpenEnrolment</c>), or as the workflow names it when it has no translation.</summary>
    /// <param name="step">The step's name in the workflow ("Open enrolment").</param>
    /// <returns>The name to show.</returns>
    public string StepName(string? step) => StepNames.Of(t, step);

    /// <summary>An execution log entry's detail (a notice, what a run waits for) in the page's language (<see cref="LogText"/>).</summary>
    /// <param name="run">The entry.</param>
    /// <returns>The text to show.</returns>
    public string Detail(StepRun run) => LogText.Detail(t, run);

    /// <summary>Reads the drive.</summary>
    /// <param name="id">The drive's code.</param>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet(string id)
    {
        if (Find(id) is not { } drive)
        {
            return NotFound();
        }

        Load(drive);
        return Page();
    }

    /// <summary>Collects a sample from an enrolled volunteer of the drive (<see cref="DriveWorkflows.CollectSample"/>).</summary>
    /// <param name="id">The drive's code.</param>
    /// <returns>The drive's page, or the page again with the problem beside its field.</returns>
    public IActionResult OnPostCollect(string id)
    {
        if (Find(id) is not { } drive)
        {
            return NotFound();
        }

        if (!DonorId.TryParse(CollectDonor, out var donor))
        {
            ModelState.AddModelError(nameof(CollectDonor), t["Error.Required"]);
        }

        ModelState.Require(t, nameof(Barcode), Barcode);

        if (ModelState.IsValid)
        {
            try
            {
                var sample = workflows.CollectSample(drive.Id, donor, Barcode!.Trim(), Kind, PortalActor.Of(User));
                TempData["Message"] = t["Samples.CollectedDone", sample.Barcode, sample.DonorId.ToString()].Value;
                return Redirect($"/Organizer/Drive/{drive.Id}#samples");
            }
            catch (RegistryValidationException e)
            {
                LibraryErrors.Add(ModelState, t, e, CollectInputs);
            }
            catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
            {
                ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
            }
        }

        Load(drive);
        return Page();
    }

    /// <summary>Dispatches the drive's collected samples to its lab through the workflow; shows the manifest.</summary>
    /// <param name="id">The drive's code.</param>
    /// <returns>The shipment's manifest, or the drive's page with the problem.</returns>
    public async Task<IActionResult> OnPostDispatchAsync(string id)
    {
        if (Find(id) is not { } drive)
        {
            return NotFound();
        }

        try
        {
            var shipment = await workflows.DispatchShipmentAsync(drive.Id, PortalActor.Of(User));
            if (shipment is null)
            {
                TempData["Problem"] = t["Shipment.Nothing"].Value;
                return Redirect($"/Organizer/Drive/{drive.Id}");
            }

            TempData["Message"] = t["Shipment.Dispatched", shipment.Id, shipment.Barcodes.Count].Value;
            return Redirect($"/Organizer/Manifest/{shipment.Id}");
        }
        catch (Exception e) when (e is DonorRegistryException and not DonorRegistry.Access.AccessDeniedException or TimeoutException)
        {
            TempData["Problem"] = LibraryErrors.Message(t, e);
            return Redirect($"/Organizer/Drive/{drive.Id}");
        }
    }

    private static readonly Dictionary<string, string> CollectInputs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["barcode"] = nameof(Barcode),
        ["donor"] = nameof(CollectDonor),
        ["id"] = nameof(CollectDonor),
        ["kind"] = nameof(Kind),
    };

    private void Load(Drive drive)
    {
        Drive = drive;
        Statistics = drives.GetStatistics(drive.Id);
        Samples = [.. samples.FindByDrive(drive.Id).OrderBy(s => s.Barcode, StringComparer.Ordinal)];
        if (drive.State == DriveState.EnrolmentOpen)
        {
            BulkToken = tokens.Issue(User.Identity!.Name!);
            AwaitingSample = [.. donors.FindByDrive(drive.Id)
                .Where(d => d.State == DonorState.Enrolled)
                .OrderBy(d => d.EnrolledAt)
                .Select(d => (d.Id, people.Show(User, d.Id).Name ?? t["Person.Erased"].Value))];
        }

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
    }

    /// <summary>Opens enrolment through the workflow.</summary>
    /// <param name="id">The drive's code.</param>
    /// <returns>The drive's page.</returns>
    public Task<IActionResult> OnPostOpenAsync(string id) =>
        Act(id, async drive => await workflows.OpenEnrolmentAsync(drive, PortalActor.Of(User)), "Drive.Opened");

    /// <summary>Closes enrolment through the workflow.</summary>
    /// <param name="id">The drive's code.</param>
    /// <returns>The drive's page.</returns>
    public Task<IActionResult> OnPostCloseAsync(string id) =>
        Act(id, async drive => await workflows.CloseEnrolmentAsync(drive, PortalActor.Of(User)), "Drive.Closed");

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
        catch (Exception e) when (e is DonorRegistryException and not DonorRegistry.Access.AccessDeniedException or TimeoutException)
        {
            TempData["Problem"] = LibraryErrors.Message(t, e);
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
