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
    private readonly RegistryStore _store;
    private readonly DonorOperations _donors;
    private readonly TimeProvider _time;

    internal SampleOperations(RegistryStore store, DonorOperations donors, TimeProvider time)
    {
        _store = store;
        _donors = donors;
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
                var (donor, _) = _donors.ChangeInTransaction(sample.DonorId, DonorTrigger.RecordTyping, actor, null, $"typed by {typing.Lab} on {typing.TypedOn:yyyy-MM-dd} ({code})", (lc, _) => lc.RecordTyping(typing));
                return (sample, donor);
            },
            result => _store.Committed([result.donor]));
        return sample;
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
        sample.Version++;
        sample.StateSince = now;
        _store.Samples.Update(SampleDocuments.Write(sample, document));
        _store.SampleAudit.Insert(SampleDocuments.ToDocument(new SampleTransition(barcode, sample.Version, from, sample.State, trigger.ToString(), actor, reason, now)));
        return sample;
    }

    private static string Barcode(string barcode)
    {
        if (string.IsNullOrWhiteSpace(barcode) || barcode.Length > MaxBarcodeLength || !barcode.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new DonorValidationException(nameof(Barcode), barcode, "is not a tube barcode", $"use 1 to {MaxBarcodeLength} letters, digits, '-' or '_'");
        }

        return barcode;
    }
}
