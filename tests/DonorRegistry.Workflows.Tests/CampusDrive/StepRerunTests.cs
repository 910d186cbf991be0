using DonorRegistry.Samples;
using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using NUnit.Framework;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using static DonorRegistry.Workflows.Tests.CampusDrive.DriveFixture;

namespace DonorRegistry.Workflows.Tests.CampusDrive;

/// <summary>
/// Each drive step run twice on the same workflow instance, as WorkflowCore does when the process is killed after
/// the step's work but before the workflow is saved: the second run adds no notice and changes nothing.
/// </summary>
public sealed class StepRerunTests
{
    private DriveFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new DriveFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private Registry Registry => _fx.Registry;

    private ExecutionLog Log => _fx.Host.Log;

    /// <summary>The drive in the registry alone (no workflow), enrolment closed, with a collected sample per volunteer.</summary>
    private IReadOnlyList<Sample> Collected(int volunteers)
    {
        Registry.Drives.Plan(_fx.Plan(), By);
        Registry.Drives.OpenEnrolment(Pku, By);
        var donors = Registry.Drives.EnrolMany(Pku, _fx.Volunteers.Many(volunteers, _fx.Today), By);
        var samples = donors.Select((d, i) => Registry.Samples.Collect(d.Id, $"PKU-{i:D4}", SampleKind.BloodEdta, "nurse.chen")).ToList();
        Registry.Drives.CloseEnrolment(Pku, By);
        return samples;
    }

    /// <summary>A workflow instance as WorkflowCore would hand it to the step: the same id and data on both runs.</summary>
    private static StepExecutionContext Context(string stepName, DriveEvent? lastEvent = null, string workflowId = "wf-drive-1") => new()
    {
        Workflow = new WorkflowInstance
        {
            Id = workflowId,
            Reference = Pku.Value,
            Data = new CampusDriveData { Drive = Pku.Value!, Lab = Lab, ShipWithin = TimeSpan.FromDays(3), ResultsWithin = TimeSpan.FromDays(21), LastEvent = lastEvent },
        },
        Step = new WorkflowStep<ConfirmPlan> { Id = 7, Name = stepName },
        ExecutionPointer = new ExecutionPointer { Id = "pointer-1", StepId = 7 },
    };

    private static void RunTwice(IStepBody step, StepExecutionContext context)
    {
        var data = (CampusDriveData)context.Workflow.Data;
        var lastEvent = data.LastEvent;
        step.RunAsync(context).GetAwaiter().GetResult().Proceed.Should().BeTrue();
        data.LastEvent = lastEvent; // the kill came before the save: the re-run sees the data as it was loaded
        step.RunAsync(context).GetAwaiter().GetResult().Proceed.Should().BeTrue();
    }

    private IReadOnlyList<StepRun> Notices() => Log.For(Pku.Value!).Where(r => r.Outcome == StepOutcome.Notice).ToList();

    [Test]
    public void RemindToShip_RunTwice_PutsOneReminderOnTheList()
    {
        Collected(3);

        RunTwice(new RemindToShip(Registry, Log), Context("Remind to ship"));

        Notices().Should().ContainSingle().Which.Should().Match<StepRun>(r => r.Step == "Remind to ship" && r.Detail!.StartsWith("Reminder: 3 sample(s)", StringComparison.Ordinal));
        var reminder = Notices().Single();
        reminder.Code.Should().Be(LogCode.ShippingReminder, "a host says it in its own language from the code");
        reminder.Arguments.Should().Contain("count", "3").And.Contain("drive", Pku.Value!).And.ContainKeys("within", "lab");
        TimeSpan.ParseExact(reminder.Arguments["within"], "c", System.Globalization.CultureInfo.InvariantCulture).Should().BePositive();
    }

    [Test]
    public void RemindToShip_RunTwice_AfterASampleWasShippedInBetween_StillListsOneReminder()
    {
        var samples = Collected(3);
        var step = new RemindToShip(Registry, Log);
        var context = Context("Remind to ship");
        step.RunAsync(context).GetAwaiter().GetResult();

        Registry.Samples.Ship(Lab, [samples[0].Barcode], By);
        step.RunAsync(context).GetAwaiter().GetResult();

        Notices().Should().ContainSingle("the occasion (the drive's shipping deadline) already has its reminder, whatever the new count")
            .Which.Detail.Should().Contain("3 sample(s)");
    }

    [Test]
    public void RemindToShip_OfAnotherWorkflow_IsItsOwnOccasion()
    {
        Collected(1);

        new RemindToShip(Registry, Log).RunAsync(Context("Remind to ship", workflowId: "wf-a")).GetAwaiter().GetResult();
        new RemindToShip(Registry, Log).RunAsync(Context("Remind to ship", workflowId: "wf-b")).GetAwaiter().GetResult();

        Notices().Select(r => r.WorkflowId).Should().Equal("wf-a", "wf-b");
    }

    [Test]
    public void FlagOverdue_RunTwice_FlagsEachShipmentOnce()
    {
        var samples = Collected(4);
        var first = Registry.Samples.Ship(Lab, [samples[0].Barcode, samples[1].Barcode], By);
        var second = Registry.Samples.Ship("另一个实验室", [samples[2].Barcode, samples[3].Barcode], By);
        Registry.Samples.Receive([samples[2].Barcode], "lab.reception");

        RunTwice(new FlagOverdue(Registry, Log), Context("Flag overdue shipment"));

        Notices().Select(r => r.Detail![..(r.Detail!.IndexOf(" has", StringComparison.Ordinal))]).Should().Equal($"Overdue: shipment {first.Id}", $"Overdue: shipment {second.Id}");
        Notices().Select(r => (r.Code, r.Arguments["shipment"], r.Arguments["count"], r.Arguments["more"])).Should().Equal(
            (LogCode.ShipmentOverdue, first.Id, "2", "0"),
            (LogCode.ShipmentOverdue, second.Id, "2", "0"));
        var flagged = Notices()[1].Arguments;
        flagged["barcodes"].Split(',').Zip(flagged["states"].Split(',')).Should().BeEquivalentTo(
            [(samples[2].Barcode, "Received"), (samples[3].Barcode, "Shipped")]);
    }

    [Test]
    public void CloseDrive_RunTwice_ClosesOnceAndWritesOneFunnel()
    {
        var samples = Collected(1);
        Registry.Samples.Ship(Lab, [samples[0].Barcode], By);
        Registry.Samples.Reject(samples[0].Barcode, "溶血 (haemolysed)", "lab.hla");

        RunTwice(new CloseDrive(Registry, Log, new WorkflowsOptions()), Context("Close drive"));

        Registry.Drives.GetHistory(Pku).Count(t => t.Action == "Close").Should().Be(1);
        Notices().Should().ContainSingle().Which.Detail.Should().StartWith($"Drive {Pku} closed:");
        Notices().Single().Should().Match<StepRun>(r => r.Code == LogCode.DriveClosed && r.Arguments["drive"] == Pku.Value && r.Arguments["samples"] == "1" && r.Arguments["samplesRejected"] == "1" && r.Arguments["donorsListed"] == "0");
    }

    [Test]
    public void ReceiveSamples_ATubeRejectedAndATubeTypedBetweenShipmentAndReceipt_DoNotFailTheStep_TheOthersAreReceivedOnce()
    {
        var samples = Collected(5);
        var shipment = Registry.Samples.Ship(Lab, samples.Select(s => s.Barcode).ToList(), By);
        Registry.Samples.Reject(samples[1].Barcode, "溶血 (haemolysed)", "lab.hla");
        Registry.Samples.ImportTypingResults(Utf8(_fx.ResultsCsv([samples[3]])), Lab, _fx.Today, "lab.import").Imported.Should().Be(1);
        var receipt = new DriveEvent { By = "lab.reception", Barcodes = shipment.Barcodes.ToList() };

        RunTwice(new ReceiveSamples(Registry, Log), Context("Receive samples", receipt));

        Registry.Samples.FindByDrive(Pku).Select(s => (s.Barcode, s.State)).Should().Equal(
            (samples[0].Barcode, SampleState.Received),
            (samples[1].Barcode, SampleState.Rejected),
            (samples[2].Barcode, SampleState.Received),
            (samples[3].Barcode, SampleState.Typed),
            (samples[4].Barcode, SampleState.Received));
        foreach (var sample in samples)
        {
            Registry.Samples.GetHistory(sample.Barcode).Count(t => t.Action == "Receive").Should().Be(sample == samples[1] ? 0 : 1, sample.Barcode);
        }

        Registry.Samples.GetHistory(samples[0].Barcode)[^1].Actor.Should().Be("lab.reception");
    }

    [Test]
    public void ReceiveSamples_WithoutNamedTubes_ReceivesEveryShippedTubeOfTheDrive_AcrossShipments_AndNoneOfAnotherDrive()
    {
        var samples = Collected(3);
        var stranger = Registry.Samples.Collect(Registry.Donors.Enrol(_fx.Volunteers.Next(_fx.Today), By).Id, "OTHER-1", SampleKind.BloodEdta, By);
        Registry.Samples.Ship(Lab, [samples[0].Barcode, stranger.Barcode], By);
        Registry.Samples.Ship(Lab, [samples[1].Barcode], By);

        RunTwice(new ReceiveSamples(Registry, Log), Context("Receive samples", new DriveEvent { By = "lab.reception" }));

        Registry.Samples.FindByDrive(Pku).Select(s => s.State).Should().Equal(SampleState.Received, SampleState.Received, SampleState.Collected);
        Registry.Samples.Get(stranger.Barcode).State.Should().Be(SampleState.Shipped, "the other drive's tube in the same box is its own drive's to receive");
    }

    [Test]
    public async Task ReceiveSamples_ATubeRejectedBetweenTheStepsReadAndItsWrite_DoesNotFailTheStep()
    {
        // The lab's rejection holds the registry's write while the step reads the drive's tubes (all shipped) and
        // then waits to write; the rejection commits first. The step must take the tube as it is in its own write.
        var clock = new GatedClock(_fx.Clock);
        using var registry = Registry.Create(new RegistryOptions { DatabasePath = Path.Combine(_fx.Folder, "gated.db"), RegistryKey = _fx.Key, TimeProvider = clock });
        using var logDatabase = new LiteDB.LiteDatabase(":memory:");
        registry.Drives.Plan(_fx.Plan(), By);
        registry.Drives.OpenEnrolment(Pku, By);
        var donors = registry.Drives.EnrolMany(Pku, _fx.Volunteers.Many(3, _fx.Today), By);
        var samples = donors.Select((d, i) => registry.Samples.Collect(d.Id, $"PKU-{i:D4}", SampleKind.BloodEdta, "nurse.chen")).ToList();
        registry.Drives.CloseEnrolment(Pku, By);
        registry.Samples.Ship(Lab, samples.Select(s => s.Barcode).ToList(), By);

        var lab = Task.Run(() =>
        {
            clock.HoldNextReadingOnThisThread();
            registry.Samples.Reject(samples[1].Barcode, "lost in transit", "lab.hla");
        });
        clock.Held.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the rejection reads the clock inside its write");
        var step = Task.Run(() => new ReceiveSamples(registry, new ExecutionLog(logDatabase, clock)).RunAsync(Context("Receive samples", new DriveEvent { By = "lab.reception" })));
        await Task.Delay(300); // the step has read the tubes and waits for the write
        clock.Release();
        await lab;

        (await step).Proceed.Should().BeTrue();
        registry.Samples.FindByDrive(Pku).Select(s => s.State).Should().Equal(SampleState.Received, SampleState.Rejected, SampleState.Received);
    }

    /// <summary>A clock that can hold one reading on one thread (the registry reads it inside its write) until released.</summary>
    private sealed class GatedClock(TimeProvider inner) : TimeProvider
    {
        private readonly ThreadLocal<bool> _hold = new();
        private readonly ManualResetEventSlim _release = new();

        public ManualResetEventSlim Held { get; } = new();

        public void HoldNextReadingOnThisThread() => _hold.Value = true;

        public void Release() => _release.Set();

        public override DateTimeOffset GetUtcNow()
        {
            if (_hold.Value)
            {
                _hold.Value = false;
                Held.Set();
                _release.Wait(TimeSpan.FromSeconds(10));
            }

            return inner.GetUtcNow();
        }
    }
}
