using System.Text;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Workflows;

namespace DonorRegistry.Benchmarks;

/// <summary>One campus drive's work (enrol, sample, ship, receive, import results, list), done directly on the core or through the workflow.</summary>
internal sealed class DriveWorkloads
{
    public const string Lab = "bench-lab";
    public static readonly DriveId Drive = new("BENCH-DRIVE");

    public DriveWorkloads(int volunteers, int seed = 11)
    {
        Requests = new Volunteers(seed).Many(volunteers, Workloads.Today()).ToList();
        Barcodes = Enumerable.Range(1, volunteers).Select(i => $"B-{i:D6}").ToList();
        var hla = new SyntheticHla(seed) { ThreeLocusShare = 0 };
        Csv = Encoding.UTF8.GetBytes(LabResults.Csv(Barcodes.Select(b => (b, hla.Next(Workloads.Today())))));
    }

    public List<EnrolmentRequest> Requests { get; }

    public List<string> Barcodes { get; }

    public byte[] Csv { get; }

    public static DrivePlan Plan() => new(Drive, "bench drive", DriveKind.Campus, "bench", "bench hall", Workloads.Today(), Workloads.Today(), 100_000);

    /// <summary>The same drive through the core's operations alone.</summary>
    public DriveStatistics Direct(Registry registry) => Direct(registry, phases: null);

    /// <summary>The same drive through the core's operations alone, each phase's time and allocations given to <paramref name="phases"/> when set.</summary>
    public DriveStatistics Direct(Registry registry, Action<string, TimeSpan, long>? phases)
    {
        const string By = Workloads.By;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        void Phase(string name)
        {
            if (phases is null)
            {
                return;
            }

            var now = GC.GetTotalAllocatedBytes(precise: false);
            phases(name, watch.Elapsed, now - allocated);
            allocated = now;
            watch.Restart();
        }

        registry.Drives.Plan(Plan(), By);
        registry.Drives.RecordLecture(Drive, "hall", Workloads.Today(), 300, "speaker", By);
        registry.Drives.OpenEnrolment(Drive, By);
        Phase("plan, lecture, open");
        var donors = registry.Drives.EnrolMany(Drive, Requests, By);
        Phase("enrol");
        for (var i = 0; i < donors.Count; i++)
        {
            registry.Samples.Collect(donors[i].Id, Barcodes[i], SampleKind.BloodEdta, By);
        }

        Phase("collect");
        registry.Drives.CloseEnrolment(Drive, By);
        registry.Samples.Ship(Lab, Barcodes, By);
        Phase("close enrolment, ship");
        registry.Samples.Receive(Barcodes, By);
        Phase("receive");
        registry.Samples.ImportTypingResults(new MemoryStream(Csv), Lab, Workloads.Today(), By);
        Phase("import results");
        registry.Drives.ListTypedDonors(Drive, By);
        Phase("list");
        registry.Drives.Close(Drive, By);
        var statistics = Check(registry.Drives.GetStatistics(Drive));
        Phase("close, statistics");
        return statistics;
    }

    /// <summary>The same drive through the <see cref="Workflows.CampusDrive.DriveWorkflows"/> facade and the workflow's steps.</summary>
    public async Task<DriveStatistics> ThroughWorkflow(RegistryWorkflowHost host)
    {
        const string By = Workloads.By;
        var drives = host.Drives;
        await drives.StartDriveAsync(Plan(), Lab, By);
        await drives.RecordLectureAsync(Drive, "hall", Workloads.Today(), 300, "speaker", By);
        await drives.OpenEnrolmentAsync(Drive, By);
        var donors = drives.Enrol(Drive, Requests, By);
        for (var i = 0; i < donors.Count; i++)
        {
            drives.CollectSample(Drive, donors[i].Id, Barcodes[i], SampleKind.BloodEdta, By);
        }

        await drives.CloseEnrolmentAsync(Drive, By);
        await drives.DispatchShipmentAsync(Drive, By);
        await drives.RecordSamplesReceivedAsync(Drive, By);
        await drives.ImportTypingResultsAsync(Drive, new MemoryStream(Csv), Lab, Workloads.Today(), By);
        var done = await drives.WaitUntilClosedAsync(Drive, TimeSpan.FromMinutes(5));
        return Check(done.Statistics);
    }

    private DriveStatistics Check(DriveStatistics statistics) =>
        statistics.DonorsListed == Requests.Count ? statistics : throw new InvalidOperationException($"The drive listed {statistics.DonorsListed} of {Requests.Count} donors: {statistics}");
}
