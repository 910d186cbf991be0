// CampusDrive: one recruitment drive at a university, run as a durable workflow.
// Plans the drive, holds two knowledge lectures, enrols ~200 volunteers (Bogus zh_CN) and collects their
// samples, then stops the process's workflow host and registry mid-drive and starts them again on the same
// file, as after a restart. The drive goes on: shipment, the lab's receipt, a few rejected samples, a results
// file with one bad row (and the lab's corrected row), typed donors listed, the drive closed. Prints the funnel.
//
//   dotnet run --project samples/CampusDrive -- [--out DIR] [--volunteers N] [--seed N]   (--help lists the options)

using System.Text;
using DonorRegistry;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Workflows;
using DonorRegistry.Workflows.Persistence;

var cli = new SampleArguments("CampusDrive", "Runs one campus drive as a durable workflow: lectures, enrolment and samples, then a restart of the workflow\nhost and the registry mid-drive, then shipment, the lab's receipt, rejections, a results file with one bad row and\nits correction, typed donors listed and the drive closed. Prints the drive's funnel and the end of its execution log.")
    .OutFolder("campus-drive", "the registry file")
    .Integer("--volunteers", "how many volunteers enrol", 200, minimum: 20)
    .Seed("drive");
if (cli.Parse(args) is { } exit)
{
    return exit;
}

var outDir = cli.Text("--out");
var count = cli.Integer("--volunteers");
var seed = cli.Integer("--seed");

if (Directory.Exists(outDir))
{
    Directory.Delete(outDir, recursive: true);
}

Directory.CreateDirectory(outDir);
var key = RegistryKey.Generate();
var options = new RegistryOptions
{
    DatabasePath = Path.Combine(outDir, "chaoyang.db"),
    RegistryKey = key,
    TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"),
};
void Fast(WorkflowsOptions o) => o.PollInterval = TimeSpan.FromSeconds(1);

const string Organizer = "organizer.wang";
const string Lab = "中华骨髓库 HLA 实验室";
var drive = new DriveId("CUC-2026-11");
var today = DateOnly.FromDateTime(DateTime.UtcNow);
var volunteers = new Volunteers(seed);
var hla = new SyntheticHla(seed) { ThreeLocusShare = 0 };
var random = new Random(seed);

// ---- First process: plan, lectures, enrolment, samples ----------------------------------------------
var registry = Registry.Create(options);
var host = RegistryWorkflowHost.Start(registry, Fast);
await host.Drives.StartDriveAsync(
    new DrivePlan(drive, "中国传媒大学 2026 秋季造血干细胞捐献者招募", DriveKind.Campus, "朝阳区红十字会", "中传国际传播中心", today, today.AddDays(2), count),
    Lab, Organizer);
await host.Drives.RecordLectureAsync(drive, "中国传媒大学第二教学楼 203", today, 180 + random.Next(60), "李医生", Organizer);
await host.Drives.RecordLectureAsync(drive, "中国传媒大学第一教学楼 107", today, 120 + random.Next(60), "张医生", Organizer);
await host.Drives.OpenEnrolmentAsync(drive, Organizer);
var donors = host.Drives.Enrol(drive, volunteers.Many(count, today), Organizer);
var noShows = Math.Max(2, count / 25);
var samples = donors.Skip(noShows)
    .Select((d, i) => host.Drives.CollectSample(drive, d.Id, $"CUC-{i + 1:D5}", SampleKind.BloodEdta, "nurse.chen"))
    .ToList();
Console.WriteLine($"{drive}: {donors.Count} volunteers enrolled, {samples.Count} samples collected ({noShows} left before giving one)");
await host.Drives.CloseEnrolmentAsync(drive, Organizer);
Console.WriteLine($"{drive}: enrolment closed; the drive now waits for its shipment");

// ---- Restart: the process stops mid-drive and starts again on the same file -------------------------
await host.DisposeAsync();
registry.Dispose();
Console.WriteLine("-- workflow host and registry stopped; starting them again on the same file --");
registry = Registry.Open(options);
host = RegistryWorkflowHost.Start(registry, Fast);
Console.WriteLine($"{drive}: resumed, expecting {host.Drives.GetProgress(drive).NextEvent}");

// ---- Second process: shipment, receipt, rejections, results -----------------------------------------
var shipment = await host.Drives.DispatchShipmentAsync(drive, Organizer);
Console.WriteLine($"{drive}: shipment {shipment!.Id} with {shipment.Barcodes.Count} tubes left for {Lab}");
await host.Drives.RecordSamplesReceivedAsync(drive, "lab.reception");
string[] reasons = ["溶血 haemolysed", "血量不足 insufficient volume", "标签错误 mislabelled", "运输丢失 lost in transit"];
var rejected = samples.Take(reasons.Length).Select((s, i) => registry.Samples.Reject(s.Barcode, reasons[i], "lab.hla")).ToList();
Console.WriteLine($"{drive}: the lab rejected {rejected.Count} samples ({string.Join(", ", reasons)})");

var typed = samples.Skip(reasons.Length).Select(s => (s.Barcode, Typing: hla.Next(today))).ToList();
var bad = typed[^1];
var file = LabResults.Csv(typed.Take(typed.Count - 1)) + $"{bad.Barcode},{today:yyyy-MM-dd},A*02:01+A*24:0X,B*46:01,,DRB1*09:01,\n";
var import = await host.Drives.ImportTypingResultsAsync(drive, new MemoryStream(Encoding.UTF8.GetBytes(file)), Lab, today, "lab.import", "cuc-results.csv");
Console.WriteLine($"{drive}: results imported: {import.Imported} typed, {import.Listed} listed, {import.Errors.Count} bad row(s)");
foreach (var error in import.Errors)
{
    Console.WriteLine($"    {error}");
}

var corrected = LabResults.Csv([bad]);
import = await host.Drives.ImportTypingResultsAsync(drive, new MemoryStream(Encoding.UTF8.GetBytes(corrected)), Lab, today, "lab.import", "cuc-results-corrected.csv");
Console.WriteLine($"{drive}: corrected row imported: {import.Imported} typed");

var done = await host.Drives.WaitUntilClosedAsync(drive, TimeSpan.FromMinutes(1));
var s = done.Statistics;
Console.WriteLine();
Console.WriteLine($"Funnel of {drive} ({done.Drive.State}, workflow {done.WorkflowState}):");
Console.WriteLine($"  lectures            {s.Lectures,6}");
Console.WriteLine($"  attendees           {s.Attendees,6}");
Console.WriteLine($"  enrolled            {s.Enrolled,6}   {s.AttendeesToEnrolled,7:P1} of attendees");
Console.WriteLine($"  donors sampled      {s.DonorsSampled,6}   {s.EnrolledToSampled,7:P1} of enrolled   ({s.Samples} samples, {s.SamplesRejected} rejected)");
Console.WriteLine($"  donors typed        {s.DonorsTyped,6}   {s.SampledToTyped,7:P1} of sampled");
Console.WriteLine($"  listed (入库)       {s.DonorsListed,6}   {s.TypedToListed,7:P1} of typed");
Console.WriteLine();
Console.WriteLine("Execution log (last entries):");
foreach (var run in host.Drives.GetExecutionLog(drive).Where(r => r.Outcome != StepOutcome.WaitingForEvent).TakeLast(6))
{
    Console.WriteLine($"  {run.EndedAt:HH:mm:ss.fff}  {run.Step,-22} {run.Outcome,-10} {run.Detail}");
}

await host.DisposeAsync();
registry.Dispose();
Console.WriteLine();
Console.WriteLine($"Registry file: {Path.GetFullPath(options.DatabasePath)}");
return s.DonorsListed == s.DonorsTyped && done.Drive.State == DriveState.Closed ? 0 : 1;
