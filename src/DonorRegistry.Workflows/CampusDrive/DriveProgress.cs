using DonorRegistry.Drives;

namespace DonorRegistry.Workflows.CampusDrive;

/// <summary>Where a drive is: the registry's drive, its workflow's status, the event it expects next, and its funnel.</summary>
/// <param name="Drive">The drive as the registry holds it.</param>
/// <param name="WorkflowId">The workflow instance.</param>
/// <param name="WorkflowState">Running while the drive is under way, Complete once it is closed.</param>
/// <param name="NextEvent">The event the drive expects next (see <see cref="DriveEvents"/>), or null when it expects none.</param>
/// <param name="Statistics">The drive's funnel now.</param>
public sealed record DriveProgress(Drive Drive, string WorkflowId, WorkflowState WorkflowState, string? NextEvent, DriveStatistics Statistics)
{
    /// <summary>One line a person can read: <c>PKU-2026-11 is EnrolmentOpen (workflow Running), expecting CloseEnrolment; PKU-2026-11: 1 lecture, ...</c> with the funnel.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Drive.Id} is {Drive.State} (workflow {WorkflowState}), {(NextEvent is null ? "expecting no event" : $"expecting {NextEvent}")}; {Statistics}";
}
