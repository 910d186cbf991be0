using System.Data;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using DonorRegistry.Care;
using DonorRegistry.Drives;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace DonorRegistry.Reporting;

/// <summary>
/// The files a branch hands out: reports, drives and recognitions as CSV (CsvHelper; UTF-8, comma-separated, a header
/// row, formula-like text escaped) and as one XLSX workbook (MiniExcel). Headers and labels are Chinese by default or
/// English (<see cref="ReportExportOptions.Culture"/>); a Chinese CSV starts with a UTF-8 byte order mark so that Excel
/// reads it (<see cref="ReportExportOptions.ByteOrderMark"/>). Options are checked before anything is written. The
/// same data gives the same bytes: the workbook's zip entries carry a fixed date.
/// </summary>
public static partial class ReportExport
{
    /// <summary>The date every entry of a written workbook carries (the earliest a zip file records), so that the same data gives the same bytes.</summary>
    public static readonly DateTimeOffset WorkbookEntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes a report, a line per number: period, drive, section, label, code, what it counts, value, meaning.</summary>
    /// <param name="report">The report.</param>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="options">Language and byte order mark; null for the defaults (Chinese, with a byte order mark).</param>
    /// <exception cref="RegistryValidationException">The culture is not one reports are written in.</exception>
    public static void WriteCsv(RegistryReport report, Stream destination, ReportExportOptions? options = null)
    {
        Guard.NotNull(report, nameof(report), "give a value; null is not allowed");
        Guard.NotNull(destination, nameof(destination), "give a value; null is not allowed");
        var (culture, bom) = (options ?? new()).Resolve();
        Csv(destination, bom, ReportRows(report, culture));
    }

    /// <summary>Writes drives side by side: each drive's name, kind, venue, days and target, its funnel, and its conversions as percentages.</summary>
    /// <param name="drives">The drives' statistics (<see cref="ReportOperations.CompareDrives"/>).</param>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="options">Language and byte order mark; null for the defaults (Chinese, with a byte order mark).</param>
    /// <exception cref="RegistryValidationException">The culture is not one reports are written in.</exception>
    public static void WriteDrivesCsv(IEnumerable<DriveStatistics> drives, Stream destination, ReportExportOptions? options = null)
    {
        Guard.NotNull(drives, nameof(drives), "give a value; null is not allowed");
        Guard.NotNull(destination, nameof(destination), "give a value; null is not allowed");
        var (culture, bom) = (options ?? new()).Resolve();
        Csv(destination, bom, DriveRows(drives, culture));
    }

    /// <summary>
    /// Writes publishable recognitions (see <see cref="CareOperations.FindPublishableRecognitions"/>): only donors who
    /// consent to publicity are in them, and inside the anonymity period the collection day and centre are empty.
    /// </summary>
    /// <param name="recognitions">The entries.</param>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="options">Language and byte order mark; null for the defaults (Chinese, with a byte order mark).</param>
    /// <exception cref="RegistryValidationException">The culture is not one reports are written in.</exception>
    public static void WriteRecognitionsCsv(IEnumerable<RecognitionEntry> recognitions, Stream destination, ReportExportOptions? options = null)
    {
        Guard.NotNull(recognitions, nameof(recognitions), "give a value; null is not allowed");
        Guard.NotNull(destination, nameof(destination), "give a value; null is not allowed");
        var (culture, bom) = (options ?? new()).Resolve();
        Csv(destination, bom, RecognitionRows(recognitions, culture));
    }

    /// <summary>Writes outstanding drive volunteers named for festival visits (<see cref="CareOperations.FindVolunteerHonours"/>), apart from donors.</summary>
    /// <param name="volunteers">The volunteers.</param>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="options">Language and byte order mark; null for the defaults (Chinese, with a byte order mark).</param>
    /// <exception cref="RegistryValidationException">The culture is not one reports are written in.</exception>
    public static void WriteVolunteersCsv(IEnumerable<VolunteerHonour> volunteers, Stream destination, ReportExportOptions? options = null)
    {
        Guard.NotNull(volunteers, nameof(volunteers), "give a value; null is not allowed");
        Guard.NotNull(destination, nameof(destination), "give a value; null is not allowed");
        var (culture, bom) = (options ?? new()).Resolve();
        Csv(destination, bom, VolunteerRows(volunteers, culture));
    }

    /// <summary>
    /// Writes one XLSX workbook (MiniExcel) with a sheet for the report, one for the drives, one for the recognitions
    /// and, when given, one for the volunteers named for festival visits; numbers are numbers, conversions percentages.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="drives">The drives' statistics.</param>
    /// <param name="recognitions">The publishable recognitions.</param>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="options">Language; null for the default (Chinese). <see cref="ReportExportOptions.ByteOrderMark"/> does not apply.</param>
    /// <param name="volunteers">Volunteers named for festival visits, or null for no such sheet.</param>
    /// <exception cref="RegistryValidationException">The culture is not one reports are written in.</exception>
    public static void WriteWorkbook(RegistryReport report, IEnumerable<DriveStatistics> drives, IEnumerable<RecognitionEntry> recognitions, Stream destination, ReportExportOptions? options = null, IEnumerable<VolunteerHonour>? volunteers = null)
    {
        Guard.NotNull(report, nameof(report), "give a value; null is not allowed");
        Guard.NotNull(drives, nameof(drives), "give a value; null is not allowed");
        Guard.NotNull(recognitions, nameof(recognitions), "give a value; null is not allowed");
        Guard.NotNull(destination, nameof(destination), "give a value; null is not allowed");
        var (culture, _) = (options ?? new()).Resolve();
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [culture.Pick("报告", "Report")] = Table(ReportRows(report, culture)),
            [culture.Pick("招募活动", "Drives")] = Table(DriveRows(drives, culture)),
            [culture.Pick("表彰", "Recognitions")] = Table(RecognitionRows(recognitions, culture)),
        };
        if (volunteers is not null)
        {
            sheets[culture.Pick("志愿者慰问", "Volunteers")] = Table(VolunteerRows(volunteers, culture));
        }

        using var written = new MemoryStream();
        MiniExcel.SaveAs(written, sheets, printHeader: true, excelType: ExcelType.XLSX, configuration: new OpenXmlConfiguration { TableStyles = TableStyles.None, FastMode = true, EnableAutoWidth = true });
        written.Position = 0;
        FixEntryTimes(written, destination);
    }

    // ---- Rows: a header, then typed cells (text, int or double); the CSV writes them as text, the workbook as they are. -------

    private static IEnumerable<object?[]> ReportRows(RegistryReport report, ReportCulture c)
    {
        yield return [c.Pick("期间", "Period"), c.Pick("活动", "Drive"), c.Pick("类别", "Section"), c.Pick("项目", "Line"), c.Pick("代码", "Code"), c.Pick("计数", "Counts"), c.Pick("数值", "Value"), c.Pick("说明", "Meaning")];
        foreach (var line in report.Lines())
        {
            yield return [report.Period.ToString(), report.Drive?.Value ?? c.Pick("（全库）", "(registry)"), c.Section(line.Section), c.Label(line), line.Metric, c.Counts(line.Counts), line.Value, c.Meaning(line)];
        }
    }

    private static IEnumerable<object?[]> DriveRows(IEnumerable<DriveStatistics> drives, ReportCulture c)
    {
        yield return
        [
            c.Pick("代码", "Code"), c.Pick("名称", "Name"), c.Pick("类型", "Kind"), c.Pick("地点", "Venue"), c.Pick("开始", "Starts"), c.Pick("结束", "Ends"), c.Pick("目标", "Target"),
            c.Pick("讲座", "Lectures"), c.Pick("听众", "Attendees"), c.Pick("报名", "Enrolled"), c.Pick("血样", "Samples"), c.Pick("采样人数", "Donors sampled"), c.Pick("退回血样", "Samples rejected"),
            c.Pick("分型人数", "Donors typed"), c.Pick("入库人数", "Donors listed"), c.Pick("报名/目标", "Enrolled of target"), c.Pick("报名/听众", "Enrolled per attendee"), c.Pick("入库率（入库/报名）", "Yield (listed per enrolled)"),
        ];
        foreach (var s in drives)
        {
            var plan = s.Plan;
            yield return
            [
                s.Drive.Value, plan?.Name ?? string.Empty, plan is null ? string.Empty : c.Kind(plan.Kind), plan?.Venue ?? string.Empty, plan is null ? string.Empty : Day(plan.StartsOn), plan is null ? string.Empty : Day(plan.EndsOn), plan?.Target,
                s.Lectures, s.Attendees, s.Enrolled, s.Samples, s.DonorsSampled, s.SamplesRejected, s.DonorsTyped, s.DonorsListed,
                ReportCulture.Percent(s.OfTarget), ReportCulture.Percent(s.AttendeesToEnrolled), ReportCulture.Percent(s.Yield),
            ];
        }
    }

    private static IEnumerable<object?[]> RecognitionRows(IEnumerable<RecognitionEntry> recognitions, ReportCulture c)
    {
        yield return
        [
            c.Pick("编号", "Recognition"), c.Pick("捐献者", "Donor"), c.Pick("类型", "Kind"), c.Pick("标题", "Title"), c.Pick("日期", "On"), c.Pick("捐献年份", "Donation year"),
            c.Pick("捐献类型", "Product"), c.Pick("采集日", "Collected on"), c.Pick("采集中心", "Centre"), c.Pick("匿名期至", "Anonymous until"),
        ];
        foreach (var e in recognitions)
        {
            var r = e.Recognition;
            yield return [r.Id, r.Donor.ToString(), c.Kind(r.Kind), r.Title, Day(r.On), e.DonationYear, c.Product(e.Product), e.CollectedOn is { } day ? Day(day) : string.Empty, e.Centre ?? string.Empty, Day(e.AnonymousUntil)];
        }
    }

    private static IEnumerable<object?[]> VolunteerRows(IEnumerable<VolunteerHonour> volunteers, ReportCulture c)
    {
        yield return [c.Pick("编号", "Number"), c.Pick("志愿者", "Volunteer"), c.Pick("活动", "Drive"), c.Pick("表现", "Why"), c.Pick("提名日", "Named on"), c.Pick("节日", "Occasion"), c.Pick("慰问日", "Due on"), c.Pick("状态", "State"), c.Pick("慰问日期", "Visited on")];
        foreach (var v in volunteers)
        {
            foreach (var visit in v.Visits)
            {
                var state = visit.State switch
                {
                    VisitState.Visited => c.Pick("已慰问", "visited"),
                    VisitState.Skipped => c.Pick("未慰问：", "skipped: ") + visit.Notes,
                    _ => c.Pick("待慰问", "due"),
                };
                yield return [v.Id, v.Name, v.Drive?.Value ?? string.Empty, v.Reason, Day(v.NamedOn), c.Occasion(visit.Occasion), Day(visit.DueOn), state, visit.On is { } done ? Day(done) : string.Empty];
            }
        }
    }

    private static void Csv(Stream destination, bool bom, IEnumerable<object?[]> rows)
    {
        if (bom)
        {
            destination.Write(Encoding.UTF8.Preamble);
        }

        using var csv = CsvWriter.Create(destination, new CsvWriterOptions { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        var header = true;
        foreach (var row in rows)
        {
            var cells = row.Select(Text).ToArray();
            if (header)
            {
                csv.WriteHeader(cells);
                header = false;
            }
            else
            {
                csv.WriteRecord(cells);
            }
        }
    }

    private static DataTable Table(IEnumerable<object?[]> rows)
    {
        var table = new DataTable { Locale = CultureInfo.InvariantCulture };
        using var each = rows.GetEnumerator();
        each.MoveNext();
        var header = each.Current;
        var body = new List<object?[]>();
        while (each.MoveNext())
        {
            body.Add(each.Current);
        }

        for (var i = 0; i < header.Length; i++)
        {
            // A column is numeric when every cell holds a number (or nothing); else text.
            var numeric = body.Count > 0 && body.All(r => r[i] is null or int or double);
            table.Columns.Add((string)header[i]!, numeric ? (body.Any(r => r[i] is double) ? typeof(double) : typeof(int)) : typeof(string));
        }

        foreach (var row in body)
        {
            table.Rows.Add(row.Select((cell, i) => table.Columns[i].DataType == typeof(string) ? Text(cell) : cell ?? DBNull.Value).ToArray());
        }

        return table;
    }

    // Copies the workbook's zip in the same order with what changes from run to run made fixed: every entry dated
    // WorkbookEntryTime, and the relationship ids MiniExcel draws at random (R and 32 hex digits) numbered rId1, rId2, ...
    // in the order the .rels parts name them.
    private static void FixEntryTimes(Stream zip, Stream destination)
    {
        using var source = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        var parts = source.Entries.Select(e =>
        {
            using var from = e.Open();
            using var buffer = new MemoryStream();
            from.CopyTo(buffer);
            return (e.FullName, Text: Encoding.UTF8.GetString(buffer.ToArray()));
        }).ToList();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, text) in parts.Where(p => p.FullName.EndsWith(".rels", StringComparison.Ordinal)))
        {
            foreach (System.Text.RegularExpressions.Match id in RandomId().Matches(text))
            {
                ids.TryAdd(id.Groups[1].Value, "rId" + (ids.Count + 1).ToString(CultureInfo.InvariantCulture));
            }
        }

        using var target = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, text) in parts)
        {
            var fixedText = ids.Count == 0 ? text : QuotedRandomId().Replace(text, m => ids.TryGetValue(m.Groups[1].Value, out var n) ? $"\"{n}\"" : m.Value);
            var copy = target.CreateEntry(name, CompressionLevel.Optimal);
            copy.LastWriteTime = WorkbookEntryTime;
            using var to = copy.Open();
            to.Write(new UTF8Encoding(false).GetBytes(fixedText));
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("Id=\"(R[0-9a-f]{32})\"")]
    private static partial System.Text.RegularExpressions.Regex RandomId();

    [System.Text.RegularExpressions.GeneratedRegex("\"(R[0-9a-f]{32})\"")]
    private static partial System.Text.RegularExpressions.Regex QuotedRandomId();

    private static string Text(object? cell) => cell switch
    {
        null => string.Empty,
        int n => n.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
