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

    public IReadOnlyList<Sample> FindByDonor(DonorId donor) => Ordered(_samples.Find(Where.Eq("donor", donor.Value)));

    public IReadOnlyList<Sample> FindByDrive(DriveId drive) => Ordered(_samples.Find(Where.Eq("drive", drive.Value)));

    public DateTimeOffset? FirstCollectedAt(DonorId donor) =>
        Damage.Read(SampleDocuments.Collection, null, () => _samples.Find(Where.Eq("donor", donor.Value)).Select(d => (DateTimeOffset?)SampleDocuments.ToSample(d).CollectedAt).Min());

    public void InsertShipment(Shipment shipment) =>
        Damage.Write(SampleDocuments.ShipmentCollection, shipment.Id, () => _shipments.Insert(Seal.Apply(SampleDocuments.ToDocument(shipment))));

    public Shipment? FindShipment(string id) =>
        string.IsNullOrEmpty(id) ? null : Damage.Read(SampleDocuments.ShipmentCollection, id, () => _shipments.FindOneById(id) is { } document ? SampleDocuments.ToShipment(document) : null);

    public IReadOnlyDictionary<string, Loaded<Sample>> FindMany(IReadOnlyCollection<string> barcodes)
    {
        var ids = barcodes.Where(b => !string.IsNullOrEmpty(b)).Distinct(StringComparer.Ordinal).Select(b => new BsonValue(b)).ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<string, Loaded<Sample>>();
        }

        // One query over the _id index (the registry's collation is binary, so ids match as the strings do). The
        // barcodes go in as a parameter: Query.In writes them into the expression's text, which LiteDB parses and
        // caches for good, one entry per batch.
        return Damage.Read(SampleDocuments.Collection, null, () => _samples.Find(BsonExpression.Create("_id IN @0", new BsonArray(ids)))
            .Select(document => new Loaded<Sample>(Read(document), document))
            .ToDictionary(loaded => loaded.Value.Barcode, StringComparer.Ordinal));
    }

    /// <summary>Every shipment document, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> AllShipments() => Damage.Each(SampleDocuments.ShipmentCollection, _shipments.FindAll());

    protected override BsonValue? Id(string key) => string.IsNullOrEmpty(key) ? null : key;

    protected override Sample Read(BsonDocument document) => SampleDocuments.ToSample(document);

    protected override BsonDocument Write(Sample value, BsonDocument document) => SampleDocuments.Write(value, document);

    private List<Sample> Ordered(IEnumerable<BsonDocument> documents) =>
        Decoded(documents).OrderBy(s => s.CollectedAt).ThenBy(s => s.Barcode, StringComparer.Ordinal).ToList();
}
