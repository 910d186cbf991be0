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

    public static Sample ToSample(BsonDocument doc) => new(
        doc["_id"].AsString,
        new DonorId(doc["donor"].AsInt64),
        Enum.Parse<SampleKind>(doc["kind"].AsString),
        doc["drive"].IsNull ? null : new DriveId(doc["drive"].AsString),
        AuditDocuments.Instant(doc["collectedAt"]))
    {
        Version = doc["v"].AsInt32,
        State = Enum.Parse<SampleState>(doc["state"].AsString),
        StateSince = AuditDocuments.Instant(doc["since"]),
        ShipmentId = AuditDocuments.Text(doc["shipment"]),
        Lab = AuditDocuments.Text(doc["lab"]),
        RejectionReason = AuditDocuments.Text(doc["rejection"]),
    };

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

    public static Shipment ToShipment(BsonDocument doc) => new(
        doc["_id"].AsString,
        doc["lab"].AsString,
        AuditDocuments.Instant(doc["at"]),
        doc["barcodes"].AsArray.Select(b => b.AsString).ToList(),
        doc["by"].AsString);
}
