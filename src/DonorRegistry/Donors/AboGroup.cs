namespace DonorRegistry.Donors;

/// <summary>ABO blood group.</summary>
public enum AboGroup
{
    /// <summary>Not yet known.</summary>
    Unknown = 0,

    /// <summary>Group O.</summary>
    O = 1,

    /// <summary>Group A.</summary>
    A = 2,

    /// <summary>Group B.</summary>
    B = 3,

    /// <summary>Group AB.</summary>
    AB = 4,
}
