using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.Persistence;
using WorkflowCore.Interface;

namespace DonorRegistry.Workflows.CampusDrive;

// The campus drive's steps, in the order the workflow runs them. Each is safe to run twice.

/// <summary>The drive must be in the registry before anything else happens.</summary>
internal sealed class ConfirmPlan(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context) => Registry.Drives.Get(drive);
}

/// <summary>Opens enrolment, unless it already is.</summary>
internal sealed class OpenEnrolment(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context)
    {
        if (Registry.Drives.Get(drive).State == DriveState.Planned)
        {
            Registry.Drives.OpenEnrolment(drive, by);
        }
    }
}

/// <summary>Closes enrolment, unless it already is.</summary>
internal sealed class CloseEnrolment(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context)
    {
        if (Registry.Drives.Get(drive).State == DriveState.EnrolmentOpen)
        {
            Registry.Drives.CloseEnrolment(drive, by);
        }
    }
}

/// <summary>Raised when the samples are not shipped in time: a notice in the execution log.</summary>
internal sealed class RemindToShip(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context)
    {
        var waiting = Registry.Samples.FindByDrive(drive).Count(s => s.State == SampleState.Collected);
        if (waiting > 0)
        {
            Notice(context, $"Reminder: {waiting} sample(s) collected at drive {drive} are not shipped {data.ShipWithin} after enrolment closed; dispatch them to {data.Lab}.");
        }
    }
}

/// <summary>Ships the collected samples (those the event names, or all of the drive's) to the lab.</summary>
internal sealed class DispatchShipment(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context)
    {
        var collected = Registry.Samples.FindByDrive(drive).Where(s => s.State == SampleState.Collected).Select(s => s.Barcode).ToHashSet(StringComparer.Ordinal);
        var wanted = data.LastEvent?.Barcodes is { } named ? named.Where(collected.Contains).ToList() : collected.Order(StringComparer.Ordinal).ToList();
        if (wanted.Count > 0)
        {
            Registry.Samples.Ship(data.LastEvent?.Lab ?? data.Lab, wanted, by);
        }

        data.LastEvent = null;
    }
}

/// <summary>Raised when results are not in by the deadline: names the samples still with the lab.</summary>
internal sealed class FlagOverdue(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context)
    {
        var overdue = Registry.Samples.FindByDrive(drive).Where(s => s.State is SampleState.Shipped or SampleState.Received).ToList();
        foreach (var shipment in overdue.GroupBy(s => s.ShipmentId))
        {
            Notice(context, $"Overdue: shipment {shipment.Key} has {shipment.Count()} sample(s) without results {data.ResultsWithin} after dispatch ({string.Join(", ", shipment.Take(10).Select(s => $"{s.Barcode} {s.State}"))}{(shipment.Count() > 10 ? ", ..." : string.Empty)}).");
        }
    }
}

/// <summary>Records the lab's receipt of the tubes the event names (or all shipped ones).</summary>
internal sealed class ReceiveSamples(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context)
    {
        var shipped = Registry.Samples.FindByDrive(drive).Where(s => s.State == SampleState.Shipped).Select(s => s.Barcode).ToHashSet(StringComparer.Ordinal);
        var received = data.LastEvent?.Barcodes is { } named ? named.Where(shipped.Contains).ToList() : shipped.Order(StringComparer.Ordinal).ToList();
        if (received.Count > 0)
        {
            Registry.Samples.Receive(received, by);
        }

        data.LastEvent = null;
    }
}

/// <summary>Reads from the registry whether every shipped sample is typed or rejected.</summary>
internal sealed class CheckResults(Registry registry, ExecutionLog log, IDateTimeProvider clock) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context)
    {
        data.CheckedAt = clock.UtcNow; // before reading, so an import committed after this read raises an event after it
        data.ResultsIn = Registry.Samples.FindByDrive(drive).All(s => s.State is SampleState.Typed or SampleState.Rejected or SampleState.Collected);
    }
}

/// <summary>Lists the drive's typed donors (those the import has not listed already).</summary>
internal sealed class ListDonors(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context) =>
        Registry.Drives.ListTypedDonors(drive, by);
}

/// <summary>Closes the drive and writes its funnel to the execution log.</summary>
internal sealed class CloseDrive(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, string by, IStepExecutionContext context)
    {
        if (Registry.Drives.Get(drive).State == DriveState.AwaitingResults)
        {
            Registry.Drives.Close(drive, by);
        }

        var s = Registry.Drives.GetStatistics(drive);
        Notice(context, $"Drive {drive} closed: {s.Lectures} lecture(s), {s.Attendees} attendee(s), {s.Enrolled} enrolled, {s.Samples} sample(s) from {s.DonorsSampled} donor(s) ({s.SamplesRejected} rejected), {s.DonorsTyped} typed, {s.DonorsListed} listed.");
    }
}
