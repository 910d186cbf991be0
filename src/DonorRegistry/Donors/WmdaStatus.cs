namespace DonorRegistry.Donors;

/// <summary>A donor's availability as a WMDA/EMDIS status code.</summary>
public enum WmdaStatus
{
    /// <summary><c>AV</c>: available for search.</summary>
    AV = 1,

    /// <summary><c>TU</c>: temporarily unavailable.</summary>
    TU = 2,

    /// <summary><c>RS</c>: reserved for this patient.</summary>
    RS = 3,

    /// <summary><c>OP</c>: reserved for another patient.</summary>
    OP = 4,

    /// <summary><c>DE</c>: removed from the registry.</summary>
    DE = 5,
}
