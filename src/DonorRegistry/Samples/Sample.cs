using DonorRegistry.Donors;

namespace DonorRegistry.Samples;

/// <summary>One tube or swab, known by its barcode, from collection to typing or rejection.</summary>
public sealed class Sample : Storage.IAggregate
{
    internal Sample(string barcode, DonorId donor, SampleKind kind, DriveId? drive, DateTimeOffset collectedAt)
    {
        Barcode = barcode;
        DonorId = donor;
        Kind = kind;
        Drive = drive;
        CollectedAt = collectedAt;
        StateSince = collectedAt;
    }

    /// <summary>The tube's barcode, unique in the registry.</summary>
    public string Barcode { get; }

    /// <summary>The donor the sample was taken from.</summary>
    public DonorId DonorId { get; }

    /// <summary>Blood or swab.</summary>
    public SampleKind Kind { get; }

    /// <summary>The drive it was collected at, if any.</summary>
    public DriveId? Drive { get; }

    /// <summary>When it was collected.</summary>
    public DateTimeOffset CollectedAt { get; }

    /// <summary>Where it is.</summary>
    public SampleState State { get; internal set; }

    /// <summary>When it entered <see cref="State"/>.</summary>
    public DateTimeOffset StateSince { get; internal set; }

    /// <summary>How many changes were stored.</summary>
    public int Version { get; internal set; }

    /// <summary>The shipment it left in.</summary>
    public string? ShipmentId { get; internal set; }

    /// <summary>The lab it was shipped to.</summary>
    public string? Lab { get; internal set; }

    /// <summary>Why it was rejected.</summary>
    public string? RejectionReason { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{Barcode} {State} (donor {DonorId})";

    int Storage.IAggregate.Version
    {
        get => Version;
        set => Version = value;
    }

    string Storage.IAggregate.Key => Barcode;

    string Storage.IAggregate.StateName => State.ToString();

    void Storage.IAggregate.Touch(DateTimeOffset at, bool stateChanged) => StateSince = at;
}
