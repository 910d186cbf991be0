using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.Samples;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>The hand-written mapping of samples, their audit records and shipments (see <see cref="DonorDocuments"/>).</summary>
internal static class SampleDocuments
{
    public const string Collection = "samples";
    public const string AuditCollection = "sample_audit";
    public const string ShipmentCollection = "shipments";

    public static Sample ToSample(BsonDocument doc) => Fields.Decode(doc, Collection, d => new Sample(
        Fields.Str(d, "_id"),
        new DonorId(Fields.Long(d, "donor")),
        Fields.Enum<SampleKind>(d, "kind"),
        Fields.OptStr(d, "drive") is { } drive ? new DriveId(drive) : null,
        Fields.Instant(d, "collectedAt"))
    {
        Version = Fields.Int(d, "v"),
        State = Fields.Enum<SampleState>(d, "state"),
        StateSince = Fields.Instant(d, "since"),
        ShipmentId = Fields.OptStr(d, "shipment"),
        Lab = Fields.OptStr(d, "lab"),
        RejectionReason = Fields.OptStr(d, "rejection"),
    });

    public static BsonDocument Write(Sample s, BsonDocument doc)
    {
        doc["_id"] = s.Barcode;
        doc["v"] = s.Version;
        doc["donor"] = s.DonorId.Value;
        doc["kind"] = s.Kind.ToString();
        doc["drive"] = s.Drive is { } drive ? drive.Value : BsonValue.Null;
        doc["collectedAt"] = s.CollectedAt.UtcDateTime;
        doc["state"] = s.State.ToString();
        doc["since"] = s.StateSince.UtcDateTime;
        doc["shipment"] = s.ShipmentId ?? BsonValue.Null;
        doc["lab"] = s.Lab ?? BsonValue.Null;
        doc["rejection"] = s.RejectionReason ?? BsonValue.Null;
        doc["typedAt"] = s.State == SampleState.Typed ? s.StateSince.UtcDateTime : BsonValue.Null;
        return doc;
    }

    public static BsonDocument ToDocument(Shipment shipment) => new()
    {
        ["_id"] = shipment.Id,
        ["lab"] = shipment.Lab,
        ["at"] = shipment.DispatchedAt.UtcDateTime,
        ["by"] = shipment.DispatchedBy,
        ["barcodes"] = new BsonArray(shipment.Barcodes.Select(b => new BsonValue(b))),
    };

    public static Shipment ToShipment(BsonDocument doc) => Fields.Decode(doc, ShipmentCollection, d => new Shipment(
        Fields.Str(d, "_id"),
        Fields.Str(d, "lab"),
        Fields.Instant(d, "at"),
        Fields.Strs(d, "barcodes").ToList(),
        Fields.Str(d, "by")));
}
