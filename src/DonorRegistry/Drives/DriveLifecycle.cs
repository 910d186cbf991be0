using Stateless;
using Stateless.Graph;

namespace DonorRegistry.Drives;

/// <summary>
/// A drive's life as one Stateless machine:
/// <code>
/// Planned ─OpenEnrolment→ EnrolmentOpen ─CloseEnrolment→ AwaitingResults ─Close→ Closed
/// Planned ─Cancel→ Cancelled
/// </code>
/// Lectures may be recorded while the drive is Planned or EnrolmentOpen; volunteers enrol only while it is EnrolmentOpen.
/// </summary>
public sealed class DriveLifecycle
{
    private readonly StateMachine<DriveState, DriveTrigger> _machine;
    private readonly Drive _drive;

    internal DriveLifecycle(Drive drive)
    {
        _drive = drive;
        _machine = new StateMachine<DriveState, DriveTrigger>(() => _drive.State, s => _drive.State = s);
        _machine.Configure(DriveState.Planned)
            .Permit(DriveTrigger.OpenEnrolment, DriveState.EnrolmentOpen)
            .Permit(DriveTrigger.Cancel, DriveState.Cancelled);
        _machine.Configure(DriveState.EnrolmentOpen)
            .Permit(DriveTrigger.CloseEnrolment, DriveState.AwaitingResults);
        _machine.Configure(DriveState.AwaitingResults)
            .Permit(DriveTrigger.Close, DriveState.Closed);
    }

    /// <summary>The drive lifecycle as a Mermaid state diagram, drawn from the machine.</summary>
    /// <returns>Mermaid text.</returns>
    public static string ToMermaid() =>
        MermaidGraph.Format(new DriveLifecycle(new Drive(
            new DrivePlan(new Donors.DriveId("D"), "D", DriveKind.Campus, "O", "V", default, default, 1), default))._machine.GetInfo());

    /// <summary>Whether lectures may be recorded for the drive now.</summary>
    internal bool TakesLectures => _drive.State is DriveState.Planned or DriveState.EnrolmentOpen;

    /// <summary>Whether volunteers may enrol through the drive now.</summary>
    internal bool TakesEnrolments => _drive.State == DriveState.EnrolmentOpen;

    /// <summary>The steps allowed now.</summary>
    internal IReadOnlyList<DriveTrigger> Permitted() => Enum.GetValues<DriveTrigger>().Where(t => _machine.CanFire(t)).ToList();

    internal void Fire(DriveTrigger trigger)
    {
        if (!_machine.CanFire(trigger))
        {
            throw new InvalidDriveTransitionException(_drive.Id, _drive.State, trigger.ToString(), Permitted());
        }

        _machine.Fire(trigger);
    }
}
