using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.CampusDrive;
using FluentAssertions;
using NUnit.Framework;
using static DonorRegistry.Workflows.Tests.CampusDrive.DriveFixture;

namespace DonorRegistry.Workflows.Tests.CampusDrive;

/// <summary>
/// A drive taken on after the process raising its events stopped at the worst point: an event published but its
/// step not run yet (the step is held, or failed, by <see cref="StepGate"/>), or the registry changed by a facade verb
/// but the event it implies never published. The next verb, and a restart, must leave the drive as if nothing had
/// stopped: each verb returns once its own step's work shows in the registry, and no drive waits for an event the
/// registry already implies.
/// </summary>
public sealed class DriveResumeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Held = TimeSpan.FromMilliseconds(500);
    private DriveFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new DriveFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private IReadOnlyList<SampleState> States() => _fx.Registry.Samples.FindByDrive(Pku).Select(s => s.State).ToList();

    /// <summary>Calls the verb whose step the gate holds and leaves it, as a killed process would, once its event is taken.</summary>
    private async Task<Task> AbandonedAsync(string step, Func<Task> verb)
    {
        _fx.Gate.Hold(step);
        var abandoned = verb();
        (await Task.WhenAny(_fx.Gate.Entered, Task.Delay(Patience))).Should().Be(_fx.Gate.Entered, $"the {step} step should have been reached");
        return abandoned;
    }

    private static async Task Forget(Task abandoned)
    {
        try
        {
            await abandoned;
        }
#pragma warning disable CA1031 // the abandoned caller's failure, whatever it is, is not the test's subject
        catch (Exception)
#pragma warning restore CA1031
        {
            // The abandoned caller's process is gone in the story; its exception says nothing about the drive.
        }
    }

    /// <summary>Until the drive's workflow waits for typing results (its check after the receipt has run).</summary>
    private async Task UntilWaitingForResultsAsync()
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!_fx.Host.Store.FindByReference(Pku.Value!).Any(w => w.ExecutionPointers.Any(p => p.EventName == DriveEvents.TypingResultsImported && p.Status == WorkflowCore.Models.PointerStatus.WaitingForEvent)))
        {
            waited.Elapsed.Should().BeLessThan(Patience, "the drive should wait for typing results");
            await Task.Delay(20);
        }
    }

    [Test]
    public async Task Receipt_WhileTheShipmentsEventIsTakenButItsStepHasNotRun_ReturnsOnceTheTubesAreReceived()
    {
        var samples = await _fx.ToCollectedAsync(3);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        var dispatch = await AbandonedAsync("Dispatch shipment", () => _fx.Drives.DispatchShipmentAsync(Pku, By));

        var receipt = _fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        await Task.WhenAny(receipt, Task.Delay(Held));
        _fx.Gate.Open();
        await receipt;

        States().Should().AllBeEquivalentTo(SampleState.Received, "the receipt returns once recorded, and the tubes were shipped before");
        await Forget(dispatch);
        await _fx.Drives.ImportTypingResultsAsync(Pku, Utf8(_fx.ResultsCsv(samples)), Lab, _fx.Today, "lab.import");
        (await _fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsListed.Should().Be(3);
    }

    [Test]
    public async Task Receipt_AfterARestart_WithTheShipmentsEventStoredAndItsStepNotRun_WaitsForTheDispatch_AndTheDriveCloses()
    {
        var samples = await _fx.ToCollectedAsync(3);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        var dispatch = await AbandonedAsync("Dispatch shipment", () => _fx.Drives.DispatchShipmentAsync(Pku, By));
        _fx.Gate.Fail(); // the process dies before the step's work: WorkflowCore runs it again later
        await _fx.RestartAsync();
        await Forget(dispatch);
        _fx.Gate.Hold("Dispatch shipment"); // the new process has not run it yet when the receipt comes
        (await Task.WhenAny(_fx.Gate.Entered, Task.Delay(Patience))).Should().Be(_fx.Gate.Entered);

        var receipt = _fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        await Task.WhenAny(receipt, Task.Delay(Held));
        _fx.Gate.Open();
        await receipt;
        var import = await _fx.Drives.ImportTypingResultsAsync(Pku, Utf8(_fx.ResultsCsv(samples)), Lab, _fx.Today, "lab.import");

        import.Imported.Should().Be(3, "the tubes were shipped and received before the results came");
        (await _fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsListed.Should().Be(3);
        foreach (var sample in samples)
        {
            _fx.Registry.Samples.GetHistory(sample.Barcode).Select(t => t.Action).Should().Equal("Collect", "Ship", "Receive", "RecordTyping");
        }
    }

    [Test]
    public async Task Import_WhileTheShipmentsEventIsTakenButItsStepHasNotRun_ImportsAfterTheDispatch_AndTheDriveCloses()
    {
        var samples = await _fx.ToCollectedAsync(3);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        var dispatch = await AbandonedAsync("Dispatch shipment", () => _fx.Drives.DispatchShipmentAsync(Pku, By));

        var importing = _fx.Drives.ImportTypingResultsAsync(Pku, Utf8(_fx.ResultsCsv(samples)), Lab, _fx.Today, "lab.import");
        await Task.WhenAny(importing, Task.Delay(Held));
        _fx.Gate.Open();
        var import = await importing;

        import.Imported.Should().Be(3, "the results are read once the tubes are shipped, not refused as still collected");
        await Forget(dispatch);
        (await _fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsListed.Should().Be(3);
    }

    [Test]
    public async Task CloseEnrolment_WhileTheOpeningsEventIsTakenButItsStepHasNotRun_ReturnsTheDriveAwaitingResults()
    {
        await _fx.Drives.StartDriveAsync(_fx.Plan(), Lab, By);
        await _fx.Drives.RecordLectureAsync(Pku, "北大", _fx.Today, 50, "李医生", By);
        var open = await AbandonedAsync("Open enrolment", () => _fx.Drives.OpenEnrolmentAsync(Pku, By));

        var closing = _fx.Drives.CloseEnrolmentAsync(Pku, By);
        await Task.WhenAny(closing, Task.Delay(Held));
        _fx.Gate.Open();
        var closed = await closing;

        closed.State.Should().Be(DriveState.AwaitingResults);
        await Forget(open);
        _fx.Registry.Drives.GetHistory(Pku).Select(t => t.Action).Should().Equal("Plan", "OpenEnrolment", "CloseEnrolment");
    }

    [Test]
    public async Task Import_CommittedButItsEventNeverPublished_TheDriveClosesAfterARestart()
    {
        var samples = await _fx.ToCollectedAsync(3);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        await _fx.Drives.DispatchShipmentAsync(Pku, By);
        await _fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        await UntilWaitingForResultsAsync();
        _fx.Registry.Samples.ImportTypingResults(Utf8(_fx.ResultsCsv(samples)), Lab, _fx.Today, "lab.import").Imported.Should().Be(3); // the process stopped before the publish

        await _fx.RestartAsync();

        var done = await _fx.Drives.WaitUntilClosedAsync(Pku, Patience);
        done.Statistics.DonorsListed.Should().Be(3);
        _fx.Registry.Drives.GetHistory(Pku).Select(t => t.Action).Should().Equal("Plan", "OpenEnrolment", "CloseEnrolment", "Close");
    }

    [Test]
    public async Task Import_BeforeTheReceipt_CommittedButNeitherEventPublished_TheDriveClosesAfterARestart()
    {
        var samples = await _fx.ToCollectedAsync(3);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        await _fx.Drives.DispatchShipmentAsync(Pku, By);
        _fx.Registry.Samples.ImportTypingResults(Utf8(_fx.ResultsCsv(samples)), Lab, _fx.Today, "lab.import").Imported.Should().Be(3); // the process stopped before the publish

        await _fx.RestartAsync();

        (await _fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsListed.Should().Be(3);
    }

    [Test]
    public async Task Import_BeforeTheReceipt_CommittedButNeitherEventPublished_BeforeTheWaitForTheReceiptWasSaved_TheDriveClosesAfterARestart()
    {
        var samples = await _fx.ToCollectedAsync(3);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        _fx.Gate.Hold("Await receipt");
        await _fx.Drives.DispatchShipmentAsync(Pku, By); // the tubes are shipped; the workflow has not saved its wait for the receipt
        (await Task.WhenAny(_fx.Gate.Entered, Task.Delay(Patience))).Should().Be(_fx.Gate.Entered);
        _fx.Registry.Samples.ImportTypingResults(Utf8(_fx.ResultsCsv(samples)), Lab, _fx.Today, "lab.import").Imported.Should().Be(3); // the process stopped before the publish
        _fx.Gate.Fail();

        await _fx.RestartAsync();
        _fx.Gate.Open();

        (await _fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsListed.Should().Be(3);
    }

    [Test]
    public async Task Import_CommittedButItsEventNeverPublished_BeforeTheWaitForResultsWasSaved_TheDriveClosesAfterARestart()
    {
        var samples = await _fx.ToCollectedAsync(3);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        await _fx.Drives.DispatchShipmentAsync(Pku, By);
        _fx.Gate.Hold("Await typing results");
        await _fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        (await Task.WhenAny(_fx.Gate.Entered, Task.Delay(Patience))).Should().Be(_fx.Gate.Entered, "the drive checked its results (none) and goes to wait for them");
        _fx.Registry.Samples.ImportTypingResults(Utf8(_fx.ResultsCsv(samples)), Lab, _fx.Today, "lab.import").Imported.Should().Be(3); // the process stopped before the publish
        _fx.Gate.Fail();

        await _fx.RestartAsync();
        _fx.Gate.Open();

        (await _fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsListed.Should().Be(3);
    }

    [Test]
    public async Task Import_WithSomeResults_CommittedButItsEventNeverPublished_TheDriveWaitsForTheRest()
    {
        var samples = await _fx.ToCollectedAsync(4);
        await _fx.Drives.CloseEnrolmentAsync(Pku, By);
        await _fx.Drives.DispatchShipmentAsync(Pku, By);
        await _fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        await UntilWaitingForResultsAsync();
        _fx.Registry.Samples.ImportTypingResults(Utf8(_fx.ResultsCsv(samples.Take(2))), Lab, _fx.Today, "lab.import");

        await _fx.RestartAsync();
        await Task.Delay(Held);

        _fx.Drives.GetProgress(Pku).NextEvent.Should().Be(DriveEvents.TypingResultsImported);
        _fx.Registry.Drives.Get(Pku).State.Should().Be(DriveState.AwaitingResults);
        await _fx.Drives.ImportTypingResultsAsync(Pku, Utf8(_fx.ResultsCsv(samples.Skip(2))), Lab, _fx.Today, "lab.import");
        (await _fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsTyped.Should().Be(4);
    }
}
