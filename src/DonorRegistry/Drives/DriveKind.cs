namespace DonorRegistry.Drives;

/// <summary>Where a recruitment drive is held.</summary>
public enum DriveKind
{
    /// <summary>At a university or college campus.</summary>
    Campus = 1,

    /// <summary>In a community, workplace or public place.</summary>
    Community = 2,
}
