using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DonorRegistry.Workflows.Tests.CampusDrive;

/// <summary>A registry file in a temp folder with a drive workflow host on it, restartable like a process.</summary>
internal sealed class DriveFixture : IDisposable
{
    public const string By = "organizer.wang";
    public const string Lab = "中华骨髓库 HLA 实验室";
    public static readonly DriveId Pku = new("PKU-2026-03");

    public DriveFixture(Action<WorkflowsOptions>? configure = null)
    {
        Folder = Directory.CreateTempSubdirectory("drive-workflow-tests-").FullName;
        Configure = o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.ErrorRetryInterval = TimeSpan.FromMilliseconds(100);
            o.StepTimeout = TimeSpan.FromSeconds(20);
            configure?.Invoke(o);
        };
        Registry = Registry.Create(Options());
        Host = StartHost();
    }

    /// <summary>Holds the steps named to it in every host this fixture starts (a process that stops before a step's work).</summary>
    public StepGate Gate { get; } = new();

    public string Folder { get; }

    private RegistryWorkflowHost StartHost() =>
        RegistryWorkflowHost.Start(Registry, Configure, loggerFactory: null, services: s => s.AddWorkflowStepMiddleware(_ => Gate));

    public RegistryKey Key { get; } = RegistryKey.Generate();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero));

    public Volunteers Volunteers { get; } = new();

    public Registry Registry { get; private set; }

    public RegistryWorkflowHost Host { get; private set; }

    public DonorRegistry.Workflows.CampusDrive.DriveWorkflows Drives => Host.Drives;

    public DonorRegistry.Workflows.DonorCare.CareWorkflows Care => Host.Care;

    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);

    private Action<WorkflowsOptions> Configure { get; }

    public RegistryOptions Options() => new()
    {
        DatabasePath = Path.Combine(Folder, "registry.db"),
        RegistryKey = Key,
        TimeProvider = Clock,
    };

    public DrivePlan Plan(DriveId? id = null) =>
        new(id ?? Pku, "北京大学 2026 秋季招募", DriveKind.Campus, "海淀区红十字会", "北京大学百年纪念讲堂", Today, Today.AddDays(1), 200);

    /// <summary>Stops the workflow host and closes the registry, as a process exit would, then starts both again.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        Registry.Dispose();
        Registry = Registry.Open(Options());
        Host = StartHost();
    }

    /// <summary>Starts the drive, holds its lecture, opens enrolment, enrols volunteers and collects a sample from each.</summary>
    public async Task<IReadOnlyList<Sample>> ToCollectedAsync(int volunteers)
    {
        await Drives.StartDriveAsync(Plan(), Lab, By);
        await Drives.RecordLectureAsync(Pku, "北大二教 203", Today, 180, "李医生", By);
        await Drives.OpenEnrolmentAsync(Pku, By);
        var donors = Drives.Enrol(Pku, Volunteers.Many(volunteers, Today), By);
        return donors.Select((d, i) => Drives.CollectSample(Pku, d.Id, $"PKU-{i:D4}", SampleKind.BloodEdta, "nurse.chen")).ToList();
    }

    public string ResultsCsv(IEnumerable<Sample> samples) =>
        LabResults.Csv(samples.Select(s => (s.Barcode, DonorRegistry.FakeData.Volunteers.Typing(Today) with { Lab = Lab })));

    /// <summary>A donor walked to Available through the registry's own verbs.</summary>
    public Donor ListedDonor()
    {
        var donor = Registry.Donors.Enrol(Volunteers.Next(Today), By);
        var barcode = "TUBE-" + donor.Id.Value;
        Registry.Samples.Collect(donor.Id, barcode, Samples.SampleKind.BloodEdta, By);
        Registry.Samples.Ship("lab", [barcode], By);
        Registry.Samples.Receive([barcode], By);
        Registry.Samples.RecordTyping(barcode, DonorRegistry.FakeData.Volunteers.Typing(Today), By);
        return Registry.Donors.List(donor.Id, By);
    }

    public static MemoryStream Utf8(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    public void Dispose()
    {
        Gate.Open();
        Host.Dispose();
        Registry.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
