using DonorRegistry.Donors;
using DonorRegistry.Samples;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>Samples in LiteDB, keyed by barcode, with indexes on donor and drive; shipments beside them.</summary>
internal sealed class LiteDbSampleStore(LiteDatabase db, Damage damage) : LiteDbRecordStore<string, Sample>(db.GetCollection(SampleDocuments.Collection), damage), ISampleStore
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
        Damage.Read(SampleDocuments.Collection, null, () => _samples.Find(Query.EQ("donor", donor.Value)).Select(d => (DateTimeOffset?)SampleDocuments.ToSample(d).CollectedAt).Min());

    public void InsertShipment(Shipment shipment) =>
        Damage.Write(SampleDocuments.ShipmentCollection, shipment.Id, () => _shipments.Insert(Seal.Apply(SampleDocuments.ToDocument(shipment))));

    public Shipment? FindShipment(string id) =>
        string.IsNullOrEmpty(id) ? null : Damage.Read(SampleDocuments.ShipmentCollection, id, () => _shipments.FindById(id) is { } document ? SampleDocuments.ToShipment(document) : null);

    /// <summary>Every shipment document, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> AllShipments() => Damage.Each(SampleDocuments.ShipmentCollection, _shipments.FindAll());

    protected override BsonValue? Id(string key) => string.IsNullOrEmpty(key) ? null : key;

    protected override Sample Read(BsonDocument document) => SampleDocuments.ToSample(document);

    protected override BsonDocument Write(Sample value, BsonDocument document) => SampleDocuments.Write(value, document);

    private List<Sample> Ordered(IEnumerable<BsonDocument> documents) =>
        Decoded(documents).OrderBy(s => s.CollectedAt).ThenBy(s => s.Barcode, StringComparer.Ordinal).ToList();
}
