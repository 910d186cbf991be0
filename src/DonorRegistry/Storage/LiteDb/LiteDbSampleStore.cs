using DonorRegistry.Donors;
using DonorRegistry.Samples;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>Samples in LiteDB, keyed by barcode, with indexes on donor and drive; shipments beside them.</summary>
internal sealed class LiteDbSampleStore(LiteDatabase db) : LiteDbRecordStore<string, Sample>(db.GetCollection(SampleDocuments.Collection)), ISampleStore
{
    private readonly ILiteCollection<BsonDocument> _samples = db.GetCollection(SampleDocuments.Collection);
    private readonly ILiteCollection<BsonDocument> _shipments = db.GetCollection(SampleDocuments.ShipmentCollection);

    public void EnsureIndexes()
    {
        _samples.EnsureIndex("donor");
        _samples.EnsureIndex("drive");
    }


    public IReadOnlyList<Sample> FindByDonor(DonorId donor) => Ordered(_samples.Find(Query.EQ("donor", donor.Value)));

    public IReadOnlyList<Sample> FindByDrive(DriveId drive) => Ordered(_samples.Find(Query.EQ("drive", drive.Value)));

    public DateTimeOffset? FirstCollectedAt(DonorId donor) =>
        _samples.Find(Query.EQ("donor", donor.Value)).Select(d => (DateTimeOffset?)AuditDocuments.Instant(d["collectedAt"])).Min();

    public void InsertShipment(Shipment shipment) => _shipments.Insert(SampleDocuments.ToDocument(shipment));

    public Shipment? FindShipment(string id) =>
        string.IsNullOrEmpty(id) ? null : _shipments.FindById(id) is { } document ? SampleDocuments.ToShipment(document) : null;

    protected override BsonValue? Id(string key) => string.IsNullOrEmpty(key) ? null : key;

    protected override Sample Read(BsonDocument document) => SampleDocuments.ToSample(document);

    protected override BsonDocument Write(Sample value, BsonDocument document) => SampleDocuments.Write(value, document);

    private static List<Sample> Ordered(IEnumerable<BsonDocument> documents) =>
        documents.Select(SampleDocuments.ToSample).OrderBy(s => s.CollectedAt).ThenBy(s => s.Barcode, StringComparer.Ordinal).ToList();
}
