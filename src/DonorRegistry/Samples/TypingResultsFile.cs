using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using DonorRegistry.Donors;

namespace DonorRegistry.Samples;

/// <summary>
/// Reads a lab's typing-results CSV as a stream, in two passes, so memory stays bounded whatever the file's size and a
/// file that cannot be read as a whole (empty, not UTF-8, larger than the limit, a header without the needed
/// columns, more than a million rows, a record that never ends) changes nothing: the first pass checks the whole
/// file and keeps none of it, the second yields one row at a time while the import applies them in batches. A
/// stream that cannot seek is copied to a temporary file (readable by this user only, deleted on close) during the
/// first pass. Columns are found by name, in any order and case, with or without an <c>HLA-</c> prefix: a barcode
/// column (<c>Barcode</c>, <c>Sample</c>, <c>SampleId</c>, <c>Tube</c>), optionally the day typed (<c>TypedOn</c>,
/// <c>Date</c>, <c>ReportDate</c>), and each locus either as one genotype column (<c>HLA-A</c> holding
/// <c>A*02:01+A*24:02</c>) or as two allele columns (<c>A1</c>, <c>A2</c> or <c>A_1</c>, <c>A_2</c>; alleles may omit
/// the locus, as in <c>02:01</c>). Other columns are ignored.
/// </summary>
internal sealed class TypingResultsFile : IDisposable
{
    public const int MaxRows = 1_000_000;

    /// <summary>The default of <see cref="RegistryOptions.MaxTypingFileBytes"/>: 256 MiB.</summary>
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    /// <summary>The longest record (line) read, in bytes: guards against an unclosed quote swallowing the file.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    private static readonly string[] BarcodeNames = ["barcode", "samplebarcode", "sample", "sampleid", "tube", "tubeid"];
    private static readonly string[] DateNames = ["typedon", "date", "reportdate", "reportedon", "typingdate"];

    private readonly Stream _source;
    private readonly long _start;
    private readonly bool _ownsSource;
    private readonly Encoding? _encoding;
    private readonly string _fileName;
    private readonly ColumnMap _columns;

    private TypingResultsFile(Stream source, long start, bool ownsSource, Encoding? encoding, string fileName, ColumnMap columns, int rows)
    {
        _source = source;
        _start = start;
        _ownsSource = ownsSource;
        _encoding = encoding;
        _fileName = fileName;
        _columns = columns;
        Rows = rows;
    }

    /// <summary>One data row as written: its line, barcode, day typed (if the file has the column) and genotype per locus.</summary>
    public sealed record Row(int Line, string Barcode, string? TypedOn, IReadOnlyDictionary<string, string> Genotypes, IReadOnlyList<string> MissingLoci);

    /// <summary>The data rows the file holds (the header not counted).</summary>
    public int Rows { get; }

    /// <summary>
    /// The first pass: checks the whole file (size, encoding, header, row count, record length) and keeps none of it.
    /// Throws <see cref="TypingImportException"/> for a file that cannot be read as a whole.
    /// </summary>
    public static TypingResultsFile Open(Stream stream, string fileName, long maxBytes)
    {
        var (source, start, owns) = Seekable(stream, fileName, maxBytes);
        try
        {
            var length = source.Length - start;
            if (length > maxBytes)
            {
                throw TooLarge(fileName, length, maxBytes);
            }

            if (length == 0)
            {
                throw new TypingImportException(fileName, "the file is empty", "Give a header row and one row per sample under it", ValidationCode.Required, "File");
            }

            var encoding = Bom(source, start);
            using var csv = Reader(source, start, encoding, fileName, check: true);
            var columns = Header(csv, fileName);
            var rows = 0;
            do
            {
                if (++rows > MaxRows)
                {
                    throw new TypingImportException(fileName, $"it has more than {MaxRows:N0} rows", "Split it into smaller files", ValidationCode.TooLong, "Rows", arguments: Args((ValidationArgument.Max, MaxRows.ToString(CultureInfo.InvariantCulture))));
                }
            }
            while (Next(csv, fileName));

            return new TypingResultsFile(source, start, owns, encoding, fileName, columns, rows);
        }
        catch
        {
            if (owns)
            {
                source.Dispose();
            }

            throw;
        }
    }

    /// <summary>The second pass: the rows, one at a time, from the start of the file again.</summary>
    public IEnumerable<Row> Read()
    {
        using var csv = Reader(_source, _start, _encoding, _fileName, check: false);
        Header(csv, _fileName);
        do
        {
            yield return ToRow(csv, _columns);
        }
        while (Next(csv, _fileName));
    }

    public void Dispose()
    {
        if (_ownsSource)
        {
            _source.Dispose();
        }
    }

    /// <summary>The stream itself when it can seek, else a copy of it in a temporary file (refused past the limit while copying).</summary>
    private static (Stream Source, long Start, bool Owns) Seekable(Stream stream, string fileName, long maxBytes)
    {
        if (stream.CanSeek)
        {
            return (stream, stream.Position, false);
        }

        var path = Path.Combine(Path.GetTempPath(), $"donorregistry-import-{Guid.NewGuid():N}.csv");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, Options = FileOptions.DeleteOnClose };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var copy = new FileStream(path, options);
        try
        {
            var buffer = new byte[81920];
            long total = 0;
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                total += n;
                if (total > maxBytes)
                {
                    throw TooLarge(fileName, null, maxBytes);
                }

                copy.Write(buffer, 0, n);
            }

            copy.Position = 0;
            return (copy, 0, true);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>The encoding a UTF-16 or UTF-32 byte order mark names, or null for UTF-8 (with or without its BOM).</summary>
    private static Encoding? Bom(Stream source, long start)
    {
        Span<byte> head = stackalloc byte[4];
        source.Position = start;
        var n = source.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        source.Position = start;
        return head[..n] switch
        {
            [0xFF, 0xFE, 0x00, 0x00] => Encoding.UTF32,
            [0x00, 0x00, 0xFE, 0xFF] => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
            [0xFF, 0xFE, ..] => Encoding.Unicode,
            [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode,
            _ => null,
        };
    }

    /// <summary>A CSV reader over the file from its start, as UTF-8 (transcoded from UTF-16/32), checked as it is read in the first pass.</summary>
    private static CsvReader Reader(Stream source, long start, Encoding? encoding, string fileName, bool check)
    {
        source.Position = start;
        var bytes = new NotClosing(source);
        Stream utf8 = encoding is null ? bytes : Encoding.CreateTranscodingStream(bytes, encoding, Encoding.UTF8, leaveOpen: true);
        if (check)
        {
            utf8 = new CheckedUtf8(utf8, fileName);
        }

        var options = new CsvReaderOptions { TrackLineNumbers = true, TrimWhitespace = true, SkipEmptyLines = true, MaxRecordSize = MaxRecordBytes, IncludeValuesInExceptions = false, Encoding = Encoding.UTF8 };
        return CsvReader.Create(utf8, options, leaveOpen: false);
    }

    private static ColumnMap Header(CsvReader csv, string fileName)
    {
        if (!Next(csv, fileName))
        {
            throw new TypingImportException(fileName, csv.Headers.Count == 0 ? "the file is empty" : "the file has a header but no rows", "Give a header row and one row per sample under it", ValidationCode.Required, csv.Headers.Count == 0 ? "File" : "Rows");
        }

        return Columns(csv.Headers.ToArray(), fileName);
    }

    /// <summary>The next record; a record longer than the limit (an unclosed quote, say) is a file that cannot be read.</summary>
    private static bool Next(CsvReader csv, string fileName)
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw new TypingImportException(fileName, $"a record near line {csv.LineNumber:N0} cannot be read ({e.Message.TrimEnd('.')})", $"Close every quote, and keep each row under {MaxRecordBytes:N0} bytes", ValidationCode.BadFormat, "Line", arguments: Args((ValidationArgument.Line, csv.LineNumber.ToString(CultureInfo.InvariantCulture)), (ValidationArgument.Max, MaxRecordBytes.ToString(CultureInfo.InvariantCulture))));
        }
    }

    private static TypingImportException TooLarge(string fileName, long? bytes, long maxBytes) =>
        new(fileName, $"it is {(bytes is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "more than " + maxBytes.ToString("N0", CultureInfo.InvariantCulture))} bytes", $"Split it into files of at most {maxBytes:N0} bytes, or raise RegistryOptions.MaxTypingFileBytes", ValidationCode.TooLong, "File", arguments: bytes is { } known
            ? Args((ValidationArgument.Max, maxBytes.ToString(CultureInfo.InvariantCulture)), (ValidationArgument.Length, known.ToString(CultureInfo.InvariantCulture)))
            : Args((ValidationArgument.Max, maxBytes.ToString(CultureInfo.InvariantCulture))));

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
            throw new TypingImportException(fileName, $"the header ({Shown(header)}) has no barcode column", allowed, ValidationCode.Required, "Header", Shown(header), Args((ValidationArgument.Expected, "Barcode")));
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
                throw new TypingImportException(fileName, $"the header ({Shown(header)}) has a second {locus} column but no first", allowed, ValidationCode.Required, "Header", Shown(header), Args((ValidationArgument.Expected, locus + "1")));
            }

            loci[locus] = (slots[0]!.Value, slots[1]);
        }

        var missing = TypingResult.RequiredLoci.Where(l => !loci.ContainsKey(l)).ToList();
        if (missing.Count > 0)
        {
            throw new TypingImportException(fileName, $"the header ({Shown(header)}) has no column for {string.Join(", ", missing)}", allowed, ValidationCode.Required, "Header", Shown(header), Args((ValidationArgument.Expected, string.Join(", ", missing.Select(l => "HLA-" + l)))));
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
        return bare.Length > 0 && char.IsAsciiDigit(bare[0]) ? $"{locus}*{bare}" : value; // "HLA-" alone stays as written (the parser refuses it)
    }

    private static string Normalize(string header)
    {
        var name = new string(header.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        return name.StartsWith("hla", StringComparison.Ordinal) ? name[3..] : name;
    }

    /// <summary>The header for a message: its first 120 characters.</summary>
    private static string Shown(string[] header) => header.Length == 0 ? "empty" : Guard.Prefix(string.Join(",", header), 120)!;

    private static TypingImportException Duplicate(string fileName, string[] header, string column) =>
        new(fileName, $"the header ({Shown(header)}) names '{Guard.Prefix(column)}' twice (or as both one and two columns)", "Give each column once", ValidationCode.Duplicate, "Header", Guard.Prefix(column));

    /// <summary>Checks UTF-8 as it passes, across read boundaries; names the offset and line of the first bad byte.</summary>
    private sealed class CheckedUtf8(Stream inner, string fileName) : Stream
    {
        private byte[] _work = new byte[4];
        private char[] _chars = [];
        private int _carry;
        private long _offset;
        private int _lines = 1;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            Check(buffer[..n], final: n == 0);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Check(ReadOnlySpan<byte> data, bool final)
        {
            if (data.Length == 0 && _carry == 0)
            {
                return;
            }

            if (_work.Length < _carry + data.Length)
            {
                Array.Resize(ref _work, _carry + data.Length);
                _chars = new char[_work.Length];
            }

            data.CopyTo(_work.AsSpan(_carry));
            var span = _work.AsSpan(0, _carry + data.Length);
            var status = Utf8.ToUtf16(span, _chars, out var valid, out _, replaceInvalidSequences: false, isFinalBlock: final);
            _lines += span[..valid].Count((byte)'\n');
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                var bad = string.Join(" ", span[valid..].ToArray().Take(2).Select(b => $"0x{b:X2}"));
                throw new TypingImportException(fileName, $"it is not UTF-8 text (bytes {bad} at offset {_offset + valid:N0}, line {_lines}; GBK or Latin-1 perhaps)", "Save the file as UTF-8 (with or without BOM) and import it again", ValidationCode.BadFormat, "Encoding", arguments: Args((ValidationArgument.Line, _lines.ToString(CultureInfo.InvariantCulture)), (ValidationArgument.Expected, "UTF-8")));
            }

            _offset += valid;
            _carry = span.Length - valid;
            span[valid..].CopyTo(_work);
        }
    }

    /// <summary>The source seen through a reader that must not close it (the second pass reads it again).</summary>
    private sealed class NotClosing(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static Dictionary<string, string> Args(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
}
