using DonorRegistry.Donors;

namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>
/// Thrown when a drive's workflow cannot take a request: an event out of order or raised twice, a drive without a
/// workflow (or with one already), a tube that is not the drive's. Nothing was published or stored.
/// </summary>
public sealed class DriveWorkflowException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="message">What was refused and what is allowed instead.</param>
    public DriveWorkflowException(DriveId drive, string message)
        : base(message)
    {
        Drive = drive;
    }

    /// <summary>The drive.</summary>
    public DriveId Drive { get; }
}
