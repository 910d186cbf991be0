using System.Text;
using DonorRegistry;
using DonorRegistry.Access;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.CampusDrive;

namespace BranchPortal.Demo;

/// <summary>
/// The demo registry of the Chaoyang district branch: a small slice of its year, made in a few seconds through the
/// drive workflows (not the whole replay of samples/ChaoyangBranch). Four drives, one in each stage: closed with its
/// donors listed (中国传媒大学), waiting for its shipment (北京第二外国语学院), enrolment open (对外经济贸易大学) and
/// planned (劲松街道). The people are fictional (Bogus zh_CN).
/// </summary>
public static class DemoRegistry
{
    /// <summary>The branch that organizes the drives.</summary>
    public const string Branch = "北京市朝阳区红十字会";

    /// <summary>The typing lab.</summary>
    public const string Lab = "中华骨髓库 HLA 实验室";

    /// <summary>The demo's seed: the same people on every machine.</summary>
    public const int Seed = 2026;

    /// <summary>The nurse who takes the demo's samples at the organizer's drives, with the organizer's role.</summary>
    private static readonly Actor Nurse = Actor.For("nurse.chen", Role.Organizer);

    /// <summary>Fills an empty registry; does nothing when it already holds drives (a demo folder from an earlier run).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="drives">The drive workflows on it.</param>
    /// <param name="zone">The branch's time zone, for "today".</param>
    /// <returns>True when it filled the registry.</returns>
    public static async Task<bool> SeedAsync(Registry registry, DriveWorkflows drives, TimeZoneInfo zone)
    {
        if (registry.Drives.FindAll().Count > 0)
        {
            return false;
        }

        // The demo's people act with their roles, as they would on the pages (the portal requires roles).
        var organizer = Actor.For("organizer.wang", Role.Organizer);
        var labUser = Actor.For("lab.chen", Role.Lab);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(registry.TimeProvider.GetUtcNow(), zone).DateTime);
        var volunteers = new Volunteers(Seed);
        var hla = new SyntheticHla(Seed) { ThreeLocusShare = 0 };

        // Closed: lecture, enrolment, samples, shipment, the lab's receipt and results, donors listed.
        var cuc = new DriveId("CUC-2026-AUT");
        await drives.StartDriveAsync(new DrivePlan(cuc, "中国传媒大学 2026 秋季造血干细胞捐献者招募", DriveKind.Campus, Branch, "中传国际传播中心", today.AddDays(-14), today.AddDays(-12), 40), Lab, organizer);
        await drives.RecordLectureAsync(cuc, "中国传媒大学第二教学楼 203", today.AddDays(-14), 160, "李医生", organizer);
        await drives.OpenEnrolmentAsync(cuc, organizer);
        var samples = Collect(drives, cuc, drives.Enrol(cuc, volunteers.Many(24, today), organizer), "CUC26");
        await drives.CloseEnrolmentAsync(cuc, organizer);
        await drives.DispatchShipmentAsync(cuc, organizer);
        await drives.RecordSamplesReceivedAsync(cuc, labUser);
        var results = LabResults.Csv(samples.Select(s => (s.Barcode, hla.Next(today.AddDays(-3)) with { Lab = Lab })));
        await drives.ImportTypingResultsAsync(cuc, new MemoryStream(Encoding.UTF8.GetBytes(results)), Lab, today.AddDays(-3), labUser, "cuc-2026-aut.csv");
        await drives.WaitUntilClosedAsync(cuc, TimeSpan.FromSeconds(30));

        // Enrolment closed, the samples waiting to be shipped.
        var bisu = new DriveId("BISU-2026-AUT");
        await drives.StartDriveAsync(new DrivePlan(bisu, "北京第二外国语学院 2026 秋季招募", DriveKind.Campus, Branch, "北二外报告厅", today.AddDays(-3), today.AddDays(-2), 30), Lab, organizer);
        await drives.RecordLectureAsync(bisu, "北二外报告厅", today.AddDays(-3), 120, "张医生", organizer);
        await drives.OpenEnrolmentAsync(bisu, organizer);
        Collect(drives, bisu, drives.Enrol(bisu, volunteers.Many(10, today), organizer), "BISU26");
        await drives.CloseEnrolmentAsync(bisu, organizer);

        // Enrolment open today.
        var uibe = new DriveId("UIBE-2026-AUT");
        await drives.StartDriveAsync(new DrivePlan(uibe, "对外经济贸易大学 2026 秋季招募", DriveKind.Campus, Branch, "贸大诚信楼报告厅", today, today.AddDays(1), 30), Lab, organizer);
        await drives.RecordLectureAsync(uibe, "贸大诚信楼报告厅", today, 95, "李医生", organizer);
        await drives.OpenEnrolmentAsync(uibe, organizer);
        Collect(drives, uibe, drives.Enrol(uibe, volunteers.Many(6, today), organizer).Take(4).ToList(), "UIBE26");

        // Planned for next week, no lecture yet.
        await drives.StartDriveAsync(new DrivePlan(new DriveId("JS-2026-WIN"), "劲松街道冬季社区招募", DriveKind.Community, Branch, "劲松街道市民活动中心", today.AddDays(7), today.AddDays(7), 20), Lab, organizer);
        return true;
    }

    private static List<Sample> Collect(DriveWorkflows drives, DriveId drive, IReadOnlyList<Donor> donors, string prefix) =>
        donors.Select((d, i) => drives.CollectSample(drive, d.Id, $"{prefix}-{i + 1:D4}", SampleKind.BloodEdta, Nurse)).ToList();
}
