using DonorRegistry.Donors;
using DonorRegistry.Drives;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>Drives in LiteDB, keyed by drive code; lectures beside them, indexed by drive and day.</summary>
internal sealed class LiteDbDriveStore(LiteDatabase db, Damage damage) : LiteDbRecordStore<DriveId, Drive>(db.GetCollection(DriveDocuments.Collection), damage), IDriveStore
{
    private readonly ILiteCollection<BsonDocument> _drives = db.GetCollection(DriveDocuments.Collection);
    private readonly ILiteCollection<BsonDocument> _lectures = db.GetCollection(DriveDocuments.LectureCollection);

    public void EnsureIndexes()
    {
        _lectures.EnsureIndex("drive");
        _lectures.EnsureIndex("heldOn");
    }

    public IReadOnlyList<Drive> FindAll() =>
        Decoded(_drives.FindAll()).OrderBy(d => d.Plan.StartsOn).ThenBy(d => d.Id.Value, StringComparer.Ordinal).ToList();

    public void InsertLecture(Lecture lecture) =>
        Damage.Write(DriveDocuments.LectureCollection, lecture.Id, () => _lectures.Insert(Seal.Apply(DriveDocuments.ToDocument(lecture))));

    /// <summary>Every lecture document, for <see cref="LiteDbVerifier"/>.</summary>
    internal IEnumerable<BsonDocument> AllLectures() => Damage.Each(DriveDocuments.LectureCollection, _lectures.FindAll());

    public IReadOnlyList<Lecture> FindLectures(DriveId drive) => Ordered(_lectures.Find(Where.Eq("drive", drive.Value)));

    public IReadOnlyList<Lecture> FindLectures(DateOnly from, DateOnly to) => Ordered(_lectures.Find(Where.Between("heldOn", from.DayNumber, to.DayNumber)));

    protected override BsonValue? Id(DriveId key) => key.Value;

    protected override Drive Read(BsonDocument document) => DriveDocuments.ToDrive(document);

    protected override BsonDocument Write(Drive value, BsonDocument document) => DriveDocuments.Write(value, document);

    private List<Lecture> Ordered(IEnumerable<BsonDocument> documents) =>
        Damage.Read(DriveDocuments.LectureCollection, null, () => documents.Select(DriveDocuments.ToLecture).ToList()).OrderBy(l => l.HeldOn).ThenBy(l => l.Id, StringComparer.Ordinal).ToList();
}
