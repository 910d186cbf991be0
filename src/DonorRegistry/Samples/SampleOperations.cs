using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Storage;
using LiteDB;

namespace DonorRegistry.Samples;

/// <summary>
/// What organizers and labs do with samples. Each verb changes the sample, and where the donor is affected the
/// donor too, with both audit records in one transaction: collecting a sample records it on the donor, a
/// rejection sends the donor back to wait for a new sample, a typing gives the donor the typing.
/// </summary>
public sealed class SampleOperations
{
    private const int MaxBarcodeLength = 32;
    private const int ImportBatch = 500;
    private const int MaxLabLength = 100;
    private readonly RegistryStore _store;
    private readonly DonorOperations _donors;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;

    internal SampleOperations(RegistryStore store, DonorOperations donors, RegistryOptions options, TimeProvider time)
    {
        _store = store;
        _donors = donors;
        _options = options;
        _time = time;
    }

    /// <summary>Records a collected sample and marks the donor <see cref="DonorState.SampleCollected"/>.</summary>
    /// <param name="donor">The enrolled donor.</param>
    /// <param name="barcode">The tube's barcode: 1 to 32 letters, digits, '-' or '_', unique in the registry.</param>
    /// <param name="kind">Blood or swab.</param>
    /// <param name="by">Who collected it.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="DonorValidationException">The barcode is malformed or already used.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidTransitionException">The donor is not waiting for a sample.</exception>
    public Sample Collect(DonorId donor, string barcode, SampleKind kind, string by)
    {
        var code = Barcode(barcode);
        if (!Enum.IsDefined(kind))
        {
            throw new DonorValidationException(nameof(kind), ((int)kind).ToString(CultureInfo.InvariantCulture), "is not a sample kind", "use BloodEdta or BuccalSwab");
        }

        var actor = Guard.Actor(by);
        var (sample, changed) = _store.Write(
            () =>
            {
                if (_store.Samples.FindById(code) is { } existing)
                {
                    throw new DonorValidationException("Barcode", code, $"is already used by the sample of donor {new DonorId(existing["donor"].AsInt64)}", "give each tube its own barcode");
                }

                var (collected, _) = _donors.ChangeInTransaction(donor, DonorTrigger.CollectSample, actor, null, code, (lc, _) => lc.CollectSample(code));
                var now = _time.GetUtcNow();
                CountCollection(donor, code, collected.Profile.Drive, now);
                var sample = new Sample(code, donor, kind, collected.Profile.Drive, now) { Version = 1 };
                _store.Samples.Insert(SampleDocuments.Write(sample, new BsonDocument()));
                _store.SampleAudit.Insert(SampleDocuments.ToDocument(new SampleTransition(code, 1, SampleState.Collected, SampleState.Collected, "Collect", actor, kind.ToString(), now)));
                return (sample, collected);
            },
            result => _store.Committed([result.collected]));
        return sample;
    }

    /// <summary>Sends samples to a lab in one shipment: all of them, or (if any cannot go) none.</summary>
    /// <param name="lab">The typing lab.</param>
    /// <param name="barcodes">The tubes, each collected and not yet shipped, each once.</param>
    /// <param name="by">Who dispatched it.</param>
    /// <returns>The shipment's manifest.</returns>
    /// <exception cref="ArgumentException">The lab is blank, the list is empty, or a barcode appears twice.</exception>
    /// <exception cref="SampleNotFoundException">A barcode names no sample.</exception>
    /// <exception cref="InvalidSampleTransitionException">A sample was already shipped, typed or rejected.</exception>
    public Shipment Ship(string lab, IReadOnlyList<string> barcodes, string by)
    {
        var labName = Guard.Text(lab, nameof(lab));
        ArgumentNullException.ThrowIfNull(barcodes);
        if (barcodes.Count == 0)
        {
            throw new ArgumentException("A shipment needs at least one barcode.", nameof(barcodes));
        }

        var codes = barcodes.Select(Barcode).ToList();
        if (codes.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Barcode '{twice.Key}' appears twice in the shipment; list each tube once.", nameof(barcodes));
        }

        var actor = Guard.Actor(by);
        return _store.Write(() =>
        {
            var now = _time.GetUtcNow();
            var shipment = new Shipment("SHP-" + _store.AllocateShipmentNumber().ToString("D8", CultureInfo.InvariantCulture), labName, now, codes, actor);
            foreach (var code in codes)
            {
                Change(code, SampleTrigger.Ship, actor, $"{shipment.Id} to {labName}", now, lc => lc.Ship(shipment.Id, labName));
            }

            _store.Shipments.Insert(SampleDocuments.ToDocument(shipment));
            return shipment;
        });
    }

    /// <summary>Records that the lab received samples.</summary>
    /// <param name="barcodes">The tubes received.</param>
    /// <param name="by">Who recorded it.</param>
    /// <returns>The samples as stored.</returns>
    /// <exception cref="SampleNotFoundException">A barcode names no sample.</exception>
    /// <exception cref="InvalidSampleTransitionException">A sample was not shipped (or is already received).</exception>
    public IReadOnlyList<Sample> Receive(IReadOnlyList<string> barcodes, string by)
    {
        ArgumentNullException.ThrowIfNull(barcodes);
        var codes = barcodes.Select(Barcode).ToList();
        var actor = Guard.Actor(by);
        return _store.Write(() =>
        {
            var now = _time.GetUtcNow();
            return codes.Select(code => Change(code, SampleTrigger.Receive, actor, null, now, lc => lc.Receive())).ToList();
        });
    }

    /// <summary>Rejects a sample; the donor goes back to wait for a new one.</summary>
    /// <param name="barcode">The tube.</param>
    /// <param name="reason">Why (haemolysed, insufficient volume, mislabelled, lost in transit, ...).</param>
    /// <param name="by">Who rejected it.</param>
    /// <returns>The sample as stored.</returns>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    /// <exception cref="InvalidSampleTransitionException">The sample is already typed or rejected.</exception>
    public Sample Reject(string barcode, string reason, string by)
    {
        var code = Barcode(barcode);
        var text = Guard.Text(reason, nameof(reason));
        var actor = Guard.Actor(by);
        var (sample, donor) = _store.Write(
            () =>
            {
                var sample = Change(code, SampleTrigger.Reject, actor, text, _time.GetUtcNow(), lc => lc.Reject(text));
                var (donor, _) = _donors.ChangeInTransaction(sample.DonorId, DonorTrigger.RejectSample, actor, null, $"{code}: {text}", (lc, _) => lc.RejectSample(text));
                return (sample, donor);
            },
            result => _store.Committed([result.donor]));
        return sample;
    }

    /// <summary>Records the lab's typing of a received sample and gives the donor the typing.</summary>
    /// <param name="barcode">The tube.</param>
    /// <param name="typing">The typing, per locus as the lab wrote it.</param>
    /// <param name="by">Who recorded it.</param>
    /// <returns>The sample as stored.</returns>
    /// <exception cref="DonorValidationException">The typing lacks a required locus or is dated in the future.</exception>
    /// <exception cref="Hla.HlaParseException">A genotype is malformed.</exception>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    /// <exception cref="InvalidSampleTransitionException">The sample was not received, or is already typed or rejected.</exception>
    public Sample RecordTyping(string barcode, TypingResult typing, string by)
    {
        var code = Barcode(barcode);
        ArgumentNullException.ThrowIfNull(typing);
        _donors.ValidateTyping(typing);
        var actor = Guard.Actor(by);
        var (sample, donor) = _store.Write(
            () =>
            {
                var sample = Change(code, SampleTrigger.RecordTyping, actor, $"typed by {typing.Lab}", _time.GetUtcNow(), lc => lc.RecordTyping());
                _store.AddCount(_options.DayOf(sample.StateSince), sample.Drive, DailyCounts.SamplesTyped, 1);
                var (donor, _) = _donors.ChangeInTransaction(sample.DonorId, DonorTrigger.RecordTyping, actor, null, $"typed by {typing.Lab} on {typing.TypedOn:yyyy-MM-dd} ({code})", (lc, _) => lc.RecordTyping(typing));
                return (sample, donor);
            },
            result => _store.Committed([result.donor]));
        return sample;
    }

    /// <summary>
    /// Imports a typing-results file from the lab (see <see cref="ImportTypingResults(Stream, string, DateOnly, string, string?)"/>).
    /// </summary>
    /// <param name="path">The CSV file, UTF-8.</param>
    /// <param name="lab">The lab that typed the samples.</param>
    /// <param name="reportedOn">The day typed, for rows without a TypedOn column.</param>
    /// <param name="by">Who imports.</param>
    /// <returns>What was imported, and each row that was not, with its line and reason.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="TypingImportException">The file is empty, not UTF-8, or its header lacks a needed column; nothing was imported.</exception>
    public TypingImportResult ImportTypingResults(string path, string lab, DateOnly reportedOn, string by)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return ImportTypingResults(stream, lab, reportedOn, by, Path.GetFileName(path));
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
    /// <exception cref="TypingImportException">The file is empty, not UTF-8, or its header lacks a needed column; nothing was imported.</exception>
    public TypingImportResult ImportTypingResults(Stream csv, string lab, DateOnly reportedOn, string by, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var labName = Guard.Text(lab, nameof(lab));
        if (labName.Length > MaxLabLength)
        {
            throw new ArgumentException($"'lab' must be at most {MaxLabLength} characters (got {labName.Length}).", nameof(lab));
        }

        var actor = Guard.Actor(by);
        var today = _options.DayOf(_time.GetUtcNow());
        Guard.NotAfterToday(reportedOn, today, nameof(reportedOn), "give the day the lab reported");

        var rows = TypingResultsFile.Read(csv, fileName ?? "the stream");
        var errors = new List<TypingImportError>();
        var ready = Prepare(rows, labName, reportedOn, errors);
        var counts = new ImportCounts();
        foreach (var batch in ready.Chunk(ImportBatch))
        {
            try
            {
                ApplyBatch(batch, actor, counts, errors);
            }
            catch (DonorRegistryException)
            {
                // Something changed under a row between its check and its write: redo the batch row by row.
                foreach (var row in batch)
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

        return new TypingImportResult(rows.Count, counts.Imported, counts.AlreadyImported, counts.Listed, errors.OrderBy(e => e.Line).ToList());
    }

    private sealed record ReadyRow(TypingResultsFile.Row Row, TypingResult Typing);

    private sealed class ImportCounts
    {
        public int Imported { get; set; }

        public int AlreadyImported { get; set; }

        public int Listed { get; set; }
    }

    /// <summary>Checks each row on its own (barcode, loci, alleles, day); the bad ones become errors.</summary>
    private List<ReadyRow> Prepare(List<TypingResultsFile.Row> rows, string lab, DateOnly reportedOn, List<TypingImportError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new List<ReadyRow>(rows.Count);
        foreach (var row in rows)
        {
            string? problem = null;
            var typedOn = reportedOn;
            if (!IsBarcode(row.Barcode))
            {
                problem = $"barcode '{row.Barcode}' is not a tube barcode; use 1 to {MaxBarcodeLength} letters, digits, '-' or '_'";
            }
            else if (!seen.TryAdd(row.Barcode, row.Line))
            {
                problem = $"barcode {row.Barcode} was already given on line {seen[row.Barcode]}; give each sample once";
            }
            else if (row.MissingLoci.Intersect(TypingResult.RequiredLoci).ToList() is { Count: > 0 } missing)
            {
                problem = $"locus {string.Join(", ", missing)} is empty; a typing names at least {string.Join(", ", TypingResult.RequiredLoci)}";
            }
            else if (row.TypedOn is { } day && !DateOnly.TryParseExact(day, ["yyyy-MM-dd", "yyyy/MM/dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out typedOn))
            {
                problem = $"typed-on day '{day}' is not a date; write it as yyyy-MM-dd";
            }

            if (problem is null)
            {
                var typing = new TypingResult(lab, typedOn, row.Genotypes);
                try
                {
                    _donors.ValidateTyping(typing);
                    ready.Add(new ReadyRow(row, typing));
                    continue;
                }
                catch (Exception e) when (e is DonorValidationException or Hla.HlaParseException or Hla.HlaNameException)
                {
                    problem = e.Message;
                }
            }

            errors.Add(new TypingImportError(row.Line, row.Barcode, problem));
        }

        return ready;
    }

    /// <summary>Applies rows in one transaction; a row the registry's state refuses becomes an error, not an exception.</summary>
    private void ApplyBatch(IReadOnlyList<ReadyRow> rows, string actor, ImportCounts counts, List<TypingImportError> errors)
    {
        var drives = new Dictionary<string, bool>(StringComparer.Ordinal);
        var batchErrors = new List<TypingImportError>();
        var (donors, imported, already, listed) = _store.Write(
            () =>
            {
                var changed = new List<Donor>(rows.Count * 2);
                int imported = 0, already = 0, listed = 0;
                var now = _time.GetUtcNow();
                var typedPerDrive = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var (row, typing) in rows)
                {
                    var refusal = Refusal(row.Barcode, typing, out var document, out var alreadyTyped);
                    if (alreadyTyped)
                    {
                        already++;
                        continue;
                    }

                    if (refusal is not null)
                    {
                        batchErrors.Add(new TypingImportError(row.Line, row.Barcode, refusal));
                        continue;
                    }

                    // The sample: its receipt (when the lab's was never recorded) and its typing, stored once.
                    var sample = SampleDocuments.ToSample(document!);
                    var lifecycle = new SampleLifecycle(sample);
                    if (sample.State == SampleState.Shipped)
                    {
                        lifecycle.Receive();
                        Audit(sample, SampleState.Shipped, SampleTrigger.Receive, actor, "received (typing results imported)", now);
                    }

                    var before = sample.State;
                    lifecycle.RecordTyping();
                    Audit(sample, before, SampleTrigger.RecordTyping, actor, $"typed by {typing.Lab}", now);
                    _store.Samples.Update(SampleDocuments.Write(sample, document!));

                    // The donor: typed, then listed when the drive says so and the lifecycle allows it; stored once.
                    var list = false;
                    var donor = _donors.StepsInTransaction(sample.DonorId, actor, [
                        new DonorStep(DonorTrigger.RecordTyping, $"typed by {typing.Lab} on {typing.TypedOn:yyyy-MM-dd} ({row.Barcode})", (lc, _) =>
                        {
                            lc.RecordTyping(typing);
                            return true;
                        }),
                        new DonorStep(DonorTrigger.List, "listed automatically by the donor's drive", (lc, d) =>
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
                    changed.Add(donor);
                    var typedOn = sample.Drive?.Value ?? string.Empty;
                    typedPerDrive[typedOn] = typedPerDrive.GetValueOrDefault(typedOn) + 1;
                }

                foreach (var (drive, n) in typedPerDrive)
                {
                    _store.AddCount(_options.DayOf(now), drive.Length == 0 ? null : new DriveId(drive), DailyCounts.SamplesTyped, n);
                }

                return (changed, imported, already, listed);
            },
            result => _store.Committed(result.changed));
        counts.Imported += imported;
        counts.AlreadyImported += already;
        counts.Listed += listed;
        errors.AddRange(batchErrors);
    }

    /// <summary>
    /// Why the sample's state refuses a row, or null; a row whose very typing is recorded counts as already
    /// imported. The donor's lifecycle has the last word when the row is applied.
    /// </summary>
    private string? Refusal(string barcode, TypingResult typing, out BsonDocument? document, out bool alreadyTyped)
    {
        alreadyTyped = false;
        document = _store.Samples.FindById(barcode);
        if (document is null)
        {
            return $"no sample with barcode {barcode} is in the registry; check the tube label";
        }

        var sample = SampleDocuments.ToSample(document);
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
            automatic = _store.Drives.FindById(drive.Value) is { } document && document["autoList"].AsBoolean;
            drives[drive.Value] = automatic;
        }

        return automatic;
    }

    /// <summary>Gets a sample.</summary>
    /// <param name="barcode">The tube.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    public Sample Get(string barcode) => TryGet(barcode, out var sample) ? sample : throw new SampleNotFoundException(barcode);

    /// <summary>Gets a sample, if the registry holds it.</summary>
    /// <param name="barcode">The tube.</param>
    /// <param name="sample">The sample, when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGet(string barcode, [NotNullWhen(true)] out Sample? sample)
    {
        var document = string.IsNullOrEmpty(barcode) ? null : _store.Samples.FindById(barcode);
        sample = document is null ? null : SampleDocuments.ToSample(document);
        return sample is not null;
    }

    /// <summary>Every sample a donor gave, oldest first.</summary>
    /// <param name="donor">The donor.</param>
    /// <returns>The samples.</returns>
    public IReadOnlyList<Sample> FindByDonor(DonorId donor) =>
        _store.Samples.Find(Query.EQ("donor", donor.Value)).Select(SampleDocuments.ToSample)
            .OrderBy(s => s.CollectedAt).ThenBy(s => s.Barcode, StringComparer.Ordinal).ToList();

    /// <summary>Every sample collected at a drive, oldest first.</summary>
    /// <param name="drive">The drive.</param>
    /// <returns>The samples.</returns>
    public IReadOnlyList<Sample> FindByDrive(DriveId drive) =>
        _store.Samples.Find(Query.EQ("drive", drive.Value)).Select(SampleDocuments.ToSample)
            .OrderBy(s => s.CollectedAt).ThenBy(s => s.Barcode, StringComparer.Ordinal).ToList();

    /// <summary>A shipment's manifest.</summary>
    /// <param name="shipmentId">The shipment id.</param>
    /// <returns>The manifest, or null if there is no such shipment.</returns>
    public Shipment? FindShipment(string shipmentId) =>
        _store.Shipments.FindById(shipmentId) is { } document ? SampleDocuments.ToShipment(document) : null;

    /// <summary>The sample's audit trail, oldest first.</summary>
    /// <param name="barcode">The tube.</param>
    /// <returns>The records.</returns>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    public IReadOnlyList<SampleTransition> GetHistory(string barcode)
    {
        Get(barcode);
        return _store.SampleAudit
            .Find(Query.Between("_id", SampleDocuments.AuditId(barcode, 0), SampleDocuments.AuditId(barcode, 999_999)))
            .Select(SampleDocuments.ToTransition)
            .OrderBy(t => t.Version)
            .ToList();
    }

    /// <summary>Fires one sample trigger and stores the sample with its audit record; call inside the write transaction.</summary>
    private Sample Change(string barcode, SampleTrigger trigger, string actor, string? reason, DateTimeOffset now, Action<SampleLifecycle> fire)
    {
        var document = _store.Samples.FindById(barcode) ?? throw new SampleNotFoundException(barcode);
        var sample = SampleDocuments.ToSample(document);
        var from = sample.State;
        fire(new SampleLifecycle(sample));
        Audit(sample, from, trigger, actor, reason, now);
        _store.Samples.Update(SampleDocuments.Write(sample, document));
        return sample;
    }

    /// <summary>Counts a collected sample for the reports: per day and drive, and as the donor's first sample or a re-collection.</summary>
    private void CountCollection(DonorId donor, string barcode, DriveId? drive, DateTimeOffset now)
    {
        var day = _options.DayOf(now);
        _store.AddCount(day, drive, DailyCounts.SamplesCollected, 1);
        var earlier = _store.Samples.Find(Query.EQ("donor", donor.Value)).Select(d => AuditDocuments.Instant(d["collectedAt"])).DefaultIfEmpty().Min();
        if (earlier == default)
        {
            _store.AddCount(day, drive, DailyCounts.DonorsFirstSampled, 1);
        }
        else
        {
            _store.Recollections.Insert(new BsonDocument
            {
                ["_id"] = barcode,
                ["donor"] = donor.Value,
                ["drive"] = drive is { } d ? d.Value : BsonValue.Null,
                ["at"] = now.UtcDateTime,
                ["firstSampledOn"] = _options.DayOf(earlier).DayNumber,
            });
        }
    }

    /// <summary>Counts a change on the sample and writes its audit record; the caller stores the sample.</summary>
    private void Audit(Sample sample, SampleState from, SampleTrigger trigger, string actor, string? reason, DateTimeOffset now)
    {
        sample.Version++;
        sample.StateSince = now;
        _store.SampleAudit.Insert(SampleDocuments.ToDocument(new SampleTransition(sample.Barcode, sample.Version, from, sample.State, trigger.ToString(), actor, reason, now)));
    }

    private static bool IsBarcode(string barcode) =>
        !string.IsNullOrWhiteSpace(barcode) && barcode.Length <= MaxBarcodeLength && barcode.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Barcode(string barcode)
    {
        if (!IsBarcode(barcode))
        {
            throw new DonorValidationException(nameof(Barcode), barcode, "is not a tube barcode", $"use 1 to {MaxBarcodeLength} letters, digits, '-' or '_'");
        }

        return barcode;
    }
}
