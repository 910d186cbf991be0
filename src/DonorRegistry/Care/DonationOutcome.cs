namespace DonorRegistry.Care;

/// <summary>How a collection ended.</summary>
public enum DonationOutcome
{
    /// <summary>The target cell dose was collected.</summary>
    Completed = 1,

    /// <summary>Collected, but below the target dose.</summary>
    BelowTarget = 2,

    /// <summary>Stopped before the end (the donor's health, a line problem).</summary>
    Stopped = 3,
}
