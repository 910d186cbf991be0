using DonorRegistry.Drives;
using DonorRegistry.Workflows.Tests.CampusDrive;
using FluentAssertions;
using NUnit.Framework;
using static DonorRegistry.Workflows.Tests.CampusDrive.DriveFixture;

namespace DonorRegistry.Workflows.PostgreSql.Tests;

/// <summary>The library's campus drive, end to end, with its workflows kept in PostgreSQL, through two restarts of the host.</summary>
public sealed class CampusDriveOnPostgreSqlTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private string? _schema;
    private DriveFixture? _fx;

    [SetUp]
    public void SetUp()
    {
        var connectionString = PostgreSqlTestDatabase.ConnectionString;
        _schema = PostgreSqlTestDatabase.NewSchema();
        _fx = new DriveFixture(o => o.UsePostgreSql(connectionString, _schema));
    }

    [TearDown]
    public void TearDown()
    {
        _fx?.Dispose();
        PostgreSqlTestDatabase.Drop(_schema);
    }

    [Test]
    public async Task Drive_RestartedMidway_CompletesWithNothingLostAndNothingDoneTwice_WithItsWorkflowInPostgreSql()
    {
        var fx = _fx!;
        fx.Host.Store.Should().BeOfType<PostgreSqlWorkflowStore>();
        var samples = await fx.ToCollectedAsync(6);
        await fx.Drives.CloseEnrolmentAsync(Pku, By);

        await fx.RestartAsync();
        await fx.Drives.DispatchShipmentAsync(Pku, By);
        await fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        await fx.RestartAsync();
        await fx.Drives.ImportTypingResultsAsync(Pku, Utf8(fx.ResultsCsv(samples)), Lab, fx.Today, "lab.import");
        var done = await fx.Drives.WaitUntilClosedAsync(Pku, Patience);

        (done.Statistics with { Plan = null }).Should().Be(new DriveStatistics(Pku, 1, 180, 6, 6, 6, 0, 6, 6));
        fx.Registry.Drives.GetHistory(Pku).Select(t => t.Action).Should().Equal("Plan", "OpenEnrolment", "CloseEnrolment", "Close");
        fx.Registry.Samples.FindByDrive(Pku).Select(s => s.ShipmentId).Distinct().Should().ContainSingle("one shipment, sent once");
        PostgreSqlTestDatabase.Scalar($"SELECT count(*) FROM \"{_schema}\".workflow WHERE reference = @drive AND status = 2", ("drive", Pku.Value!)).Should().Be(1L);
        PostgreSqlTestDatabase.Scalar($"SELECT count(*) FROM \"{_schema}\".event WHERE event_key = @drive AND NOT is_processed", ("drive", Pku.Value!)).Should().Be(0L, "the retention rule settled the closed drive's events");
        ((long)PostgreSqlTestDatabase.Scalar($"SELECT count(*) FROM \"{_schema}\".execution_log WHERE reference = @drive", ("drive", Pku.Value!))!).Should().Be(fx.Drives.GetExecutionLog(Pku).Count).And.BeGreaterThan(0);
        fx.Drives.GetExecutionLog(Pku).Select(r => r.Step).Should().ContainInOrder("Plan", "Open enrolment", "Close enrolment", "Dispatch shipment", "Receive samples", "List typed donors", "Close drive");
    }

    [Test]
    public async Task Receipt_AfterARestart_WithTheShipmentsEventStoredAndItsStepNotRun_WaitsForTheDispatch_WithItsWorkflowInPostgreSql()
    {
        // ADR 24: the process raising the events stopped after publishing the shipment; the receipt comes first after
        // the restart and must wait for the dispatch's step instead of returning with nothing received.
        var fx = _fx!;
        var samples = await fx.ToCollectedAsync(3);
        await fx.Drives.CloseEnrolmentAsync(Pku, By);
        fx.Gate.Hold("Dispatch shipment");
        var abandoned = fx.Drives.DispatchShipmentAsync(Pku, By);
        (await Task.WhenAny(fx.Gate.Entered, Task.Delay(Patience))).Should().Be(fx.Gate.Entered);
        fx.Gate.Fail();
        await fx.RestartAsync();
        await Task.WhenAny(abandoned, Task.Delay(TimeSpan.FromSeconds(1))); // its caller is gone; what it says is moot
        fx.Gate.Hold("Dispatch shipment");
        (await Task.WhenAny(fx.Gate.Entered, Task.Delay(Patience))).Should().Be(fx.Gate.Entered);

        var receipt = fx.Drives.RecordSamplesReceivedAsync(Pku, "lab.reception");
        await Task.WhenAny(receipt, Task.Delay(500));
        fx.Gate.Open();
        await receipt;

        fx.Registry.Samples.FindByDrive(Pku).Select(s => s.State).Should().AllBeEquivalentTo(DonorRegistry.Samples.SampleState.Received);
        (await fx.Drives.ImportTypingResultsAsync(Pku, Utf8(fx.ResultsCsv(samples)), Lab, fx.Today, "lab.import")).Imported.Should().Be(3);
        (await fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsListed.Should().Be(3);
    }

    [Test]
    public async Task Import_CommittedButNeitherEventPublished_TheDriveClosesAfterARestart_WithItsWorkflowInPostgreSql()
    {
        var fx = _fx!;
        var samples = await fx.ToCollectedAsync(3);
        await fx.Drives.CloseEnrolmentAsync(Pku, By);
        await fx.Drives.DispatchShipmentAsync(Pku, By);
        fx.Registry.Samples.ImportTypingResults(Utf8(fx.ResultsCsv(samples)), Lab, fx.Today, "lab.import").Imported.Should().Be(3); // the process stopped before the publish

        await fx.RestartAsync();

        (await fx.Drives.WaitUntilClosedAsync(Pku, Patience)).Statistics.DonorsListed.Should().Be(3);
    }
}
