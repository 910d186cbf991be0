using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Storage;

namespace DonorRegistry.Samples;

/// <content>The typing-results import: a lab's CSV file, checked row by row and applied in batches through the change pipeline.</content>
public sealed partial class SampleOperations
{
    /// <summary>
    /// Imports a typing-results file from the lab (see <see cref="ImportTypingResults(Stream, string, DateOnly, Access.Actor, string?)"/>).
    /// </summary>
    /// <param name="path">The CSV file, UTF-8.</param>
    /// <param name="lab">The lab that typed the samples.</param>
    /// <param name="reportedOn">The day typed, for rows without a TypedOn column.</param>
    /// <param name="by">Who imports.</param>
    /// <returns>What was imported, and each row that was not, with its line and reason.</returns>
    /// <exception cref="RegistryValidationException">The path is blank, or an argument breaks a rule.</exception>
    /// <exception cref="TypingImportException">The file does not exist, its folder does not exist, it is a folder or cannot be read; or it is empty, not UTF-8, larger than <see cref="RegistryOptions.MaxTypingFileBytes"/>, or its header lacks a needed column. Nothing was imported.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public TypingImportResult ImportTypingResults(string path, string lab, DateOnly reportedOn, Actor by)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RegistryValidationException(nameof(path), path, "is blank", "give the path of the lab's CSV file");
        }

        using var stream = OpenFile(path);
        return ImportTypingResults(stream, lab, reportedOn, by, Path.GetFileName(path));
    }

    /// <summary>Opens the lab's file for reading; a path that names no readable file is the importer's own refusal.</summary>
    private static FileStream OpenFile(string path)
    {
        var name = Guard.Prefix(path, 200)!;
        try
        {
            if (Directory.Exists(path))
            {
                throw new TypingImportException(name, "the path is a folder, not a file", "Give the path of the lab's CSV file");
            }

            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
        }
        catch (DirectoryNotFoundException)
        {
            throw new TypingImportException(name, $"the folder {Guard.Prefix(Path.GetDirectoryName(path), 200)} does not exist", "Check the path of the lab's CSV file");
        }
        catch (FileNotFoundException)
        {
            throw new TypingImportException(name, "no such file", "Check the path of the lab's CSV file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new TypingImportException(name, "this process may not read it", "Give the registry's service account read permission on the file");
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            throw new TypingImportException(name, $"it cannot be opened ({e.GetType().Name}: {Guard.Prefix(e.Message, 120)})", "Check the path of the lab's CSV file");
        }
    }

    /// <summary>
    /// Imports the lab's typing results: one CSV row per sample barcode, each locus as one genotype column
    /// (<c>A*02:01+A*24:02</c>) or two allele columns. Each good row moves the sample (and, when the lab's receipt
    /// was never recorded, its receipt) and the donor to Typed, and lists the donor when their drive lists typed
    /// donors automatically. A bad row (unknown barcode, malformed allele, missing locus, a sample already typed
    /// differently, shipped nowhere or rejected) is reported with its line and reason and does not stop the good
    /// rows. Importing the same file again changes nothing: its rows count as already imported.
    /// </summary>
    /// <param name="csv">The file's content, UTF-8.</param>
    /// <param name="lab">The lab that typed the samples (1 to 100 characters).</param>
    /// <param name="reportedOn">The day typed, for rows without a TypedOn column: today or earlier.</param>
    /// <param name="by">Who imports.</param>
    /// <param name="fileName">The name to give in messages.</param>
    /// <returns>What was imported, and each row that was not, with its line and reason.</returns>
    /// <exception cref="RegistryValidationException">The stream is null, the lab or actor breaks a rule, or the day is in the future.</exception>
    /// <exception cref="TypingImportException">The file is empty, not UTF-8, larger than <see cref="RegistryOptions.MaxTypingFileBytes"/>, has more than a million rows or a record that never ends (an unclosed quote), or its header lacks a needed column; nothing was imported.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public TypingImportResult ImportTypingResults(Stream csv, string lab, DateOnly reportedOn, Actor by, string? fileName = null)
    {
        Guard.NotNull(csv, nameof(csv), "give the lab's CSV file as a stream");
        var labName = Guard.Text(lab, nameof(lab));
        if (labName.Length > MaxLabLength)
        {
            throw new RegistryValidationException(nameof(lab), Guard.Prefix(labName), $"has {labName.Length} characters", $"give at most {MaxLabLength}", ValidationCode.TooLong, Guard.Args((ValidationArgument.Max, MaxLabLength), (ValidationArgument.Length, labName.Length)));
        }

        var actor = _writes.Access.Check(by, RegistryAction.ImportTypingResults);
        var today = _options.DayOf(_time.GetUtcNow());
        Guard.NotAfterToday(reportedOn, today, nameof(reportedOn), "give the day the lab reported");

        using var file = TypingResultsFile.Open(csv, Guard.Prefix(fileName, 200) ?? "the stream", _options.MaxTypingFileBytes);
        var errors = new List<TypingImportError>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new ImportCounts();
        var genotypes = new GenotypeChecks(_options.Hla);
        foreach (var rows in file.Read().Chunk(ImportBatch))
        {
            var ready = Known(Prepare(rows, labName, reportedOn, errors, seen, genotypes), errors);
            if (ready.Count == 0)
            {
                continue;
            }

            try
            {
                ApplyBatch(ready, actor, counts, errors);
            }
            catch (DonorRegistryException)
            {
                // Something changed under a row between its check and its write: redo the batch row by row.
                foreach (var row in ready)
                {
                    try
                    {
                        ApplyBatch([row], actor, counts, errors);
                    }
                    catch (DonorRegistryException e)
                    {
                        errors.Add(new TypingImportError(row.Row.Line, row.Row.Barcode, e.Message));
                    }
                }
            }
        }

        return new TypingImportResult(file.Rows, counts.Imported, counts.AlreadyImported, counts.Listed, errors.OrderBy(e => e.Line).ToList());
    }

    private sealed record ReadyRow(TypingResultsFile.Row Row, TypingResult Typing);

    private sealed class ImportCounts
    {
        public int Imported { get; set; }

        public int AlreadyImported { get; set; }

        public int Listed { get; set; }
    }

    /// <summary>Checks each row on its own (barcode, loci, alleles, day); the bad ones become errors.</summary>
    private List<ReadyRow> Prepare(TypingResultsFile.Row[] rows, string lab, DateOnly reportedOn, List<TypingImportError> errors, Dictionary<string, int> seen, GenotypeChecks genotypes)
    {
        var ready = new List<ReadyRow>(rows.Length);
        foreach (var row in rows)
        {
            string? problem = null;
            var coded = new TypingImportError(row.Line, string.Empty, string.Empty);
            var typedOn = reportedOn;
            if (!IsBarcode(row.Barcode))
            {
                problem = $"barcode '{Guard.Prefix(row.Barcode)}' is not a tube barcode; use 1 to {MaxBarcodeLength} letters, digits, '-' or '_'";
                coded = coded with { Code = ValidationCode.BadFormat, Field = "Barcode", Arguments = Guard.Args((ValidationArgument.Expected, $"1-{MaxBarcodeLength} A-Z a-z 0-9 - _")) };
            }
            else if (!seen.TryAdd(row.Barcode, row.Line))
            {
                problem = $"barcode {row.Barcode} was already given on line {seen[row.Barcode]}; give each sample once";
                coded = coded with { Code = ValidationCode.Duplicate, Field = "Barcode", Arguments = Guard.Args((ValidationArgument.First, seen[row.Barcode])) };
            }
            else if (row.MissingLoci.Intersect(TypingResult.RequiredLoci).ToList() is { Count: > 0 } missing)
            {
                problem = $"locus {string.Join(", ", missing)} is empty; a typing names at least {string.Join(", ", TypingResult.RequiredLoci)}";
                coded = coded with { Code = ValidationCode.Required, Field = $"Typing.{missing[0]}" };
            }
            else if (row.TypedOn is { } day && !DateOnly.TryParseExact(day, ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out typedOn))
            {
                problem = $"typed-on day '{Guard.Prefix(day)}' is not a date; write it as yyyy-MM-dd";
                coded = coded with { Code = ValidationCode.BadFormat, Field = "TypedOn", Arguments = Guard.Args((ValidationArgument.Expected, "yyyy-MM-dd")) };
            }

            if (problem is null)
            {
                var typing = new TypingResult(lab, typedOn, row.Genotypes);
                string? checking = null;
                try
                {
                    _donors.ValidateTyping(typing, (locus, genotype) =>
                    {
                        checking = locus;
                        genotypes.Check(locus, genotype);
                    });
                    ready.Add(new ReadyRow(row, typing));
                    continue;
                }
                catch (RegistryValidationException e)
                {
                    problem = e.Message;
                    coded = coded with { Code = e.Code, Field = e.Field, Arguments = e.Arguments };
                }
                catch (Exception e) when (e is Hla.HlaParseException or Hla.HlaNameException)
                {
                    // The parser names the position or the name the release refuses; the locus is the first it refuses.
                    problem = e.Message;
                    coded = coded with { Code = ValidationCode.BadFormat, Field = $"Typing.{checking}", Arguments = Guard.Args((ValidationArgument.Expected, "A*02:01+A*24:02")) };
                }
            }

            errors.Add(coded with { Barcode = Guard.Prefix(row.Barcode)!, Reason = problem });
        }

        return ready;
    }

    /// <summary>
    /// The rows whose barcode a sample has, found in one indexed read; the others become errors without a write. A
    /// file of unknown tubes costs one read per batch, not a lookup per row and a commit per batch. The rows kept are
    /// read again inside their write (<see cref="ApplyBatch"/>), where their state decides.
    /// </summary>
    private List<ReadyRow> Known(List<ReadyRow> rows, List<TypingImportError> errors)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var found = Store.FindMany(rows.ConvertAll(r => r.Row.Barcode));
        if (found.Count == rows.Count)
        {
            return rows;
        }

        var known = new List<ReadyRow>(found.Count);
        foreach (var row in rows)
        {
            if (found.ContainsKey(row.Row.Barcode))
            {
                known.Add(row);
            }
            else
            {
                errors.Add(NotFound(row.Row));
            }
        }

        return known;
    }

    private static TypingImportError NotFound(TypingResultsFile.Row row) =>
        new(row.Line, row.Barcode, Unknown(row.Barcode)) { Code = ValidationCode.NotFound, Field = "Barcode", Arguments = Guard.Args((ValidationArgument.Id, row.Barcode)) };

    private static string Unknown(string barcode) => $"no sample with barcode {barcode} is in the registry; check the tube label";

    /// <summary>Applies rows in one transaction; a row the registry's state refuses becomes an error, not an exception.</summary>
    private void ApplyBatch(IReadOnlyList<ReadyRow> rows, string actor, ImportCounts counts, List<TypingImportError> errors)
    {
        var drives = new Dictionary<string, bool>(StringComparer.Ordinal);
        var batchErrors = new List<TypingImportError>();
        var (imported, already, listed) = _writes.Pipeline.Write(actor, scope =>
        {
            int imported = 0, already = 0, listed = 0;
            var typedPerDrive = new Dictionary<string, int>(StringComparer.Ordinal);
            var samples = Store.FindMany(rows.Select(r => r.Row.Barcode).ToList());
            foreach (var (row, typing) in rows)
            {
                var refusal = Refusal(row.Barcode, typing, samples, out var loaded, out var alreadyTyped);
                if (alreadyTyped)
                {
                    already++;
                    continue;
                }

                if (refusal is not null)
                {
                    batchErrors.Add(new TypingImportError(row.Line, row.Barcode, refusal)
                    {
                        Code = loaded is null ? ValidationCode.NotFound : ValidationCode.WrongState,
                        Field = "Barcode",
                        Arguments = loaded is null ? Guard.Args((ValidationArgument.Id, row.Barcode)) : Guard.Args((ValidationArgument.Id, row.Barcode), (ValidationArgument.State, loaded.Value.State)),
                    });
                    continue;
                }

                // The sample: its receipt (when the lab's was never recorded) and its typing, stored once.
                var sample = loaded!.Value;
                if (sample.State == SampleState.Shipped)
                {
                    scope.Step(_writes.Sample, loaded, nameof(SampleTrigger.Receive), "received (typing results imported)", s => new SampleLifecycle(s).Receive());
                }

                scope.Step(_writes.Sample, loaded, nameof(SampleTrigger.RecordTyping), $"typed by {typing.Lab}", s => new SampleLifecycle(s).RecordTyping());
                scope.Save(_writes.Sample, loaded);

                // The donor: typed, then listed when the drive says so and the lifecycle allows it; stored once.
                var list = false;
                _donors.Steps(scope, sample.DonorId, [
                    new DonorStep(DonorTrigger.RecordTyping, string.Format(CultureInfo.CurrentCulture, AuditReasons.TypedBySample, typing.Lab, typing.TypedOn, row.Barcode), (lc, _) =>
                    {
                        lc.RecordTyping(typing);
                        return true;
                    }),
                    new DonorStep(DonorTrigger.List, AuditReasons.ListedByDrive, (lc, d) =>
                    {
                        list = d.Profile.Drive is { } drive && ListsAutomatically(drive, drives) && lc.CanFire(DonorTrigger.List);
                        if (list)
                        {
                            lc.List();
                        }

                        return list;
                    }),
                ]);
                imported++;
                listed += list ? 1 : 0;
                var typedOn = sample.Drive?.Value ?? string.Empty;
                typedPerDrive[typedOn] = typedPerDrive.GetValueOrDefault(typedOn) + 1;
            }

            foreach (var (drive, n) in typedPerDrive)
            {
                _writes.Storage.Reports.AddCount(_options.DayOf(scope.Now), drive.Length == 0 ? null : new DriveId(drive), Metric.SamplesTyped, n);
            }

            return (imported, already, listed);
        });
        counts.Imported += imported;
        counts.AlreadyImported += already;
        counts.Listed += listed;
        errors.AddRange(batchErrors);
    }

    /// <summary>
    /// Why the sample's state refuses a row, or null; a row whose very typing is recorded counts as already
    /// imported. The donor's lifecycle has the last word when the row is applied.
    /// </summary>
    /// <param name="barcode">The row's barcode.</param>
    /// <param name="typing">The row's typing.</param>
    /// <param name="samples">The batch's samples, read in the same write.</param>
    /// <param name="loaded">The row's sample, if the registry has it.</param>
    /// <param name="alreadyTyped">Whether the sample holds this very typing.</param>
    private string? Refusal(string barcode, TypingResult typing, IReadOnlyDictionary<string, Loaded<Sample>> samples, out Loaded<Sample>? loaded, out bool alreadyTyped)
    {
        alreadyTyped = false;
        loaded = samples.GetValueOrDefault(barcode);
        if (loaded is null)
        {
            return Unknown(barcode);
        }

        var sample = loaded.Value;
        switch (sample.State)
        {
            case SampleState.Typed:
                var donor = _donors.Get(sample.DonorId);
                alreadyTyped = typing.Equals(donor.Typing);
                return $"sample {barcode} is already typed ({donor.Typing?.Lab} on {donor.Typing?.TypedOn:yyyy-MM-dd}); a different typing does not replace it";
            case SampleState.Rejected:
                return $"sample {barcode} was rejected ({sample.RejectionReason}); the donor gives a new sample";
            case SampleState.Collected:
                return $"sample {barcode} was never shipped to a lab; record its shipment first";
            default:
                return null;
        }
    }

    private bool ListsAutomatically(DriveId drive, Dictionary<string, bool> drives)
    {
        if (!drives.TryGetValue(drive.Value, out var automatic))
        {
            automatic = _writes.Storage.Drives.Find(drive) is { } found && found.Value.Plan.ListAutomatically;
            drives[drive.Value] = automatic;
        }

        return automatic;
    }
}
