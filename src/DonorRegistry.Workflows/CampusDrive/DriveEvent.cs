namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>What a drive event carries: who raised it, and for shipments and receipts the tubes and the lab.</summary>
internal sealed class DriveEvent
{
    /// <summary>Who raised the event; the steps record it as the actor in the audit trail.</summary>
    public string By { get; set; } = string.Empty;

    /// <summary>The tubes a shipment or receipt is about, or null for all of the drive's.</summary>
    public IReadOnlyList<string>? Barcodes { get; set; }

    /// <summary>The lab a shipment goes to, or null for the drive's lab.</summary>
    public string? Lab { get; set; }
}
