using DonorRegistry.Donors;

namespace DonorRegistry.Drives;

/// <summary>Thrown when a drive step is not allowed in the drive's state. Nothing is stored.</summary>
public sealed class InvalidDriveTransitionException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="state">Its state.</param>
    /// <param name="action">The refused step (a trigger, or an action such as enrolling or recording a lecture).</param>
    /// <param name="allowed">What is allowed instead, or when the step is allowed.</param>
    public InvalidDriveTransitionException(DriveId drive, DriveState state, string action, string allowed)
        : base($"Drive {drive} is {state}, where {action} is not allowed. {allowed}.")
    {
        Drive = drive;
        State = state;
        Action = action;
    }

    /// <summary>The drive.</summary>
    public DriveId Drive { get; }

    /// <summary>Its state.</summary>
    public DriveState State { get; }

    /// <summary>The refused step.</summary>
    public string Action { get; }
}
