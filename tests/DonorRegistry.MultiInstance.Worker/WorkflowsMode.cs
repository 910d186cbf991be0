using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.FakeData;
using DonorRegistry.PostgreSql;
using DonorRegistry.Samples;
using DonorRegistry.Workflows;
using DonorRegistry.Workflows.CampusDrive;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DonorRegistry.MultiInstance.Worker;

/// <summary>
/// The worker's workflows mode (ADR 19 and 21): the registry on PostgreSQL and, beside it, the drive workflows kept in
/// PostgreSQL with the advisory-lock provider, as an application wires them
/// (<c>AddDonorRegistry(...).AddWorkflows(o => o.UsePostgreSql(...))</c>, the workflow host started as a generic host
/// starts its hosted services). Every step run is written to <c>steps-&lt;pid&gt;.log</c> in the steps folder
/// (<see cref="StepRecorder"/>) and announced on stdout as <c>step &lt;drive&gt; &lt;step&gt;</c>.
/// Commands, one a line:
///   drives &lt;n&gt; &lt;volunteers&gt;  runs n drives at once through this instance's facade (the only instance that enrols:
///                               the per-donor keys are a local file): all to the close of enrolment ("stage
///                               enrolment-closed"), then each on to its close ("closed &lt;drive&gt; &lt;funnel&gt;"); then
///                               "drives-done" (or "drives-failed &lt;error&gt;")
///   quit                        stops the workflow host (letting running steps finish) and ends
/// Arguments: &lt;connection string&gt; &lt;registry key, base64&gt; &lt;key-store path&gt; workflows &lt;workflows schema&gt; &lt;steps folder&gt;
/// [events-only: this instance runs no step].
/// </summary>
internal static class WorkflowsMode
{
    private const string Lab = "中华骨髓库 HLA 实验室";
    private const string By = "organizer.wang";

    public static async Task<int> RunAsync(string[] args)
    {
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var outputGate = new Lock();
        void Say(string line)
        {
            lock (outputGate)
            {
                output.WriteLine(line);
            }
        }

        var (connection, schema) = (args[0], args[4]);
        using var registry = Registry.Open(new RegistryOptions { RegistryKey = RegistryKey.FromBase64(args[1]), KeyStorePath = args[2] }.UsePostgreSql(connection));
        using var steps = new StreamWriter(new FileStream(Path.Combine(args[5], $"steps-{Environment.ProcessId}.log"), FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        var recorder = new StepRecorder(steps, Say);
        var services = new ServiceCollection();
        services.AddSingleton(registry); // opened above; AddDonorRegistry keeps it
        services.AddDonorRegistry(_ => { }).AddWorkflows(o =>
        {
            o.UsePostgreSql(connection, schema);
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.ErrorRetryInterval = TimeSpan.FromMilliseconds(200);
            o.StepTimeout = TimeSpan.FromSeconds(40);
        });
        services.AddWorkflowStepMiddleware(_ => recorder);

        if (Environment.GetEnvironmentVariable("DONORREGISTRY_WORKER_LOCKS") == "process")
        {
            // The negative control (docs/reliability.md): WorkflowCore's default kind of lock, held in this process
            // only, instead of the advisory-lock provider; the multi-instance drive test should then see overlaps.
            services.AddSingleton<WorkflowCore.Interface.IDistributedLockProvider, ProcessLocks>();
        }

        if (args.Length > 6 && args[6] == "events-only")
        {
            // This instance raises events and polls, but runs no workflow step: WorkflowCore's workflow consumer is not
            // registered (its EnableWorkflows option is set only inside AddWorkflow). Every step then runs in another
            // instance, taken from the store by its poller.
            var consumers = services.Where(d => d.ServiceType.Name == "IBackgroundTask" && d.ImplementationType?.Name == "WorkflowConsumer").ToList();
            if (consumers.Count != 1)
            {
                Console.Error.WriteLine($"expected one WorkflowCore workflow consumer to remove, found {consumers.Count}");
                return 3;
            }

            services.Remove(consumers[0]);
        }

        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        Say("ready");
        var drives = provider.GetRequiredService<DriveWorkflows>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words.FirstOrDefault())
            {
                case "drives":
                    await RunDrives(registry, drives, int.Parse(words[1], CultureInfo.InvariantCulture), int.Parse(words[2], CultureInfo.InvariantCulture), Say);
                    break;
                case "quit":
                    foreach (var service in hosted)
                    {
                        await service.StopAsync(CancellationToken.None);
                    }

                    return 0;
                default:
                    Say("unknown " + line);
                    break;
            }
        }

        return 0;
    }

    private static async Task RunDrives(Registry registry, DriveWorkflows drives, int count, int volunteers, Action<string> say)
    {
        var today = DateOnly.FromDateTime(registry.TimeProvider.GetUtcNow().UtcDateTime);
        var people = new Volunteers(seed: 13); // not the seed the test registry's own donor came from
        var gate = new Lock();
        var codes = Enumerable.Range(1, count).Select(i => new DriveId($"PKU-2026-{i:D2}")).ToList();

        // Up to the close of enrolment: every enrolment (the key store's writes) is done before the drives go on.
        async Task Prepare(DriveId drive)
        {
            await drives.StartDriveAsync(new DrivePlan(drive, "北京大学 2026 秋季招募", DriveKind.Campus, "海淀区红十字会", "北京大学百年纪念讲堂", today, today.AddDays(1), 200), Lab, By);
            await drives.RecordLectureAsync(drive, "北大二教 203", today, 120, "李医生", By);
            await drives.OpenEnrolmentAsync(drive, By);
            IReadOnlyList<EnrolmentRequest> requests;
            lock (gate)
            {
                requests = people.Many(volunteers, today);
            }

            var donors = drives.Enrol(drive, requests, By);
            for (var i = 0; i < donors.Count; i++)
            {
                drives.CollectSample(drive, donors[i].Id, $"{drive}-{i:D3}", SampleKind.BloodEdta, "nurse.chen");
            }

            await drives.CloseEnrolmentAsync(drive, By);
        }

        // From the shipment to the close.
        async Task Finish(DriveId drive)
        {
            await drives.DispatchShipmentAsync(drive, By);
            await drives.RecordSamplesReceivedAsync(drive, "lab.reception");
            var csv = LabResults.Csv(registry.Samples.FindByDrive(drive).Select(s => (s.Barcode, Volunteers.Typing(today) with { Lab = Lab })));
            await drives.ImportTypingResultsAsync(drive, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), Lab, today, "lab.import");
            var done = await drives.WaitUntilClosedAsync(drive, TimeSpan.FromSeconds(40));
            say($"closed {drive} {done.Statistics}");
        }

        try
        {
            await Task.WhenAll(codes.Select(d => Task.Run(() => Prepare(d))));
            say("stage enrolment-closed");

            await Task.WhenAll(codes.Select(d => Task.Run(() => Finish(d))));
            say("drives-done");
        }
        catch (Exception e)
        {
            say($"drives-failed {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>Locks held in this process only (as WorkflowCore's single-node provider): no other process sees them.</summary>
    private sealed class ProcessLocks : WorkflowCore.Interface.IDistributedLockProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _held = new();

        public Task<bool> AcquireLock(string Id, CancellationToken cancellationToken) => Task.FromResult(_held.TryAdd(Id, 0));

        public Task ReleaseLock(string Id)
        {
            _held.TryRemove(Id, out _);
            return Task.CompletedTask;
        }

        public Task Start() => Task.CompletedTask;

        public Task Stop() => Task.CompletedTask;
    }
}
