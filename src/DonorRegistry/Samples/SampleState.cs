namespace DonorRegistry.Samples;

/// <summary>Where a sample is. See <see cref="SampleLifecycle"/>.</summary>
public enum SampleState
{
    /// <summary>Collected at a drive; waiting to be shipped.</summary>
    Collected = 0,

    /// <summary>On its way to the typing lab in a shipment.</summary>
    Shipped = 1,

    /// <summary>Received by the lab.</summary>
    Received = 2,

    /// <summary>Typed; the donor has the typing.</summary>
    Typed = 3,

    /// <summary>Rejected (haemolysed, insufficient volume, mislabelled, lost in transit); the donor needs a new sample.</summary>
    Rejected = 4,
}
