using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Samples;

public sealed class SampleOperationsTests
{
    private const string By = "nurse.chen";
    private RegistryFixture _fx = null!;

    private SampleOperations Samples => _fx.Registry.Samples;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void Collect_EnrolledDonor_StoresTheSampleAndMarksTheDonorInOneStep()
    {
        var donor = _fx.Enrol(new DriveId("PKU-2026-03"));

        var sample = Samples.Collect(donor.Id, "PKU-000001", SampleKind.BloodEdta, By);

        sample.Should().Match<Sample>(s => s.State == SampleState.Collected && s.Drive == new DriveId("PKU-2026-03") && s.Version == 1);
        var after = _fx.Donors.Get(donor.Id);
        after.State.Should().Be(DonorState.SampleCollected);
        after.SampleReference.Should().Be("PKU-000001");
        Samples.GetHistory("PKU-000001").Should().ContainSingle().Which.Action.Should().Be("Collect");
    }

    [Test]
    public void Walk_CollectShipReceiveType_GivesTheDonorTheTyping()
    {
        var donor = _fx.Enrol();
        Samples.Collect(donor.Id, "T-1", SampleKind.BloodEdta, By);

        var shipment = Samples.Ship("中华骨髓库 HLA 实验室", ["T-1"], "organizer.wang");
        Samples.Receive(["T-1"], "lab.reception");
        var typed = Samples.RecordTyping("T-1", Volunteers.Typing(_fx.Today), "lab.hla");

        shipment.Id.Should().Be("SHP-00000001");
        Samples.FindShipment(shipment.Id)!.Barcodes.Should().Equal("T-1");
        typed.Should().Match<Sample>(s => s.State == SampleState.Typed && s.ShipmentId == shipment.Id && s.Lab == "中华骨髓库 HLA 实验室");
        var after = _fx.Donors.Get(donor.Id);
        after.State.Should().Be(DonorState.Typed);
        after.Typing.Should().Be(Volunteers.Typing(_fx.Today));
        Samples.GetHistory("T-1").Select(t => t.To).Should().Equal(nameof(SampleState.Collected), nameof(SampleState.Shipped), nameof(SampleState.Received), nameof(SampleState.Typed));
    }

    [Test]
    public void Reject_AShippedSample_SendsTheDonorBackForANewOne()
    {
        var donor = _fx.Enrol();
        Samples.Collect(donor.Id, "T-2", SampleKind.BloodEdta, By);
        Samples.Ship("lab", ["T-2"], By);

        var rejected = Samples.Reject("T-2", "haemolysed", "lab.reception");

        rejected.State.Should().Be(SampleState.Rejected);
        rejected.RejectionReason.Should().Be("haemolysed");
        _fx.Donors.Get(donor.Id).Should().Match<Donor>(d => d.State == DonorState.Enrolled && d.StatusNote == "sample rejected: haemolysed");
        Samples.Collect(donor.Id, "T-2B", SampleKind.BuccalSwab, By).State.Should().Be(SampleState.Collected);
        Samples.FindByDonor(donor.Id).Select(s => s.Barcode).Should().Equal("T-2", "T-2B");
    }

    [Test]
    public void Collect_BarcodeAlreadyUsed_IsRefusedAndTheDonorIsUnchanged()
    {
        Samples.Collect(_fx.Enrol().Id, "T-3", SampleKind.BloodEdta, By);
        var second = _fx.Enrol();

        var act = () => Samples.Collect(second.Id, "T-3", SampleKind.BloodEdta, By);

        act.Should().Throw<RegistryValidationException>().WithMessage("Barcode 'T-3' is already used by the sample of donor DR-00000001*");
        _fx.Donors.Get(second.Id).State.Should().Be(DonorState.Enrolled);
    }

    [Test]
    public void Ship_WithAnUnknownBarcode_ShipsNothing()
    {
        Samples.Collect(_fx.Enrol().Id, "T-4", SampleKind.BloodEdta, By);

        var act = () => Samples.Ship("lab", ["T-4", "T-404"], By);

        act.Should().Throw<SampleNotFoundException>().WithMessage("No sample with barcode 'T-404'*");
        Samples.Get("T-4").State.Should().Be(SampleState.Collected);
        Samples.FindShipment("SHP-00000001").Should().BeNull();
    }

    [Test]
    public void Ship_ASampleAlreadyShipped_IsRefusedNamingItAndShipsNothing()
    {
        Samples.Collect(_fx.Enrol().Id, "T-5", SampleKind.BloodEdta, By);
        Samples.Collect(_fx.Enrol().Id, "T-6", SampleKind.BloodEdta, By);
        Samples.Ship("lab", ["T-5"], By);

        var act = () => Samples.Ship("lab", ["T-6", "T-5"], By);

        act.Should().Throw<InvalidSampleTransitionException>()
            .WithMessage("Sample T-5 is Shipped, where Ship is not a valid step. Allowed now: Receive, Reject.");
        Samples.Get("T-6").State.Should().Be(SampleState.Collected);
    }

    [Test]
    public void Ship_TheSameBarcodeTwice_IsRefused()
    {
        var act = () => Samples.Ship("lab", ["T-7", "T-7"], By);

        act.Should().Throw<RegistryValidationException>().WithMessage("Barcode 'T-7' appears twice in the shipment*");
    }

    [Test]
    public void RecordTyping_BeforeTheLabReceivedTheSample_IsRefusedAndTheDonorIsUnchanged()
    {
        var donor = _fx.Enrol();
        Samples.Collect(donor.Id, "T-8", SampleKind.BloodEdta, By);

        var act = () => Samples.RecordTyping("T-8", Volunteers.Typing(_fx.Today), "lab.hla");

        act.Should().Throw<InvalidSampleTransitionException>().Which.Permitted.Should().Equal(SampleTrigger.Ship, SampleTrigger.Reject);
        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.SampleCollected);
    }

    [TestCase("")]
    [TestCase("tube 1")]
    [TestCase("T/1")]
    public void Collect_MalformedBarcode_IsRefused(string barcode)
    {
        var donor = _fx.Enrol();

        var act = () => Samples.Collect(donor.Id, barcode, SampleKind.BloodEdta, By);

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("Barcode");
        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Enrolled);
    }

    [Test]
    public void Reopen_KeepsSamplesShipmentsAndTheirHistory()
    {
        Samples.Collect(_fx.Enrol().Id, "T-9", SampleKind.BloodEdta, By);
        var shipment = Samples.Ship("lab", ["T-9"], By);

        _fx.Reopen();

        Samples.Get("T-9").State.Should().Be(SampleState.Shipped);
        Samples.FindShipment(shipment.Id).Should().BeEquivalentTo(shipment);
        Samples.GetHistory("T-9").Should().HaveCount(2);
        var again = () => Samples.Ship("lab", ["T-9"], By);
        again.Should().Throw<InvalidSampleTransitionException>();
        Samples.Collect(_fx.Enrol().Id, "T-10", SampleKind.BloodEdta, By);
        Samples.Ship("lab", ["T-10"], By).Id.Should().Be("SHP-00000002", "the shipment sequence survives a restart and a refused shipment hands out no number");
    }

    [Test]
    public void ToMermaid_MatchesTheApprovedDiagramAndTheDocs()
    {
        var mermaid = SampleLifecycle.ToMermaid();

        Approvals.Verify(mermaid, Path.Combine(TestContext.CurrentContext.TestDirectory, "Samples", "SampleLifecycle.approved.mmd"), "Samples/SampleLifecycle.approved.mmd");
        File.ReadAllText(Path.Combine(Approvals.RepositoryRoot(), "docs", "lifecycle.md")).ReplaceLineEndings("\n")
            .Should().Contain(mermaid.ReplaceLineEndings("\n").Trim());
    }
}
