using System.Globalization;
using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Reporting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Reports;

/// <summary>
/// The branch's report for any period, of the whole branch or one drive (<see cref="ReportOperations.Build"/>):
/// its lines in the page's language (<see cref="ReportCulture"/>), charts as PNG (<see cref="ReportCharts"/>; Chinese
/// labels when a CJK font is installed, else English), the drives compared, and the library's CSV and XLSX exports
/// (<see cref="ReportExport"/>). Reading only: the form is a GET.
/// </summary>
/// <param name="reports">The registry's reports.</param>
/// <param name="drives">The registry's drives.</param>
/// <param name="care">The registry's donor care.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
/// <param name="t">The strings.</param>
public sealed class IndexModel(ReportOperations reports, DriveOperations drives, CareOperations care, PortalContext context, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The charts the page draws.</summary>
    public static readonly IReadOnlyList<string> Charts = ["funnel", "months", "drives"];

    /// <summary>The period's first day.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    /// <summary>The period's last day.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    /// <summary>One drive's code, or empty for the whole branch.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Drive { get; set; }

    /// <summary>The drives to choose from.</summary>
    public IReadOnlyList<Drive> Drives { get; private set; } = [];

    /// <summary>The report, when the form is valid.</summary>
    public RegistryReport? Report { get; private set; }

    /// <summary>The drives compared over the period.</summary>
    public IReadOnlyList<DriveStatistics> Compared { get; private set; } = [];

    /// <summary>The report's language: the page's.</summary>
    public ReportCulture Culture => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? ReportCulture.Chinese : ReportCulture.English;

    /// <summary>Whether the charts can be drawn with Chinese labels (a CJK font is installed).</summary>
    public bool ChineseCharts => new ChartOptions { Culture = ReportCulture.Chinese.Name }.Check();

    /// <summary>The query string of this report, for the charts and downloads.</summary>
    public string Query => $"From={From:yyyy-MM-dd}&To={To:yyyy-MM-dd}&Drive={Uri.EscapeDataString(Drive ?? string.Empty)}";

    /// <summary>Builds the report (this year by default).</summary>
    public void OnGet() => Build();

    /// <summary>The report as the library's CSV.</summary>
    /// <returns>The file, or the page with the problem.</returns>
    public IActionResult OnGetCsv() => Export("csv", "text/csv; charset=utf-8", (report, stream) => ReportExport.WriteCsv(report, stream, Options));

    /// <summary>The report as the library's workbook (report, drives, publishable recognitions).</summary>
    /// <returns>The file, or the page with the problem.</returns>
    public IActionResult OnGetXlsx() => Export("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (report, stream) =>
        ReportExport.WriteWorkbook(report, Compared, care.FindPublishableRecognitions(report.Period.From, report.Period.To), stream, Options));

    /// <summary>A chart of the report as PNG.</summary>
    /// <param name="kind">funnel, months or drives.</param>
    /// <returns>The image, or 404 for another kind or an invalid period.</returns>
    public IActionResult OnGetChart(string kind)
    {
        if (!Charts.Contains(kind) || Build() is not { } report)
        {
            return NotFound();
        }

        var path = Path.Combine(Path.GetTempPath(), $"branchportal-chart-{Guid.NewGuid():N}.png");
        try
        {
            var options = new ChartOptions { Culture = Culture.Name };
            switch (kind)
            {
                case "funnel":
                    ReportCharts.RecruitmentFunnel(report, path, options);
                    break;
                case "months":
                    ReportCharts.DonationsPerMonth(report.Period.From.Year, reports.DonationsPerMonth(report.Period.From.Year, report.Drive, PortalActor.Of(User)), path, options);
                    break;
                default:
                    ReportCharts.DrivesByYield(Compared, path, options);
                    break;
            }

            return File(System.IO.File.ReadAllBytes(path), "image/png");
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private ReportExportOptions Options => new() { Culture = Culture.Name };

    private IActionResult Export(string extension, string type, Action<RegistryReport, Stream> write)
    {
        if (Build() is not { } report)
        {
            return Page();
        }

        using var stream = new MemoryStream();
        write(report, stream);
        var name = $"report-{report.Period.From:yyyyMMdd}-{report.Period.To:yyyyMMdd}{(report.Drive is { } d ? "-" + d : string.Empty)}.{extension}";
        return File(stream.ToArray(), type, name);
    }

    private RegistryReport? Build()
    {
        Drives = [.. drives.FindAll().OrderBy(d => d.Id.Value, StringComparer.Ordinal)];
        var today = context.DayOf(time.GetUtcNow());
        From ??= new DateOnly(today.Year, 1, 1);
        To ??= today;
        DriveId? drive = null;
        if (!string.IsNullOrWhiteSpace(Drive))
        {
            if (Drives.FirstOrDefault(d => d.Id.Value == Drive) is not { } found)
            {
                ModelState.AddModelError(nameof(Drive), t["Reports.NoSuchDrive", Drive]);
                return null;
            }

            drive = found.Id;
        }

        try
        {
            var period = new ReportPeriod(From.Value, To.Value);
            Report = reports.Build(period, drive, PortalActor.Of(User));
            Compared = reports.CompareDrives(period, PortalActor.Of(User));
            return Report;
        }
        catch (RegistryValidationException e)
        {
            ModelState.AddModelError(e.Field.Contains("from", StringComparison.OrdinalIgnoreCase) ? nameof(From) : nameof(To), LibraryErrors.Message(t, e));
            return null;
        }
    }
}
