using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Organizer;

/// <summary>
/// Bulk enrolment from a sheet (CSV in UTF-8, or XLSX) of volunteers, the drive's enrolment open. The file as a whole is
/// judged first (<see cref="VolunteerSheet"/>: its size, type, encoding, formulas, sheets, header); a refusal is shown
/// beside the file. Then every row is checked as the single form checks it and, only when no row has a problem, all
/// are enrolled in one call (<see cref="BulkEnrolment"/>); else each problem is listed by row and column and nobody is
/// enrolled, so the organizer corrects the sheet and uploads it again. The form carries a one-time token, so a second
/// post of the same form enrols nobody. Also serves the templates (CSV and XLSX).
/// </summary>
/// <param name="drives">The registry's drives.</param>
/// <param name="bulk">The bulk enrolment.</param>
/// <param name="tokens">The one-time form tokens.</param>
/// <param name="t">The strings.</param>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class BulkModel(DriveOperations drives, BulkEnrolment bulk, OneTimeFormTokens tokens, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The largest request the page reads: a file somewhat over the limit still gets the page's own message.</summary>
    public const int MaxRequestBytes = 8 * 1024 * 1024;

    /// <summary>The drive's code.</summary>
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    /// <summary>The drive's name.</summary>
    public string DriveName { get; private set; } = string.Empty;

    /// <summary>True while the drive's enrolment is open.</summary>
    public bool Open { get; private set; }

    /// <summary>The form's one-time token.</summary>
    [BindProperty]
    public string? FormToken { get; set; }

    /// <summary>The sheet.</summary>
    [BindProperty]
    public IFormFile? Sheet { get; set; }

    /// <summary>The problems of the last upload's rows, by row.</summary>
    public IReadOnlyList<RowProblem> Problems { get; private set; } = [];

    /// <summary>The file the problems are about.</summary>
    public string? SheetName { get; private set; }

    /// <summary>Shows the form with a new token.</summary>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet()
    {
        if (Find() is null)
        {
            return NotFound();
        }

        FormToken = tokens.Issue(User.Identity!.Name!);
        return Page();
    }

    /// <summary>The template, with the header and one example row.</summary>
    /// <param name="format">csv or xlsx.</param>
    /// <returns>The file, or 404.</returns>
    public IActionResult OnGetTemplate(string? format) => format switch
    {
        "csv" => File(VolunteerSheet.CsvTemplate(), "text/csv; charset=utf-8", "volunteers.csv"),
        "xlsx" => File(VolunteerSheet.XlsxTemplate(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "volunteers.xlsx"),
        _ => NotFound(),
    };

    /// <summary>Reads the sheet, checks every row and enrols them all, or none; once per form.</summary>
    /// <returns>The drive's page with the count, or this page with the problems.</returns>
    public async Task<IActionResult> OnPostAsync()
    {
        if (Find() is not { } drive)
        {
            return NotFound();
        }

        if (!tokens.TryRedeem(FormToken, User.Identity!.Name!))
        {
            TempData["Problem"] = t["Bulk.AlreadySubmitted"].Value;
            return Redirect($"/Organizer/Drive/{drive.Id}");
        }

        if (!Open)
        {
            ModelState.AddModelError(string.Empty, t["Enrol.NotOpen"]);
        }
        else if (await ReadAsync() is { } rows)
        {
            try
            {
                var outcome = bulk.Enrol(drive.Id, rows, PortalActor.Of(User));
                if (outcome.Problems.Count == 0)
                {
                    TempData["Message"] = t["Bulk.Done", outcome.Enrolled.Count, SheetName!].Value;
                    return Redirect($"/Organizer/Drive/{drive.Id}");
                }

                Problems = [.. outcome.Problems.OrderBy(p => p.Row)];
            }
            catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
            {
                ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
            }
        }

        // Refused: the form again with a new token (the posted value would win over the new one unless removed).
        ModelState.Remove(nameof(FormToken));
        FormToken = tokens.Issue(User.Identity!.Name!);
        return Page();
    }

    private async Task<IReadOnlyList<SheetRow>?> ReadAsync()
    {
        SheetName = Path.GetFileName(Sheet?.FileName ?? string.Empty);
        byte[]? bytes = null;
        if (Sheet is { Length: > 0 and <= VolunteerSheet.MaxFileBytes })
        {
            using var copy = new MemoryStream((int)Sheet.Length);
            await Sheet.CopyToAsync(copy);
            bytes = copy.ToArray();
        }

        var reading = Sheet is { Length: > VolunteerSheet.MaxFileBytes }
            ? SheetReading.Refused(SheetRefusal.TooLarge, Sheet.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))
            : VolunteerSheet.Read(SheetName, bytes);
        if (reading.Refusal is { } why)
        {
            ModelState.AddModelError(nameof(Sheet), why switch
            {
                SheetRefusal.TooLarge => t["Bulk.TooLarge", reading.Detail!, VolunteerSheet.MaxFileBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)],
                SheetRefusal.BadHeader => t["Bulk.BadHeader", SheetName, VolunteerSheet.HeaderLine],
                SheetRefusal.BadCsv => t["Bulk.BadCsv", SheetName, reading.Detail!],
                SheetRefusal.TooManyRows => t["Bulk.TooManyRows", SheetName, reading.Detail!, VolunteerSheet.MaxRows],
                _ => t["Bulk." + why, SheetName],
            });
            return null;
        }

        return reading.Rows;
    }

    private Drive? Find()
    {
        try
        {
            if (drives.TryGet(new DriveId(Id), out var drive))
            {
                DriveName = drive.Plan.Name;
                Open = drive.State == DriveState.EnrolmentOpen;
                return drive;
            }
        }
        catch (RegistryValidationException)
        {
        }

        return null;
    }
}
