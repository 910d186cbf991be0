using System.Globalization;
using System.Text;
using BranchPortal.Demo;
using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.CampusDrive;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Lab;

/// <summary>
/// The typing-results upload: a CSV file (at most <see cref="MaxFileBytes"/>, UTF-8) imported through the drive's
/// workflow when the drive waits for results (<see cref="DriveWorkflows.ImportTypingResultsAsync"/>), else
/// <see cref="SampleOperations.ImportTypingResults(Stream, string, DateOnly, string, string?)"/>. The rows the
/// library refuses are listed by line number; the others are stored, so the corrected file can be uploaded again
/// (rows already imported count as such). A file refused as a whole (too large, not a CSV, not UTF-8, a header the
/// library does not accept) stores nothing.
/// </summary>
/// <param name="drives">The registry's drives.</param>
/// <param name="samples">The registry's samples.</param>
/// <param name="workflows">The drive workflows.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
/// <param name="t">The strings.</param>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class ResultsModel(DriveOperations drives, SampleOperations samples, DriveWorkflows workflows, PortalContext context, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The largest results file the portal takes (2 MiB, some 10,000 rows).</summary>
    public const int MaxFileBytes = 2 * 1024 * 1024;

    /// <summary>The largest request the page reads: a file somewhat over the limit still gets the page's own message.</summary>
    public const int MaxRequestBytes = 8 * 1024 * 1024;

    /// <summary>The value of <see cref="Drive"/> for results of no drive's workflow.</summary>
    public const string NoDrive = "-";

    /// <summary>The drive whose results these are, or <see cref="NoDrive"/>.</summary>
    [BindProperty]
    public string? Drive { get; set; }

    /// <summary>The lab.</summary>
    [BindProperty]
    public string? Lab { get; set; } = DemoRegistry.Lab;

    /// <summary>The day the lab reported, for rows without one.</summary>
    [BindProperty]
    public DateOnly? ReportedOn { get; set; }

    /// <summary>The file.</summary>
    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The drives that wait for results.</summary>
    public IReadOnlyList<Drive> Drives { get; private set; } = [];

    /// <summary>What the last upload imported, and its refused rows.</summary>
    public TypingImportResult? Result { get; private set; }

    /// <summary>The file the result is about.</summary>
    public string? ResultFile { get; private set; }

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
        Drives = LabData.AwaitingResults(drives, workflows);
        Drive = Drives.Count > 0 ? Drives[0].Id.Value : NoDrive;
        ReportedOn = context.DayOf(time.GetUtcNow());
    }

    /// <summary>Checks the file and imports it.</summary>
    /// <returns>The page with the result, or with the problem beside its field.</returns>
    public async Task<IActionResult> OnPostAsync()
    {
        Drives = LabData.AwaitingResults(drives, workflows);
        var bytes = await CheckAsync();
        if (bytes is null)
        {
            return Page();
        }

        try
        {
            using var csv = new MemoryStream(bytes, writable: false);
            var name = Path.GetFileName(Upload!.FileName);
            if (Drive is { } code && code != NoDrive)
            {
                var drive = Drives.FirstOrDefault(d => d.Id.Value == code);
                if (drive is null)
                {
                    ModelState.AddModelError(nameof(Drive), t["Results.DriveNotWaiting", code]);
                    return Page();
                }

                Result = await workflows.ImportTypingResultsAsync(drive.Id, csv, Lab!, ReportedOn!.Value, PortalActor.Of(User), name);
            }
            else
            {
                Result = samples.ImportTypingResults(csv, Lab!, ReportedOn!.Value, PortalActor.Of(User), name);
            }

            ResultFile = name;
        }
        catch (TypingImportException e)
        {
            ModelState.AddModelError(nameof(Upload), LibraryErrors.Message(t, e));
        }
        catch (RegistryValidationException e)
        {
            var input = e.Field switch
            {
                "lab" => nameof(Lab),
                "reportedOn" => nameof(ReportedOn),
                _ => string.Empty,
            };
            ModelState.AddModelError(input, LibraryErrors.Message(t, e));
        }
        catch (Exception e) when (e is DonorRegistryException and not DonorRegistry.Access.AccessDeniedException or TimeoutException)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
        }

        return Page();
    }

    /// <summary>The portal's own checks of the upload, each beside its field; the file's bytes when it passes.</summary>
    private async Task<byte[]?> CheckAsync()
    {
        ModelState.Require(t, nameof(Lab), Lab);

        if (ReportedOn is null && !ModelState.ContainsKey(nameof(ReportedOn)))
        {
            ModelState.AddModelError(nameof(ReportedOn), t["Error.Required"]);
        }

        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), t["Results.NoFile"]);
            return null;
        }

        if (Upload.Length > MaxFileBytes)
        {
            ModelState.AddModelError(nameof(Upload), t["Results.TooLarge", Upload.Length.ToString("N0", CultureInfo.InvariantCulture), MaxFileBytes.ToString("N0", CultureInfo.InvariantCulture)]);
            return null;
        }

        if (!string.Equals(Path.GetExtension(Upload.FileName), ".csv", StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError(nameof(Upload), t["Results.NotCsv", Path.GetFileName(Upload.FileName)]);
            return null;
        }

        using var copy = new MemoryStream((int)Upload.Length);
        await Upload.CopyToAsync(copy);
        var bytes = copy.ToArray();
        if (bytes.AsSpan().Contains((byte)0))
        {
            ModelState.AddModelError(nameof(Upload), t["Results.NotText", Path.GetFileName(Upload.FileName)]);
            return null;
        }

        try
        {
            _ = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetCharCount(bytes);
        }
        catch (DecoderFallbackException)
        {
            ModelState.AddModelError(nameof(Upload), t["Results.NotUtf8", Path.GetFileName(Upload.FileName)]);
            return null;
        }

        return ModelState.IsValid ? bytes : null;
    }
}
