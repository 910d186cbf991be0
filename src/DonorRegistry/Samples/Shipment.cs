namespace DonorRegistry.Samples;

/// <summary>A shipment's manifest: which tubes left for which lab, when, and who sent them.</summary>
/// <param name="Id">The shipment id (SHP-00000001).</param>
/// <param name="Lab">The typing lab.</param>
/// <param name="DispatchedAt">When it left.</param>
/// <param name="Barcodes">The tubes, in manifest order.</param>
/// <param name="DispatchedBy">Who sent it.</param>
public sealed record Shipment(string Id, string Lab, DateTimeOffset DispatchedAt, IReadOnlyList<string> Barcodes, string DispatchedBy);
