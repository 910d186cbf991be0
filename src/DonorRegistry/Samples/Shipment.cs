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
