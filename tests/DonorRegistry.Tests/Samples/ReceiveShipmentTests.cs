using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Samples;

public sealed class ReceiveShipmentTests
{
    private const string By = "lab.reception";
    private RegistryFixture _fx = null!;
    private int _tubes;

    private SampleOperations Samples => _fx.Registry.Samples;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    /// <summary>Collects <paramref name="count"/> tubes from new donors and ships them in one shipment.</summary>
    private Shipment Shipped(int count)
    {
        var barcodes = Enumerable.Range(0, count).Select(_ =>
        {
            var barcode = $"T-{++_tubes:D4}";
            Samples.Collect(_fx.Enrol().Id, barcode, SampleKind.BloodEdta, "nurse.chen");
            return barcode;
        }).ToList();
        return Samples.Ship("中华骨髓库 HLA 实验室", barcodes, "organizer.wang");
    }

    private void Typed(string barcode) =>
        Samples.ImportTypingResults(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(LabResults.Csv([(barcode, Volunteers.Typing(_fx.Today))]))), "中华骨髓库 HLA 实验室", _fx.Today, "lab.import")
            .Imported.Should().Be(1);

    [Test]
    public void ReceiveShipment_WholeManifest_ReceivesEveryTubeOnce_InManifestOrder()
    {
        var shipment = Shipped(3);

        var receipt = Samples.ReceiveShipment(shipment.Id, By);

        receipt.ShipmentId.Should().Be(shipment.Id);
        receipt.Tubes.Should().Equal(shipment.Barcodes.Select(b => new TubeReceipt(b, ReceiptOutcome.Received, SampleState.Received)));
        receipt.Received.Should().Equal(shipment.Barcodes);
        receipt.MovedOn.Should().BeEmpty();
        foreach (var barcode in shipment.Barcodes)
        {
            var trail = Samples.GetHistory(barcode);
            trail.Select(t => t.Action).Should().Equal("Collect", "Ship", "Receive");
            trail[^1].Should().Match<DonorRegistry.Audit.AuditRecord>(t => t.Actor == By && t.Reason == shipment.Id);
        }
    }

    [Test]
    public void ReceiveShipment_ATubeRejectedAndATubeTypedSinceShipping_AreReportedAndLeftAlone_TheOthersAreReceived()
    {
        var shipment = Shipped(4);
        var (rejected, typed) = (shipment.Barcodes[1], shipment.Barcodes[2]);
        Samples.Reject(rejected, "溶血 (haemolysed)", "lab.hla");
        Typed(typed);

        var receipt = Samples.ReceiveShipment(shipment.Id, By);

        receipt.Tubes.Select(t => (t.Barcode, t.Outcome, t.State)).Should().Equal(
            (shipment.Barcodes[0], ReceiptOutcome.Received, SampleState.Received),
            (rejected, ReceiptOutcome.Rejected, SampleState.Rejected),
            (typed, ReceiptOutcome.AlreadyTyped, SampleState.Typed),
            (shipment.Barcodes[3], ReceiptOutcome.Received, SampleState.Received));
        Samples.GetHistory(rejected).Select(t => t.Action).Should().Equal("Collect", "Ship", "Reject");
        Samples.GetHistory(typed).Select(t => t.Action).Should().Equal("Collect", "Ship", "Receive", "RecordTyping");
        receipt.ToString().Should().Be($"{shipment.Id} received: 2 tubes now, 0 already received, 1 already typed, 1 rejected");
    }

    [Test]
    public void ReceiveShipment_Twice_ChangesNothingTheSecondTime()
    {
        var shipment = Shipped(2);
        Samples.ReceiveShipment(shipment.Id, By);
        var versions = shipment.Barcodes.Select(b => Samples.Get(b).Version).ToList();

        var again = Samples.ReceiveShipment(shipment.Id, By);

        again.Tubes.Should().OnlyContain(t => t.Outcome == ReceiptOutcome.AlreadyReceived && t.State == SampleState.Received);
        again.Received.Should().BeEmpty();
        shipment.Barcodes.Select(b => Samples.Get(b).Version).Should().Equal(versions);
        shipment.Barcodes.Select(b => Samples.GetHistory(b).Count(t => t.Action == "Receive")).Should().AllBeEquivalentTo(1);
    }

    [Test]
    public void ReceiveShipment_NamedTubes_ReceivesOnlyThoseAndLeavesTheRestShipped()
    {
        var shipment = Shipped(3);

        var receipt = Samples.ReceiveShipment(shipment.Id, By, [shipment.Barcodes[2], shipment.Barcodes[0]]);

        receipt.Received.Should().Equal(shipment.Barcodes[2], shipment.Barcodes[0]);
        Samples.Get(shipment.Barcodes[1]).State.Should().Be(SampleState.Shipped);
    }

    [Test]
    public void ReceiveShipment_AnUnknownShipment_IsRefusedNamingIt()
    {
        Shipped(1);

        var unknown = () => Samples.ReceiveShipment("SHP-99999999", By);
        var missing = () => Samples.ReceiveShipment(null!, By);

        unknown.Should().Throw<RegistryValidationException>().WithMessage("shipmentId 'SHP-99999999' names no shipment; give the id of a dispatched shipment*")
            .Which.Field.Should().Be("shipmentId");
        missing.Should().Throw<RegistryValidationException>().WithMessage("shipmentId '' is missing*");
    }

    [Test]
    public void ReceiveShipment_ATubeNotOnTheManifest_OrNamedTwice_OrNone_IsRefusedAndNothingIsReceived()
    {
        var shipment = Shipped(2);
        var other = Shipped(1);
        var before = shipment.Barcodes.Select(b => Samples.GetHistory(b).Count).ToList();

        var stranger = () => Samples.ReceiveShipment(shipment.Id, By, [shipment.Barcodes[0], other.Barcodes[0]]);
        var twice = () => Samples.ReceiveShipment(shipment.Id, By, [shipment.Barcodes[0], shipment.Barcodes[0]]);
        var none = () => Samples.ReceiveShipment(shipment.Id, By, []);
        var malformed = () => Samples.ReceiveShipment(shipment.Id, By, ["not a barcode"]);

        stranger.Should().Throw<RegistryValidationException>().WithMessage($"Barcode '{other.Barcodes[0]}' is not on the manifest of shipment {shipment.Id}*");
        twice.Should().Throw<RegistryValidationException>().WithMessage($"Barcode '{shipment.Barcodes[0]}' is named twice*");
        none.Should().Throw<RegistryValidationException>().WithMessage("barcodes '' is empty*");
        malformed.Should().Throw<RegistryValidationException>().WithMessage("Barcode 'not a barcode' is not a tube barcode*");
        shipment.Barcodes.Should().OnlyContain(b => Samples.Get(b).State == SampleState.Shipped && Samples.Get(b).Version == 2);
        shipment.Barcodes.Select(b => Samples.GetHistory(b).Count).Should().Equal(before, "a refused receipt stores no audit record");
    }

    [Test]
    public void ReceiveShipment_ABlankActor_IsRefusedAndNothingIsReceived()
    {
        var shipment = Shipped(1);

        var act = () => Samples.ReceiveShipment(shipment.Id, " ");

        act.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("by");
        Samples.Get(shipment.Barcodes[0]).State.Should().Be(SampleState.Shipped);
    }

    [Test]
    public void ReceiveShipment_WhateverBecameOfEachTube_ReceivesExactlyTheShippedOnes_AndASecondReceiptReceivesNone()
    {
        // Each tube of a shipment is left shipped (0), received (1), typed (2) or rejected (3) before the receipt.
        var fates = Gen.Choose(0, 3).ArrayOf().Where(a => a.Length is > 0 and <= 6);

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(25), Prop.ForAll(Arb.From(fates), fate =>
        {
            var shipment = Shipped(fate.Length);
            for (var i = 0; i < fate.Length; i++)
            {
                var barcode = shipment.Barcodes[i];
                switch (fate[i])
                {
                    case 1: Samples.Receive([barcode], "lab.early"); break;
                    case 2: Typed(barcode); break;
                    case 3: Samples.Reject(barcode, "lost in transit", "lab.hla"); break;
                }
            }

            var first = Samples.ReceiveShipment(shipment.Id, By);
            var second = Samples.ReceiveShipment(shipment.Id, By);

            first.Received.Should().Equal(shipment.Barcodes.Where((_, i) => fate[i] == 0));
            first.Tubes.Select(t => t.Outcome).Should().Equal(fate.Select(f => (ReceiptOutcome)f));
            second.Received.Should().BeEmpty();
            shipment.Barcodes.Select(b => Samples.GetHistory(b).Count(t => t.Action == "Receive")).Should().Equal(fate.Select(f => f == 3 ? 0 : 1));
        }));
    }
}
