namespace DonorRegistry.Drives;

/// <summary>What can happen to a drive; each is a verb on <see cref="DriveOperations"/>.</summary>
public enum DriveTrigger
{
    /// <summary>Volunteers may enrol from now.</summary>
    OpenEnrolment = 1,

    /// <summary>No more enrolments; the drive waits for the lab.</summary>
    CloseEnrolment = 2,

    /// <summary>The drive is over.</summary>
    Close = 3,

    /// <summary>The drive is called off before enrolment opened.</summary>
    Cancel = 4,
}
