using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.CampusDrive;

namespace BranchPortal.Pages.Lab;

/// <summary>A shipment as the lab sees it: its tubes and how many are still waiting for the lab.</summary>
/// <param name="Id">The shipment's id.</param>
/// <param name="Drive">The drive its tubes came from, if any.</param>
/// <param name="Lab">The lab it went to.</param>
/// <param name="DispatchedAt">When it left.</param>
/// <param name="Tubes">How many tubes.</param>
/// <param name="Shipped">Tubes not yet received.</param>
/// <param name="Received">Tubes received and not yet typed or rejected.</param>
public sealed record LabShipment(string Id, DriveId? Drive, string Lab, DateTimeOffset DispatchedAt, int Tubes, int Shipped, int Received);

/// <summary>What the lab pages read: the shipments, and the drives whose workflow waits for results.</summary>
public static class LabData
{
    /// <summary>Every shipment of every drive, newest first.</summary>
    /// <param name="drives">The registry's drives.</param>
    /// <param name="samples">The registry's samples.</param>
    /// <returns>The shipments.</returns>
    public static IReadOnlyList<LabShipment> Shipments(DriveOperations drives, SampleOperations samples) =>
        [.. drives.FindAll()
            .SelectMany(d => samples.FindByDrive(d.Id))
            .Where(s => s.ShipmentId is not null)
            .GroupBy(s => s.ShipmentId!, StringComparer.Ordinal)
            .Select(g => (Group: g, Shipment: samples.FindShipment(g.Key)))
            .Where(x => x.Shipment is not null)
            .Select(x => new LabShipment(
                x.Shipment!.Id,
                x.Group.First().Drive,
                x.Shipment.Lab,
                x.Shipment.DispatchedAt,
                x.Shipment.Barcodes.Count,
                x.Group.Count(s => s.State == SampleState.Shipped),
                x.Group.Count(s => s.State == SampleState.Received)))
            .OrderByDescending(s => s.DispatchedAt)];

    /// <summary>The drives whose workflow takes typing results now (the shipment left, the drive is not closed).</summary>
    /// <param name="drives">The registry's drives.</param>
    /// <param name="workflows">The drive workflows.</param>
    /// <returns>The drives, by code.</returns>
    public static IReadOnlyList<Drive> AwaitingResults(DriveOperations drives, DriveWorkflows workflows) =>
        [.. drives.FindAll()
            .Where(d => d.State == DriveState.AwaitingResults && ExpectsResults(workflows, d.Id))
            .OrderBy(d => d.Id.Value, StringComparer.Ordinal)];

    /// <summary>True when the drive has a workflow and it takes typing results now.</summary>
    /// <param name="workflows">The drive workflows.</param>
    /// <param name="drive">The drive.</param>
    /// <returns>Whether to import through the workflow.</returns>
    public static bool ExpectsResults(DriveWorkflows workflows, DriveId drive)
    {
        try
        {
            return workflows.GetProgress(drive).NextEvent is DriveEvents.SamplesReceived or DriveEvents.TypingResultsImported;
        }
        catch (DriveWorkflowException)
        {
            return false;
        }
    }
}
