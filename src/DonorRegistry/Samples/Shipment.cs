namespace DonorRegistry.Samples;

/// <summary>A shipment's manifest: which tubes left for which lab, when, and who sent them.</summary>
/// <param name="Id">The shipment id (SHP-00000001).</param>
/// <param name="Lab">The typing lab.</param>
/// <param name="DispatchedAt">When it left.</param>
/// <param name="Barcodes">The tubes, in manifest order.</param>
/// <param name="DispatchedBy">Who sent it.</param>
public sealed record Shipment(string Id, string Lab, DateTimeOffset DispatchedAt, IReadOnlyList<string> Barcodes, string DispatchedBy)
{
    /// <summary>One line a person can read: <c>SHP-00000001 to HLA lab at 2026-06-01T08:00:00Z by nurse.chen: 3 tubes (T-1, T-2, T-3)</c>; the first five barcodes are named.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Id} to {Lab} at {Readable.Instant(DispatchedAt)} by {DispatchedBy}: {Readable.Count(Barcodes.Count, "tube")} ({Readable.List(Barcodes)})";
}

/// <summary>What recording a shipment's receipt did to each tube (see <see cref="SampleOperations.ReceiveShipment"/>).</summary>
/// <param name="ShipmentId">The shipment.</param>
/// <param name="Tubes">Each tube and what happened to it, in manifest order (or the order named).</param>
public sealed record ShipmentReceipt(string ShipmentId, IReadOnlyList<TubeReceipt> Tubes)
{
    /// <summary>The tubes received by this call.</summary>
    public IReadOnlyList<string> Received => Tubes.Where(t => t.Outcome == ReceiptOutcome.Received).Select(t => t.Barcode).ToList();

    /// <summary>The tubes left alone because they had moved on (already received, typed or rejected).</summary>
    public IReadOnlyList<TubeReceipt> MovedOn => Tubes.Where(t => t.Outcome != ReceiptOutcome.Received).ToList();

    /// <summary>One line a person can read: <c>SHP-00000001 received: 3 tubes now, 1 already received, 1 already typed, 0 rejected</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{ShipmentId} received: {Readable.Count(Count(ReceiptOutcome.Received), "tube")} now, {Readable.Number(Count(ReceiptOutcome.AlreadyReceived))} already received, "
        + $"{Readable.Number(Count(ReceiptOutcome.AlreadyTyped))} already typed, {Readable.Number(Count(ReceiptOutcome.Rejected))} rejected";

    private int Count(ReceiptOutcome outcome) => Tubes.Count(t => t.Outcome == outcome);
}

/// <summary>What recording a receipt did to one tube.</summary>
/// <param name="Barcode">The tube.</param>
/// <param name="Outcome">Received now, or how it had moved on.</param>
/// <param name="State">The tube's state after the receipt.</param>
public sealed record TubeReceipt(string Barcode, ReceiptOutcome Outcome, SampleState State);

/// <summary>What recording a receipt did to one tube of the shipment.</summary>
public enum ReceiptOutcome
{
    /// <summary>The tube was shipped and is received now.</summary>
    Received = 0,

    /// <summary>The tube's receipt was recorded before; nothing changed.</summary>
    AlreadyReceived = 1,

    /// <summary>The tube was typed already (an import implies its receipt); nothing changed.</summary>
    AlreadyTyped = 2,

    /// <summary>The tube was rejected; it stays rejected.</summary>
    Rejected = 3,
}
