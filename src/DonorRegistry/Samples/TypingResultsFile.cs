using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using DonorRegistry.Donors;

namespace DonorRegistry.Samples;

/// <summary>
/// Reads a lab's typing-results CSV as a whole before anything is applied, so a file that cannot be read
/// (empty, not UTF-8, a header without the needed columns) changes nothing. Columns are found by name, in any
/// order and case, with or without an <c>HLA-</c> prefix: a barcode column (<c>Barcode</c>, <c>Sample</c>,
/// <c>SampleId</c>, <c>Tube</c>), optionally the day typed (<c>TypedOn</c>, <c>Date</c>, <c>ReportDate</c>), and each
/// locus either as one genotype column (<c>HLA-A</c> holding <c>A*02:01+A*24:02</c>) or as two allele columns
/// (<c>A1</c>, <c>A2</c> or <c>A_1</c>, <c>A_2</c>; alleles may omit the locus, as in <c>02:01</c>). Other columns are ignored.
/// </summary>
internal static class TypingResultsFile
{
    public const int MaxRows = 1_000_000;
    private static readonly string[] BarcodeNames = ["barcode", "samplebarcode", "sample", "sampleid", "tube", "tubeid"];
    private static readonly string[] DateNames = ["typedon", "date", "reportdate", "reportedon", "typingdate"];

    /// <summary>One data row as written: its line, barcode, day typed (if the file has the column) and genotype per locus.</summary>
    public sealed record Row(int Line, string Barcode, string? TypedOn, IReadOnlyDictionary<string, string> Genotypes, IReadOnlyList<string> MissingLoci);

    public const int MaxBytes = 256 * 1024 * 1024;

    public static List<Row> Read(Stream stream, string fileName)
    {
        var bytes = Utf8Bytes(stream, fileName);
        var options = new CsvReaderOptions { TrackLineNumbers = true, TrimWhitespace = true, SkipEmptyLines = true };
        using var csv = CsvReader.Create(bytes, options);
        if (!csv.Read())
        {
            throw new TypingImportException(fileName, csv.Headers.Count == 0 ? "the file is empty" : "the file has a header but no rows", "Give a header row and one row per sample under it");
        }

        var columns = Columns(csv.Headers.ToArray(), fileName);
        var rows = new List<Row>();
        do
        {
            if (rows.Count == MaxRows)
            {
                throw new TypingImportException(fileName, $"it has more than {MaxRows:N0} rows", "Split it into smaller files");
            }

            rows.Add(ToRow(csv, columns));
        }
        while (csv.Read());

        return rows;
    }

    /// <summary>The file as UTF-8 bytes: UTF-8 as it is (BOM or not), UTF-16/32 with a BOM transcoded, anything else refused with where it breaks.</summary>
    private static byte[] Utf8Bytes(Stream stream, string fileName)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        if (buffer.Length > MaxBytes)
        {
            throw new TypingImportException(fileName, $"it is {buffer.Length:N0} bytes", $"Split it into files of at most {MaxBytes:N0} bytes");
        }

        var bytes = buffer.ToArray();
        if (bytes.Length == 0)
        {
            throw new TypingImportException(fileName, "the file is empty", "Give a header row and one row per sample under it");
        }

        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
            return Encoding.UTF8.GetBytes(reader.ReadToEnd());
        }

        var status = Utf8.ToUtf16(bytes, new char[bytes.Length], out var valid, out _, replaceInvalidSequences: false);
        if (status != System.Buffers.OperationStatus.Done)
        {
            var line = bytes.AsSpan(0, valid).Count((byte)'\n') + 1;
            var bad = string.Join(" ", bytes.Skip(valid).Take(2).Select(b => $"0x{b:X2}"));
            throw new TypingImportException(fileName, $"it is not UTF-8 text (bytes {bad} at offset {valid:N0}, line {line}; GBK or Latin-1 perhaps)", "Save the file as UTF-8 (with or without BOM) and import it again");
        }

        return bytes;
    }

    private sealed record ColumnMap(int Barcode, int? Date, IReadOnlyDictionary<string, (int First, int? Second)> Loci);

    private static ColumnMap Columns(string[] header, string fileName)
    {
        int? barcode = null;
        int? date = null;
        var single = new Dictionary<string, int>(StringComparer.Ordinal);
        var pairs = new Dictionary<string, int?[]>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = Normalize(header[i]);
            if (BarcodeNames.Contains(name))
            {
                barcode = barcode is null ? i : throw Duplicate(fileName, header, header[i]);
                continue;
            }

            if (DateNames.Contains(name))
            {
                date = date is null ? i : throw Duplicate(fileName, header, header[i]);
                continue;
            }

            foreach (var locus in TypingResult.KnownLoci)
            {
                var key = locus.ToLowerInvariant();
                if (name == key)
                {
                    if (!single.TryAdd(locus, i) || pairs.ContainsKey(locus))
                    {
                        throw Duplicate(fileName, header, header[i]);
                    }
                }
                else if (name.Length == key.Length + 1 && name.StartsWith(key, StringComparison.Ordinal) && name[^1] is '1' or '2')
                {
                    var slots = pairs.TryGetValue(locus, out var s) ? s : pairs[locus] = new int?[2];
                    var slot = name[^1] - '1';
                    if (slots[slot] is not null || single.ContainsKey(locus))
                    {
                        throw Duplicate(fileName, header, header[i]);
                    }

                    slots[slot] = i;
                }
            }
        }

        var allowed = "Name a barcode column (Barcode, Sample, SampleId or Tube) and the loci, each as one column (HLA-A) or two (A1, A2); TypedOn is optional";
        if (barcode is null)
        {
            throw new TypingImportException(fileName, $"the header ({Shown(header)}) has no barcode column", allowed);
        }

        var loci = new Dictionary<string, (int, int?)>(StringComparer.Ordinal);
        foreach (var (locus, index) in single)
        {
            loci[locus] = (index, null);
        }

        foreach (var (locus, slots) in pairs)
        {
            if (slots[0] is null)
            {
                throw new TypingImportException(fileName, $"the header ({Shown(header)}) has a second {locus} column but no first", allowed);
            }

            loci[locus] = (slots[0]!.Value, slots[1]);
        }

        var missing = TypingResult.RequiredLoci.Where(l => !loci.ContainsKey(l)).ToList();
        if (missing.Count > 0)
        {
            throw new TypingImportException(fileName, $"the header ({Shown(header)}) has no column for {string.Join(", ", missing)}", allowed);
        }

        return new ColumnMap(barcode.Value, date, loci);
    }

    private static Row ToRow(CsvReader csv, ColumnMap columns)
    {
        string Field(int index) => csv.IsEmpty(index) ? string.Empty : csv.GetString(index) ?? string.Empty;

        var genotypes = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (locus, (first, second)) in columns.Loci)
        {
            var one = Qualify(locus, Field(first));
            var two = second is { } s ? Qualify(locus, Field(s)) : string.Empty;
            var genotype = (one.Length, two.Length) switch
            {
                (0, 0) => string.Empty,
                (0, _) => two,
                (_, 0) => one,
                _ => one + "+" + two,
            };
            if (genotype.Length == 0)
            {
                missing.Add(locus);
            }
            else
            {
                genotypes[locus] = genotype;
            }
        }

        var date = columns.Date is { } d ? Field(d) : null;
        return new Row((int)csv.LineNumber, Field(columns.Barcode), string.IsNullOrEmpty(date) ? null : date, genotypes, missing);
    }

    /// <summary>Puts the locus in front of an allele written without it (<c>02:01</c> under A becomes <c>A*02:01</c>).</summary>
    private static string Qualify(string locus, string value)
    {
        if (value.Length == 0 || value == "-" || value.Contains('*', StringComparison.Ordinal) || value.Contains('+', StringComparison.Ordinal))
        {
            return value == "-" ? string.Empty : value;
        }

        var bare = value.StartsWith("HLA-", StringComparison.OrdinalIgnoreCase) ? value[4..] : value;
        return char.IsAsciiDigit(bare[0]) ? $"{locus}*{bare}" : value;
    }

    private static string Normalize(string header)
    {
        var name = new string(header.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        return name.StartsWith("hla", StringComparison.Ordinal) ? name[3..] : name;
    }

    private static string Shown(string[] header) => header.Length == 0 ? "empty" : string.Join(",", header);

    private static TypingImportException Duplicate(string fileName, string[] header, string column) =>
        new(fileName, $"the header ({Shown(header)}) names '{column}' twice (or as both one and two columns)", "Give each column once");
}
