using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using MiniExcelLibs;

namespace BranchPortal.Forms;

/// <summary>Why a volunteer sheet was refused as a whole (nothing in it is enrolled).</summary>
public enum SheetRefusal
{
    /// <summary>No file, or an empty one.</summary>
    NoFile,

    /// <summary>Over <see cref="VolunteerSheet.MaxFileBytes"/>.</summary>
    TooLarge,

    /// <summary>A name ending neither in .csv nor in .xlsx.</summary>
    WrongType,

    /// <summary>A CSV that is not UTF-8 text (GBK, or a binary file).</summary>
    NotUtf8,

    /// <summary>A CSV with a quoted field left open.</summary>
    BadCsv,

    /// <summary>An .xlsx that is not a workbook MiniExcel can read.</summary>
    NotXlsx,

    /// <summary>A workbook with a formula in a cell.</summary>
    Formulas,

    /// <summary>A workbook with more than one sheet.</summary>
    ManySheets,

    /// <summary>No header, or a header and no volunteer.</summary>
    Empty,

    /// <summary>A header other than <see cref="VolunteerSheet.Header"/>.</summary>
    BadHeader,

    /// <summary>More than <see cref="VolunteerSheet.MaxRows"/> volunteers.</summary>
    TooManyRows,
}

/// <summary>One volunteer's row: its row number in the sheet (the header is row 1) and its cells by column name.</summary>
/// <param name="Row">The row number as the spreadsheet shows it.</param>
/// <param name="Cells">The cells, one per column of <see cref="VolunteerSheet.Header"/>, trimmed; empty when blank.</param>
public sealed record SheetRow(int Row, IReadOnlyDictionary<string, string> Cells);

/// <summary>A sheet read: its rows, or why it was refused.</summary>
/// <param name="Rows">The volunteers' rows (empty when refused).</param>
/// <param name="Refusal">Why the sheet was refused, or null.</param>
/// <param name="Detail">What the refusal is about (a row, a header), for its message.</param>
public sealed record SheetReading(IReadOnlyList<SheetRow> Rows, SheetRefusal? Refusal, string? Detail = null)
{
    /// <summary>A refusal.</summary>
    /// <param name="why">Why.</param>
    /// <param name="detail">What about.</param>
    /// <returns>The reading.</returns>
    public static SheetReading Refused(SheetRefusal why, string? detail = null) => new([], why, detail);
}

/// <summary>
/// Reads a sheet of volunteers for bulk enrolment: a CSV file (strict UTF-8, RFC 4180 quoting) or an XLSX workbook of
/// one sheet without formulas (MiniExcel). The first row is the header, exactly <see cref="Header"/> (case and spaces
/// around names aside); each further non-blank row is a volunteer. What the cells mean is checked later, per row
/// (<see cref="BulkEnrolment"/>); here only the file as a whole is judged.
/// </summary>
public static class VolunteerSheet
{
    /// <summary>The largest sheet the portal takes (2 MiB).</summary>
    public const int MaxFileBytes = 2 * 1024 * 1024;

    /// <summary>The most volunteers in one sheet.</summary>
    public const int MaxRows = 5000;

    /// <summary>The columns, in order, mirroring the single enrolment form.</summary>
    public static readonly IReadOnlyList<string> Header =
    [
        "name", "national_id", "sex", "birth_date", "phone", "address", "abo", "rh", "cmv",
        "contact_name", "contact_relationship", "contact_phone",
    ];

    /// <summary>The header as a CSV line.</summary>
    public static string HeaderLine => string.Join(',', Header);

    /// <summary>Reads a sheet.</summary>
    /// <param name="fileName">The file's name as uploaded (its extension says CSV or XLSX).</param>
    /// <param name="bytes">The file.</param>
    /// <returns>Its rows, or why it was refused.</returns>
    public static SheetReading Read(string? fileName, byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return SheetReading.Refused(SheetRefusal.NoFile);
        }

        if (bytes.Length > MaxFileBytes)
        {
            return SheetReading.Refused(SheetRefusal.TooLarge, bytes.Length.ToString("N0", CultureInfo.InvariantCulture));
        }

        var extension = Path.GetExtension(fileName ?? string.Empty);
        List<string[]>? lines;
        if (string.Equals(extension, ".csv", StringComparison.OrdinalIgnoreCase))
        {
            string text;
            try
            {
                text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return SheetReading.Refused(SheetRefusal.NotUtf8);
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                return SheetReading.Refused(SheetRefusal.NotUtf8);
            }

            lines = ParseCsv(text.TrimStart('\uFEFF'), out var openAt);
            if (lines is null)
            {
                return SheetReading.Refused(SheetRefusal.BadCsv, openAt.ToString(CultureInfo.InvariantCulture));
            }
        }
        else if (string.Equals(extension, ".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            var (refusal, rows) = ReadXlsx(bytes);
            if (refusal is { } why)
            {
                return SheetReading.Refused(why);
            }

            lines = rows!;
        }
        else
        {
            return SheetReading.Refused(SheetRefusal.WrongType);
        }

        return FromLines(lines);
    }

    /// <summary>A template: the header and one example row, as CSV (UTF-8 with a byte order mark, so Excel reads it).</summary>
    /// <returns>The file.</returns>
    public static byte[] CsvTemplate()
    {
        var text = HeaderLine + "\r\n" + string.Join(',', Example.Select(Quote)) + "\r\n";
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
    }

    /// <summary>A template: the header and one example row, as XLSX (every cell text, so ID numbers keep their digits).</summary>
    /// <returns>The file.</returns>
    public static byte[] XlsxTemplate() => Xlsx([[.. Header], Example]);

    /// <summary>Writes rows (the first is the header) as a one-sheet workbook of text cells.</summary>
    /// <param name="rows">The rows.</param>
    /// <returns>The file.</returns>
    public static byte[] Xlsx(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var values = rows.Select(row =>
        {
            var cells = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < row.Count; i++)
            {
                cells[ColumnName(i)] = row[i];
            }

            return cells;
        }).ToList();
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, values, printHeader: false, sheetName: "volunteers", excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    /// <summary>Writes rows (the first is the header) as CSV.</summary>
    /// <param name="rows">The rows.</param>
    /// <returns>The text.</returns>
    public static string Csv(IEnumerable<IReadOnlyList<string>> rows) =>
        string.Concat(rows.Select(row => string.Join(',', row.Select(Quote)) + "\r\n"));

    private static readonly string[] Example =
    [
        "张三", "110105199001011234", "Male", "1990-01-01", "13800138000", "北京市朝阳区惠新东街10号", "Unknown", "Unknown", "Unknown",
        "张四", "父亲", "13900139000",
    ];

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static SheetReading FromLines(List<string[]> lines)
    {
        // Blank rows (every cell empty) are left out; row numbers stay those of the file.
        var numbered = lines.Select((cells, i) => (Row: i + 1, Cells: cells))
            .Where(l => l.Cells.Any(c => !string.IsNullOrWhiteSpace(c)))
            .ToList();
        if (numbered.Count == 0)
        {
            return SheetReading.Refused(SheetRefusal.Empty);
        }

        var header = numbered[0].Cells.Select(c => c.Trim()).ToList();
        while (header.Count > 0 && header[^1].Length == 0)
        {
            header.RemoveAt(header.Count - 1);
        }

        if (!header.SequenceEqual(Header, StringComparer.OrdinalIgnoreCase))
        {
            return SheetReading.Refused(SheetRefusal.BadHeader, string.Join(',', header));
        }

        if (numbered.Count == 1)
        {
            return SheetReading.Refused(SheetRefusal.Empty);
        }

        if (numbered.Count - 1 > MaxRows)
        {
            return SheetReading.Refused(SheetRefusal.TooManyRows, (numbered.Count - 1).ToString(CultureInfo.InvariantCulture));
        }

        var rows = new List<SheetRow>(numbered.Count - 1);
        foreach (var (row, cells) in numbered.Skip(1))
        {
            var byName = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < Header.Count; i++)
            {
                byName[Header[i]] = i < cells.Length ? cells[i].Trim() : string.Empty;
            }

            rows.Add(new SheetRow(row, byName));
        }

        return new SheetReading(rows, null);
    }

    /// <summary>RFC 4180: fields split by commas, rows by CR LF or LF, quoted fields with doubled quotes inside; null when a quote is left open.</summary>
    private static List<string[]>? ParseCsv(string text, out int openAt)
    {
        openAt = 0;
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var fieldStartLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStartLine = line;
                    break;
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add([.. row]);
                    row.Clear();
                    line++;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            openAt = fieldStartLine;
            return null;
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }

    private static (SheetRefusal? Refusal, List<string[]>? Rows) ReadXlsx(byte[] bytes)
    {
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read))
            {
                var workbook = zip.GetEntry("xl/workbook.xml");
                if (workbook is null)
                {
                    return (SheetRefusal.NotXlsx, null);
                }

                if (CountElements(workbook, "sheet") != 1)
                {
                    return (CountElements(workbook, "sheet") == 0 ? SheetRefusal.Empty : SheetRefusal.ManySheets, null);
                }

                foreach (var part in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)))
                {
                    if (CountElements(part, "f") > 0)
                    {
                        return (SheetRefusal.Formulas, null);
                    }
                }
            }

            using var stream = new MemoryStream(bytes, writable: false);
            var rows = new List<string[]>();
            foreach (IDictionary<string, object?> cells in MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX))
            {
                rows.Add([.. cells.Values.Select(Text)]);
            }

            return (null, rows);
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException or ArgumentException or FormatException)
        {
            return (SheetRefusal.NotXlsx, null);
        }
    }

    private static int CountElements(ZipArchiveEntry entry, string localName)
    {
        using var stream = entry.Open();
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var count = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == localName)
            {
                count++;
            }
        }

        return count;
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("s", CultureInfo.InvariantCulture),
        double n => n.ToString("0.###############", CultureInfo.InvariantCulture),
        decimal n => n.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
