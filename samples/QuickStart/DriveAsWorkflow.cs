using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Workflows;

internal static class DriveAsWorkflow
{
    public static async Task RunAsync(Registry registry)
    {
        // The workflows live in the registry's own file: a restarted host resumes every drive left mid-way.
        await using var host = RegistryWorkflowHost.Start(registry);
        var drive = new DriveId("CUC-2026-11");
        var today = DateOnly.FromDateTime(registry.TimeProvider.GetUtcNow().UtcDateTime);

        await host.Drives.StartDriveAsync(
            new DrivePlan(drive, "中国传媒大学秋季招募", DriveKind.Campus, "朝阳区红十字会", "中传国际传播中心", today, today.AddDays(2), Target: 200),
            lab: "中华骨髓库 HLA 实验室", by: "organizer.wang");
        await host.Drives.RecordLectureAsync(drive, "二教 203", today, audience: 180, speaker: "李医生", by: "organizer.wang");
        await host.Drives.OpenEnrolmentAsync(drive, by: "organizer.wang");

        var progress = host.Drives.GetProgress(drive);
        Console.WriteLine($"{drive} is {progress.Drive.State}; next it expects {progress.NextEvent}.");
    }
}
