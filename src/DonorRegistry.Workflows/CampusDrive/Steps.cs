using System.Globalization;
using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.Persistence;
using WorkflowCore.Interface;
using static DonorRegistry.Workflows.CampusDrive.NoticeArguments;

namespace DonorRegistry.Workflows.CampusDrive;

// The campus drive's steps, in the order the workflow runs them. Each is safe to run twice: a kill after a step's
// work but before WorkflowCore saves the workflow runs the step again, so each checks the registry first, and each
// notice is keyed by its workflow, step and occasion (the execution log writes a key once).

/// <summary>The drive must be in the registry before anything else happens.</summary>
internal sealed class ConfirmPlan(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context) => Registry.Drives.Get(drive);
}

/// <summary>Opens enrolment, unless it already is.</summary>
internal sealed class OpenEnrolment(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context)
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
    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context)
    {
        if (Registry.Drives.Get(drive).State == DriveState.EnrolmentOpen)
        {
            Registry.Drives.CloseEnrolment(drive, by);
        }
    }
}

/// <summary>Raised when the samples are not shipped in time: a notice in the execution log, once per drive.</summary>
internal sealed class RemindToShip(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    /// <summary>The reminder's occasion: the drive's one shipping deadline.</summary>
    public const string Occasion = "shipping deadline";

    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context)
    {
        var waiting = Registry.Samples.FindByDrive(drive).Count(s => s.State == SampleState.Collected);
        if (waiting > 0)
        {
            Notice(context, Occasion, () => new DriveNotice(
                LogCode.ShippingReminder,
                Arguments(("count", Number(waiting)), ("drive", drive.ToString()), ("within", Duration(data.ShipWithin)), ("lab", data.Lab)),
                $"Reminder: {waiting} sample(s) collected at drive {drive} are not shipped {data.ShipWithin} after enrolment closed; dispatch them to {data.Lab}."));
        }
    }
}

/// <summary>Ships the collected samples (those the event names, or all of the drive's) to the lab.</summary>
internal sealed class DispatchShipment(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context)
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

/// <summary>Raised when results are not in by the deadline: names the samples still with the lab, once per shipment.</summary>
internal sealed class FlagOverdue(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context)
    {
        var overdue = Registry.Samples.FindByDrive(drive).Where(s => s.State is SampleState.Shipped or SampleState.Received).ToList();
        foreach (var shipment in overdue.GroupBy(s => s.ShipmentId ?? string.Empty).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Notice(context, "overdue " + shipment.Key, () =>
            {
                var named = shipment.Take(10).ToList();
                return new DriveNotice(
                    LogCode.ShipmentOverdue,
                    Arguments(
                        ("shipment", shipment.Key),
                        ("count", Number(shipment.Count())),
                        ("within", Duration(data.ResultsWithin)),
                        ("barcodes", string.Join(",", named.Select(s => s.Barcode))),
                        ("states", string.Join(",", named.Select(s => s.State.ToString()))),
                        ("more", Number(shipment.Count() - named.Count))),
                    $"Overdue: shipment {shipment.Key} has {shipment.Count()} sample(s) without results {data.ResultsWithin} after dispatch ({string.Join(", ", named.Select(s => $"{s.Barcode} {s.State}"))}{(shipment.Count() > 10 ? ", ..." : string.Empty)}).");
            });
        }
    }
}

/// <summary>
/// Records the lab's receipt of the drive's shipped tubes (those the event names, or all), one shipment at a time.
/// Each tube's state is read in the write that receives it: a tube that moved on meanwhile (received, typed by an
/// import, rejected) is left alone and does not fail the step, and a second run receives nothing.
/// </summary>
internal sealed class ReceiveSamples(Registry registry, ExecutionLog log) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context)
    {
        // Only which shipment each tube left in is read here (it never changes once shipped); the tube's state is
        // read by ReceiveShipment in the write that receives it.
        var named = data.LastEvent?.Barcodes?.ToHashSet(StringComparer.Ordinal);
        var shipped = Registry.Samples.FindByDrive(drive)
            .Where(s => s.ShipmentId is not null && (named is null || named.Contains(s.Barcode)))
            .GroupBy(s => s.ShipmentId!)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var shipment in shipped)
        {
            Registry.Samples.ReceiveShipment(shipment.Key, by, shipment.Select(s => s.Barcode).ToList());
        }

        data.LastEvent = null;
    }
}

/// <summary>Reads from the registry whether every shipped sample is typed or rejected.</summary>
internal sealed class CheckResults(Registry registry, ExecutionLog log, IDateTimeProvider clock) : DriveStep(registry, log)
{
    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context)
    {
        data.CheckedAt = clock.UtcNow; // before reading, so an import committed after this read raises an event after it
        data.ResultsIn = Registry.Samples.FindByDrive(drive).All(s => s.State is SampleState.Typed or SampleState.Rejected or SampleState.Collected);
    }
}

/// <summary>Lists the drive's typed donors (those the import has not listed already).</summary>
internal sealed class ListDonors(Registry registry, ExecutionLog log, WorkflowsOptions options) : DriveStep(registry, log)
{
    protected override Actor? OwnActor => options.ServiceActor;

    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context) =>
        Registry.Drives.ListTypedDonors(drive, by);
}

/// <summary>Closes the drive and writes its funnel to the execution log.</summary>
internal sealed class CloseDrive(Registry registry, ExecutionLog log, WorkflowsOptions options) : DriveStep(registry, log)
{
    protected override Actor? OwnActor => options.ServiceActor;

    protected override void Run(CampusDriveData data, DriveId drive, Actor by, IStepExecutionContext context)
    {
        if (Registry.Drives.Get(drive).State == DriveState.AwaitingResults)
        {
            Registry.Drives.Close(drive, by);
        }

        var s = Registry.Drives.GetStatistics(drive);
        Notice(context, "closed", () => new DriveNotice(
            LogCode.DriveClosed,
            Arguments(
                ("drive", drive.ToString()),
                ("lectures", Number(s.Lectures)),
                ("attendees", Number(s.Attendees)),
                ("enrolled", Number(s.Enrolled)),
                ("samples", Number(s.Samples)),
                ("donorsSampled", Number(s.DonorsSampled)),
                ("samplesRejected", Number(s.SamplesRejected)),
                ("donorsTyped", Number(s.DonorsTyped)),
                ("donorsListed", Number(s.DonorsListed))),
            $"Drive {drive} closed: {s.Lectures} lecture(s), {s.Attendees} attendee(s), {s.Enrolled} enrolled, {s.Samples} sample(s) from {s.DonorsSampled} donor(s) ({s.SamplesRejected} rejected), {s.DonorsTyped} typed, {s.DonorsListed} listed."));
    }
}

/// <summary>How the steps write a notice's arguments: invariant text.</summary>
internal static class NoticeArguments
{
    public static IReadOnlyDictionary<string, string> Arguments(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
