using DonorRegistry.Donors;

namespace DonorRegistry.Drives;

/// <summary>Thrown when a drive step, or an action that needs the drive in some state (a lecture, an enrolment), is not allowed in the drive's current state. Nothing is stored.</summary>
public sealed class InvalidDriveTransitionException : InvalidTransitionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="state">Its state.</param>
    /// <param name="action">The refused step or action.</param>
    /// <param name="permitted">The drive steps allowed now.</param>
    /// <param name="rule">The rule that refused an action which is not a step (for example "lectures are recorded while the drive is planned or open"), or null.</param>
    public InvalidDriveTransitionException(DriveId drive, DriveState state, string action, IReadOnlyList<DriveTrigger> permitted, string? rule = null)
        : base(AggregateKind.Drive, drive.ToString(), state.ToString(), action, permitted.Select(p => p.ToString()).ToList(), rule is null ? [] : [rule], "the drive is done")
    {
        Drive = drive;
        State = state;
        Action = action;
        Permitted = permitted;
    }

    /// <summary>Creates the exception for an action refused by a coded rule.</summary>
    internal InvalidDriveTransitionException(DriveId drive, DriveState state, string action, IReadOnlyList<DriveTrigger> permitted, UnmetGuard rule)
        : this(drive, state, action, permitted, rule.Text)
    {
        Guards = [rule];
    }

    /// <summary>The drive.</summary>
    public DriveId Drive { get; }

    /// <summary>The drive's state.</summary>
    public DriveState State { get; }

    /// <summary>The refused step or action.</summary>
    public string Action { get; }

    /// <summary>The drive steps allowed now.</summary>
    public IReadOnlyList<DriveTrigger> Permitted { get; }
}
