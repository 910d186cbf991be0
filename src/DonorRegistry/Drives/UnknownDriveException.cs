using DonorRegistry.Donors;

namespace DonorRegistry.Drives;

/// <summary>Thrown when a drive code names no drive in the registry.</summary>
public sealed class UnknownDriveException : NotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="drive">The code that was not found.</param>
    public UnknownDriveException(DriveId drive)
        : base(AggregateKind.Drive, drive.ToString(), $"No drive '{drive}' is in this registry. Plan it first, or check the code.")
    {
        Drive = drive;
    }

    /// <summary>The code that was not found.</summary>
    public DriveId Drive { get; }
}
