using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Storage;

namespace DonorRegistry.Samples;

/// <summary>
/// What organizers and labs do with samples. Each verb changes the sample, and where the donor is affected the
/// donor too, with both audit records in one transaction: collecting a sample records it on the donor, a
/// rejection sends the donor back to wait for a new sample, a typing gives the donor the typing.
/// </summary>
public sealed partial class SampleOperations
{
    private const int MaxBarcodeLength = 32;
    private const int ImportBatch = 500;
    private const int MaxLabLength = 100;
    private readonly RegistryWrites _writes;
    private readonly DonorOperations _donors;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;

    internal SampleOperations(RegistryWrites writes, DonorOperations donors, RegistryOptions options, TimeProvider time)
    {
        _writes = writes;
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
    /// <exception cref="RegistryValidationException">The barcode is malformed or already used.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor is not waiting for a sample.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Sample Collect(DonorId donor, string barcode, SampleKind kind, Actor by)
    {
        var code = Barcode(barcode);
        if (!Enum.IsDefined(kind))
        {
            throw new RegistryValidationException(nameof(kind), ((int)kind).ToString(CultureInfo.InvariantCulture), "is not a sample kind", "use BloodEdta or BuccalSwab", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, "BloodEdta, BuccalSwab")));
        }

        return _writes.Write(by, RegistryAction.CollectSample, scope =>
        {
            if (Store.Find(code) is { } existing)
            {
                throw new RegistryValidationException("Barcode", code, $"is already used by the sample of donor {existing.Value.DonorId}", "give each tube its own barcode", ValidationCode.Duplicate);
            }

            var collected = _donors.Step(scope, donor, DonorTrigger.CollectSample, code, (lc, _) => lc.CollectSample(code));
            CountCollection(donor, code, collected.Profile.Drive, scope.Now);
            return scope.Create(_writes.Sample, new Sample(code, donor, kind, collected.Profile.Drive, scope.Now), "Collect", kind.ToString());
        });
    }

    /// <summary>Sends samples to a lab in one shipment: all of them, or (if any cannot go) none.</summary>
    /// <param name="lab">The typing lab.</param>
    /// <param name="barcodes">The tubes, each collected and not yet shipped, each once.</param>
    /// <param name="by">Who dispatched it.</param>
    /// <returns>The shipment's manifest.</returns>
    /// <exception cref="RegistryValidationException">The lab is blank, the list is empty, or a barcode appears twice.</exception>
    /// <exception cref="SampleNotFoundException">A barcode names no sample.</exception>
    /// <exception cref="InvalidSampleTransitionException">A sample was already shipped, typed or rejected.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Shipment Ship(string lab, IReadOnlyList<string> barcodes, Actor by)
    {
        var labName = Guard.Text(lab, nameof(lab));
        if (barcodes is null || barcodes.Count == 0)
        {
            throw new RegistryValidationException(nameof(barcodes), null, "is empty", "a shipment lists at least one barcode", ValidationCode.Required);
        }

        var codes = barcodes.Select(Barcode).ToList();
        if (codes.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new RegistryValidationException("Barcode", twice.Key, "appears twice in the shipment", "list each tube once", ValidationCode.Duplicate);
        }

        return _writes.Write(by, RegistryAction.ShipSamples, scope =>
        {
            var shipment = new Shipment("SHP-" + _writes.Storage.Next(Sequence.Shipment).ToString("D8", CultureInfo.InvariantCulture), labName, scope.Now, codes, scope.Actor);
            foreach (var code in codes)
            {
                scope.Change(_writes.Sample, code, null, nameof(SampleTrigger.Ship), $"{shipment.Id} to {labName}", s => new SampleLifecycle(s).Ship(shipment.Id, labName));
            }

            Store.InsertShipment(shipment);
            return shipment;
        });
    }

    /// <summary>Records that the lab received samples.</summary>
    /// <param name="barcodes">The tubes received.</param>
    /// <param name="by">Who recorded it.</param>
    /// <returns>The samples as stored.</returns>
    /// <exception cref="SampleNotFoundException">A barcode names no sample.</exception>
    /// <exception cref="InvalidSampleTransitionException">A sample was not shipped (or is already received).</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public IReadOnlyList<Sample> Receive(IReadOnlyList<string> barcodes, Actor by)
    {
        Guard.NotNull(barcodes, nameof(barcodes), "give the barcodes received");
        var codes = barcodes.Select(Barcode).ToList();
        return _writes.Write(by, RegistryAction.ReceiveSamples, scope =>
            codes.Select(code => scope.Change(_writes.Sample, code, null, nameof(SampleTrigger.Receive), null, s => new SampleLifecycle(s).Receive())).ToList());
    }

    /// <summary>
    /// Records that the lab received a shipment: its whole manifest, or the tubes named. Each tube is read as it is
    /// now and received in the same write as that read, so a tube that moved on since it was shipped (already
    /// received, typed by an import, or rejected) is reported as it is and left alone, and does not stop the others.
    /// Receiving the same shipment again changes nothing; every tube then reports <see cref="ReceiptOutcome.AlreadyReceived"/>
    /// (or where it went since).
    /// </summary>
    /// <param name="shipmentId">The shipment (SHP-00000001).</param>
    /// <param name="by">Who recorded the receipt.</param>
    /// <param name="barcodes">The tubes received, each on the shipment's manifest and named once; or null for the whole manifest.</param>
    /// <returns>What happened to each tube, in manifest order (or the order named).</returns>
    /// <exception cref="RegistryValidationException">The shipment id names no shipment, the list is empty, or a barcode is malformed, not on the manifest, or named twice.</exception>
    /// <exception cref="InvalidSampleTransitionException">A tube on the manifest is not shipped, received, typed or rejected (the registry's own verbs never leave one so); nothing is stored.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public ShipmentReceipt ReceiveShipment(string shipmentId, Actor by, IReadOnlyList<string>? barcodes = null)
    {
        var shipment = (string.IsNullOrWhiteSpace(shipmentId) ? null : Store.FindShipment(shipmentId))
            ?? throw new RegistryValidationException(nameof(shipmentId), Guard.Prefix(shipmentId), shipmentId is null ? "is missing" : "names no shipment", "give the id of a dispatched shipment, such as SHP-00000001");
        var codes = barcodes is null ? shipment.Barcodes : ManifestTubes(shipment, barcodes);
        return _writes.Write(by, RegistryAction.ReceiveSamples, scope =>
        {
            var tubes = new List<TubeReceipt>(codes.Count);
            foreach (var code in codes)
            {
                var loaded = scope.Load(_writes.Sample, code);
                var outcome = loaded.Value.State switch
                {
                    SampleState.Received => ReceiptOutcome.AlreadyReceived,
                    SampleState.Typed => ReceiptOutcome.AlreadyTyped,
                    SampleState.Rejected => ReceiptOutcome.Rejected,
                    _ => ReceiptOutcome.Received, // shipped: receive it now (the lifecycle refuses any other state)
                };
                if (outcome == ReceiptOutcome.Received)
                {
                    scope.Step(_writes.Sample, loaded, nameof(SampleTrigger.Receive), shipment.Id, s => new SampleLifecycle(s).Receive());
                    scope.Save(_writes.Sample, loaded);
                }

                tubes.Add(new TubeReceipt(code, outcome, loaded.Value.State));
            }

            return new ShipmentReceipt(shipment.Id, tubes);
        });
    }

    /// <summary>Rejects a sample; the donor goes back to wait for a new one.</summary>
    /// <param name="barcode">The tube.</param>
    /// <param name="reason">Why (haemolysed, insufficient volume, mislabelled, lost in transit, ...).</param>
    /// <param name="by">Who rejected it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The sample as stored.</returns>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    /// <exception cref="InvalidSampleTransitionException">The sample is already typed or rejected.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Sample Reject(string barcode, string reason, Actor by, int? expectedVersion = null)
    {
        var code = Barcode(barcode);
        var text = Guard.Text(reason, nameof(reason));
        return _writes.Write(by, RegistryAction.RejectSample, scope =>
        {
            var sample = scope.Change(_writes.Sample, code, expectedVersion, nameof(SampleTrigger.Reject), text, s => new SampleLifecycle(s).Reject(text));
            _donors.Step(scope, sample.DonorId, DonorTrigger.RejectSample, $"{code}: {text}", (lc, _) => lc.RejectSample(text));
            return sample;
        });
    }

    /// <summary>Records the lab's typing of a received sample and gives the donor the typing.</summary>
    /// <param name="barcode">The tube.</param>
    /// <param name="typing">The typing, per locus as the lab wrote it.</param>
    /// <param name="by">Who recorded it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The sample as stored.</returns>
    /// <exception cref="RegistryValidationException">The typing lacks a required locus or is dated in the future.</exception>
    /// <exception cref="Hla.HlaParseException">A genotype is malformed.</exception>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    /// <exception cref="InvalidSampleTransitionException">The sample was not received, or is already typed or rejected.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Sample RecordTyping(string barcode, TypingResult typing, Actor by, int? expectedVersion = null)
    {
        var code = Barcode(barcode);
        _donors.ValidateTyping(typing);
        return _writes.Write(by, RegistryAction.RecordTyping, scope =>
        {
            var sample = scope.Change(_writes.Sample, code, expectedVersion, nameof(SampleTrigger.RecordTyping), $"typed by {typing.Lab}", s => new SampleLifecycle(s).RecordTyping());
            _writes.Storage.Reports.AddCount(_options.DayOf(sample.StateSince), sample.Drive, Metric.SamplesTyped, 1);
            _donors.Step(scope, sample.DonorId, DonorTrigger.RecordTyping, string.Format(CultureInfo.CurrentCulture, AuditReasons.TypedBySample, typing.Lab, typing.TypedOn, code), (lc, _) => lc.RecordTyping(typing));
            return sample;
        });
    }

    /// <summary>Gets a sample.</summary>
    /// <param name="barcode">The tube.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    public Sample Get(string barcode) => TryGet(barcode, out var sample) ? sample : throw new SampleNotFoundException(barcode ?? "(null)");

    /// <summary>Gets a sample, if the registry holds it.</summary>
    /// <param name="barcode">The tube.</param>
    /// <param name="sample">The sample, when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGet(string barcode, [NotNullWhen(true)] out Sample? sample)
    {
        sample = IsBarcode(barcode) ? Store.Find(barcode)?.Value : null; // no sample has a barcode Collect would refuse
        return sample is not null;
    }

    /// <summary>Every sample a donor gave, oldest first.</summary>
    /// <param name="donor">The donor.</param>
    /// <returns>The samples.</returns>
    public IReadOnlyList<Sample> FindByDonor(DonorId donor) => Store.FindByDonor(donor);

    /// <summary>Every sample collected at a drive, oldest first.</summary>
    /// <param name="drive">The drive.</param>
    /// <returns>The samples.</returns>
    public IReadOnlyList<Sample> FindByDrive(DriveId drive) => drive.Value is null ? [] : Store.FindByDrive(drive);

    /// <summary>A shipment's manifest.</summary>
    /// <param name="shipmentId">The shipment id.</param>
    /// <returns>The manifest, or null if there is no such shipment.</returns>
    public Shipment? FindShipment(string shipmentId) => shipmentId is null ? null : Store.FindShipment(shipmentId);

    /// <summary>The sample's audit trail, oldest first.</summary>
    /// <param name="barcode">The tube.</param>
    /// <returns>The records.</returns>
    /// <exception cref="SampleNotFoundException">No such sample.</exception>
    public IReadOnlyList<AuditRecord> GetHistory(string barcode) => _writes.History(_writes.Sample, barcode ?? string.Empty);

    private ISampleStore Store => _writes.Storage.Samples;

    /// <summary>Counts a collected sample for the reports: per day and drive, and as the donor's first sample or a re-collection.</summary>
    private void CountCollection(DonorId donor, string barcode, DriveId? drive, DateTimeOffset now)
    {
        var day = _options.DayOf(now);
        var reports = _writes.Storage.Reports;
        reports.AddCount(day, drive, Metric.SamplesCollected, 1);
        if (Store.FirstCollectedAt(donor) is { } earlier)
        {
            reports.InsertRecollection(new Recollection(barcode, donor, drive, now, _options.DayOf(earlier)));
        }
        else
        {
            reports.AddCount(day, drive, Metric.DonorsFirstSampled, 1);
        }
    }

    /// <summary>The tubes named for a receipt, checked against the shipment's manifest.</summary>
    private static List<string> ManifestTubes(Shipment shipment, IReadOnlyList<string> barcodes)
    {
        if (barcodes.Count == 0)
        {
            throw new RegistryValidationException(nameof(barcodes), null, "is empty", $"name at least one tube of shipment {shipment.Id}, or give null for its whole manifest", ValidationCode.Required);
        }

        var manifest = shipment.Barcodes.ToHashSet(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in barcodes.Select(Barcode))
        {
            if (!manifest.Contains(code))
            {
                throw new RegistryValidationException("Barcode", code, $"is not on the manifest of shipment {shipment.Id}", $"name only tubes that left in {shipment.Id} ({Readable.List(shipment.Barcodes)})", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, Readable.List(shipment.Barcodes))));
            }

            if (!named.Add(code))
            {
                throw new RegistryValidationException("Barcode", code, "is named twice in the receipt", "name each tube once", ValidationCode.Duplicate);
            }
        }

        return [.. barcodes];
    }

    private static bool IsBarcode(string barcode) =>
        !string.IsNullOrWhiteSpace(barcode) && barcode.Length <= MaxBarcodeLength && barcode.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Barcode(string barcode)
    {
        if (!IsBarcode(barcode))
        {
            throw new RegistryValidationException(nameof(Barcode), barcode, "is not a tube barcode", $"use 1 to {MaxBarcodeLength} letters, digits, '-' or '_'", ValidationCode.BadFormat, Guard.Args((ValidationArgument.Expected, $"1-{MaxBarcodeLength} A-Z a-z 0-9 - _")));
        }

        return barcode;
    }
}
