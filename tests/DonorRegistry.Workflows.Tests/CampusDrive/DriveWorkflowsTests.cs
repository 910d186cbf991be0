using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using NUnit.Framework;
using WorkflowCore.Models;
using static DonorRegistry.Workflows.Tests.CampusDrive.DriveFixture;

namespace DonorRegistry.Workflows.Tests.CampusDrive;

public sealed class DriveWorkflowsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private DriveFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new DriveFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public async Task Drive_FromPlanToClose_RunsEveryStepThroughTheRegistry()
    {
        var samples = await _fx.ToCollectedAsync(20);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        var shipment = await _fx.Drives.DispatchShipmentAsync(Pku, By);
        await _fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        _fx.Registry.Samples.Reject(samples[19].Barcode, "溶血 (haemolysed)", "lab.hla");
        var csv = _fx.ResultsCsv(samples.Take(19)) + "PKU-9999,2026-11-29,A*02:01,B*07:02,,DRB1*15:01,\n";

        var import = await _fx.Drives.ImportTypingResultsAsync(Pku, Utf8(csv), Lab, _fx.Today, "lab.import", "pku.csv");
        var done = await _fx.Drives.WaitUntilClosedAsync(Pku, Patience);

        shipment!.Barcodes.Should().HaveCount(20);
        import.Imported.Should().Be(19);
        import.Errors.Should().ContainSingle().Which.Should().Match<TypingImportError>(e => e.Line == 21 && e.Barcode == "PKU-9999");
        done.WorkflowState.Should().Be(WorkflowState.Complete);
        done.Drive.State.Should().Be(DriveState.Closed);
        done.NextEvent.Should().BeNull();
        (done.Statistics with { Plan = null }).Should().Be(new DriveStatistics(Pku, 1, 180, 20, 20, 20, 1, 19, 19));
        _fx.Registry.Drives.GetHistory(Pku).Select(t => (t.Action, t.Actor)).Should().Equal(
            ("Plan", By), ("OpenEnrolment", By), ("CloseEnrolment", By), ("Close", "workflow.campus-drive"));
        var log = _fx.Drives.GetExecutionLog(Pku);
        log.Select(r => r.Step).Should().ContainInOrder("Plan", "Open enrolment", "Close enrolment", "Dispatch shipment", "Receive samples", "List typed donors", "Close drive");
        log.Should().Contain(r => r.Outcome == StepOutcome.Notice && r.Detail!.Contains("19 listed", StringComparison.Ordinal));
        log.Should().NotContain(r => r.Outcome == StepOutcome.Failed);
    }

    [Test]
    public async Task Drive_RestartedMidway_CompletesWithNothingLostAndNothingDoneTwice()
    {
        var samples = await _fx.ToCollectedAsync(12);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);

        await _fx.RestartAsync();
        await _fx.Drives.DispatchShipmentAsync(Pku, By);
        await _fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        await _fx.RestartAsync();
        await _fx.Drives.ImportTypingResultsAsync(Pku, Utf8(_fx.ResultsCsv(samples)), Lab, _fx.Today, "lab.import");
        var done = await _fx.Drives.WaitUntilClosedAsync(Pku, Patience);

        (done.Statistics with { Plan = null }).Should().Be(new DriveStatistics(Pku, 1, 180, 12, 12, 12, 0, 12, 12));
        _fx.Registry.Drives.GetHistory(Pku).Select(t => t.Action).Should().Equal("Plan", "OpenEnrolment", "CloseEnrolment", "Close");
        foreach (var sample in samples)
        {
            _fx.Registry.Samples.GetHistory(sample.Barcode).Select(t => t.Action).Should().Equal("Collect", "Ship", "Receive", "RecordTyping");
        }

        _fx.Registry.Samples.FindByDrive(Pku).Select(s => s.ShipmentId).Distinct().Should().ContainSingle("one shipment, sent once");
    }

    [Test]
    public async Task ImportBeforeReceipt_ImpliesTheReceiptAndCloses()
    {
        var samples = await _fx.ToCollectedAsync(3);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        await _fx.Drives.DispatchShipmentAsync(Pku, By);

        await _fx.Drives.ImportTypingResultsAsync(Pku, Utf8(_fx.ResultsCsv(samples)), Lab, _fx.Today, "lab.import");

        (await _fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsListed.Should().Be(3);
    }

    [Test]
    public async Task PartialResults_KeepTheDriveOpenUntilTheRestArrive()
    {
        var samples = await _fx.ToCollectedAsync(4);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        await _fx.Drives.DispatchShipmentAsync(Pku, By);
        await _fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");

        await _fx.Drives.ImportTypingResultsAsync(Pku, Utf8(_fx.ResultsCsv(samples.Take(2))), Lab, _fx.Today, "lab.import");
        await Task.Delay(500);

        _fx.Drives.GetProgress(Pku).Should().Match<DriveProgress>(p => p.WorkflowState == WorkflowState.Running && p.NextEvent == DriveEvents.TypingResultsImported);
        await _fx.Drives.ImportTypingResultsAsync(Pku, Utf8(_fx.ResultsCsv(samples.Skip(2))), Lab, _fx.Today, "lab.import");
        (await _fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsTyped.Should().Be(4);
    }

    [Test]
    public async Task AStartedDrive_PrintsItsStateTheEventItExpectsAndItsFunnel_AndItsLogAsLines()
    {
        await _fx.Drives.StartDriveAsync(_fx.Plan(), Lab, By);
        await _fx.Drives.RecordLectureAsync(Pku, "北大", _fx.Today, 50, "李医生", By);

        _fx.Drives.GetProgress(Pku).ToString().Should().Be(
            "PKU-2026-03 is Planned (workflow Running), expecting EnrolmentOpened; PKU-2026-03: 1 lecture, 50 attendees, 0 enrolled (0.0% of attendees), "
            + "0 sampled (n/a of enrolled; 0 samples, 0 rejected), 0 typed (n/a of sampled), 0 listed (n/a of typed)");
        _fx.Drives.GetExecutionLog(Pku).Should().NotBeEmpty()
            .And.OnlyContain(run => run.ToString().StartsWith($"#{run.Sequence} PKU-2026-03 {run.Step} {run.Outcome} at ", StringComparison.Ordinal));
    }

    [Test]
    public async Task Lecture_WrittenButItsEventNeverPublished_TheNextEventCatchesUpAfterARestart_WithoutASecondLecture()
    {
        await _fx.Drives.StartDriveAsync(_fx.Plan(), Lab, By);
        _fx.Registry.Drives.RecordLecture(Pku, "北大", _fx.Today, 50, "李医生", By); // the process stopped before the publish
        await _fx.RestartAsync();

        var opened = await _fx.Drives.OpenEnrolmentAsync(Pku, By);

        opened.State.Should().Be(DriveState.EnrolmentOpen);
        _fx.Registry.Drives.FindLectures(Pku).Should().ContainSingle();
        _fx.Drives.GetProgress(Pku).NextEvent.Should().Be(DriveEvents.EnrolmentClosed);
    }

    [Test]
    public async Task Event_OutOfOrder_IsRefusedNamingTheExpectedOneAndNothingIsPublished()
    {
        await _fx.Drives.StartDriveAsync(_fx.Plan(), Lab, By);
        await _fx.Drives.RecordLectureAsync(Pku, "北大", _fx.Today, 50, "李医生", By);

        var act = () => _fx.Drives.CloseEnrolmentAsync(Pku, By);

        var outOfOrder = (await act.Should().ThrowAsync<DriveWorkflowException>()).WithMessage("*expects EnrolmentOpened next, not EnrolmentClosed*").Which;
        outOfOrder.Code.Should().Be(DriveRefusal.EventOutOfOrder);
        outOfOrder.Arguments.Should().Contain(DriveRefusalArgument.Event, DriveEvents.EnrolmentClosed).And.Contain(DriveRefusalArgument.Expected, DriveEvents.EnrolmentOpened).And.Contain(DriveRefusalArgument.Drive, Pku.Value);
        _fx.Drives.GetProgress(Pku).NextEvent.Should().Be(DriveEvents.EnrolmentOpened);
        _fx.Registry.Drives.Get(Pku).State.Should().Be(DriveState.Planned);
    }

    [Test]
    public async Task Event_Duplicate_IsRefused()
    {
        await _fx.ToCollectedAsync(1);

        var act = () => _fx.Drives.OpenEnrolmentAsync(Pku, By);

        var twice = (await act.Should().ThrowAsync<DriveWorkflowException>()).WithMessage("*already had EnrolmentOpened*EnrolmentClosed next*").Which;
        twice.Code.Should().Be(DriveRefusal.EventAlreadyHappened);
        twice.Arguments.Should().Contain(DriveRefusalArgument.Event, DriveEvents.EnrolmentOpened).And.Contain(DriveRefusalArgument.Expected, DriveEvents.EnrolmentClosed);
    }

    [Test]
    public async Task Event_ForAnUnknownDrive_IsRefused()
    {
        var act = () => _fx.Drives.OpenEnrolmentAsync(new DriveId("NOWHERE"), By);

        (await act.Should().ThrowAsync<UnknownDriveException>()).WithMessage("*NOWHERE*");
    }

    [Test]
    public async Task StartDrive_Twice_IsRefused()
    {
        await _fx.Drives.StartDriveAsync(_fx.Plan(), Lab, By);

        var act = () => _fx.Drives.StartDriveAsync(_fx.Plan(), Lab, By);

        var started = (await act.Should().ThrowAsync<DriveWorkflowException>()).WithMessage("*already runs as workflow*").Which;
        started.Code.Should().Be(DriveRefusal.AlreadyStarted);
        started.Arguments.Should().ContainKey(DriveRefusalArgument.Workflow).WhoseValue.Should().NotBeEmpty();
    }

    [Test]
    public async Task Shipment_WithAnUnknownOrAlreadyShippedSample_IsRefusedBeforeAnythingIsPublished()
    {
        var samples = await _fx.ToCollectedAsync(2);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        _fx.Registry.Samples.Ship("另一个实验室", [samples[0].Barcode], By);

        var unknown = () => _fx.Drives.DispatchShipmentAsync(Pku, By, ["NOPE-1"]);
        var shipped = () => _fx.Drives.DispatchShipmentAsync(Pku, By, [samples[0].Barcode, samples[1].Barcode]);

        (await unknown.Should().ThrowAsync<SampleNotFoundException>()).WithMessage("*NOPE-1*");
        var notCollected = (await shipped.Should().ThrowAsync<DriveWorkflowException>()).WithMessage($"*{samples[0].Barcode}*Shipped*SHP-*").Which;
        notCollected.Code.Should().Be(DriveRefusal.SampleNotCollected);
        notCollected.Arguments.Should().Contain(DriveRefusalArgument.Barcode, samples[0].Barcode).And.Contain(DriveRefusalArgument.State, nameof(SampleState.Shipped));
        notCollected.Arguments[DriveRefusalArgument.Shipment].Should().StartWith("SHP-");
        _fx.Drives.GetProgress(Pku).NextEvent.Should().Be(DriveEvents.ShipmentDispatched);
        _fx.Registry.Samples.Get(samples[1].Barcode).State.Should().Be(SampleState.Collected);
    }

    [Test]
    public async Task CollectSample_ForADonorOfAnotherDrive_IsRefused()
    {
        await _fx.ToCollectedAsync(1);
        var stranger = _fx.Registry.Donors.Enrol(_fx.Volunteers.Next(_fx.Today), By);

        var act = () => _fx.Drives.CollectSample(Pku, stranger.Id, "X-1", SampleKind.BloodEdta, By);

        var elsewhere = act.Should().Throw<DriveWorkflowException>().WithMessage("*did not enrol through drive PKU-2026-03*").Which;
        elsewhere.Code.Should().Be(DriveRefusal.DonorOfAnotherDrive);
        elsewhere.Arguments.Should().Contain(DriveRefusalArgument.Donor, stranger.Id.ToString());
    }
}
