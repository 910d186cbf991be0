namespace DonorRegistry.Workflows.DonorCare;

/// <summary>What a coordinator did for a donor's care; each is published as a <see cref="CareEvent"/>.</summary>
internal enum CareEventKind
{
    /// <summary>A follow-up check was recorded.</summary>
    FollowUpRecorded = 1,

    /// <summary>An appreciation visit was made.</summary>
    VisitRecorded = 2,

    /// <summary>An appreciation visit was skipped.</summary>
    VisitSkipped = 3,

    /// <summary>A recognition was approved.</summary>
    RecognitionApproved = 4,

    /// <summary>The donor was marked unreachable, or reachable again.</summary>
    ReachabilityChanged = 5,

    /// <summary>
    /// Published at start-up: the registry shows the care done, the workflow has not reviewed it since (the process
    /// that made the last change stopped before telling the workflow; ADR 24).
    /// </summary>
    CaughtUp = 6,
}
