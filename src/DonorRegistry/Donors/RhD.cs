namespace DonorRegistry.Donors;

/// <summary>RhD blood group.</summary>
public enum RhD
{
    /// <summary>Not yet known.</summary>
    Unknown = 0,

    /// <summary>RhD positive.</summary>
    Positive = 1,

    /// <summary>RhD negative.</summary>
    Negative = 2,
}
