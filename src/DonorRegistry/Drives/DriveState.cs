namespace DonorRegistry.Drives;

/// <summary>Where a drive is. See <see cref="DriveLifecycle"/>.</summary>
public enum DriveState
{
    /// <summary>Planned; lectures may be held, no one enrols yet.</summary>
    Planned = 0,

    /// <summary>The enrolment window is open: volunteers enrol and give samples.</summary>
    EnrolmentOpen = 1,

    /// <summary>Enrolment has closed; samples are with the lab and results are awaited.</summary>
    AwaitingResults = 2,

    /// <summary>The drive is over; its statistics are final.</summary>
    Closed = 3,

    /// <summary>Called off before enrolment opened.</summary>
    Cancelled = 4,
}
