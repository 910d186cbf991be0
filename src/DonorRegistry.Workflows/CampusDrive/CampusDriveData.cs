namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>
/// What a campus-drive workflow keeps: which drive, where its samples go, its deadlines, and one fact read
/// back from the registry for WorkflowCore's loop condition. Everything else about the drive is in the registry.
/// </summary>
internal sealed class CampusDriveData
{
    /// <summary>The drive's code.</summary>
    public string Drive { get; set; } = string.Empty;

    /// <summary>The typing lab the samples go to.</summary>
    public string Lab { get; set; } = string.Empty;

    /// <summary>How long after enrolment closes the samples should be shipped before a reminder is raised.</summary>
    public TimeSpan ShipWithin { get; set; }

    /// <summary>How long after dispatch the lab's results should be in before the shipment is flagged overdue.</summary>
    public TimeSpan ResultsWithin { get; set; }

    /// <summary>Read from the registry: every shipped sample is typed or rejected.</summary>
    public bool ResultsIn { get; set; }

    /// <summary>When <see cref="ResultsIn"/> was last read (UTC, WorkflowCore's clock); later imports are the ones to wait for.</summary>
    public DateTime CheckedAt { get; set; }

    /// <summary>The last event's content, until the step it is for has run.</summary>
    public DriveEvent? LastEvent { get; set; }
}
