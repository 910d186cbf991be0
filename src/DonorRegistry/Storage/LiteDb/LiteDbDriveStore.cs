using DonorRegistry.Donors;
using DonorRegistry.Drives;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>Drives in LiteDB, keyed by drive code; lectures beside them, indexed by drive and day.</summary>
internal sealed class LiteDbDriveStore(LiteDatabase db) : IDriveStore
{
    private readonly ILiteCollection<BsonDocument> _drives = db.GetCollection(DriveDocuments.Collection);
    private readonly ILiteCollection<BsonDocument> _lectures = db.GetCollection(DriveDocuments.LectureCollection);

    public void EnsureIndexes()
    {
        _lectures.EnsureIndex("drive");
        _lectures.EnsureIndex("heldOn");
    }

    public Loaded<Drive>? Find(DriveId key) =>
        key.Value is null ? null : _drives.FindById(key.Value) is { } document ? new Loaded<Drive>(DriveDocuments.ToDrive(document), document) : null;

    public void Insert(Drive value) => _drives.Insert(DriveDocuments.Write(value, new BsonDocument()));

    public void Update(Loaded<Drive> value) => _drives.Update(DriveDocuments.Write(value.Value, (BsonDocument)value.Token!));

    public IReadOnlyList<Drive> FindAll() =>
        _drives.FindAll().Select(DriveDocuments.ToDrive).OrderBy(d => d.Plan.StartsOn).ThenBy(d => d.Id.Value, StringComparer.Ordinal).ToList();

    public void InsertLecture(Lecture lecture) => _lectures.Insert(DriveDocuments.ToDocument(lecture));

    public IReadOnlyList<Lecture> FindLectures(DriveId drive) => Ordered(_lectures.Find(Query.EQ("drive", drive.Value)));

    public IReadOnlyList<Lecture> FindLectures(DateOnly from, DateOnly to) => Ordered(_lectures.Find(Query.Between("heldOn", from.DayNumber, to.DayNumber)));

    private static List<Lecture> Ordered(IEnumerable<BsonDocument> documents) =>
        documents.Select(DriveDocuments.ToLecture).OrderBy(l => l.HeldOn).ThenBy(l => l.Id, StringComparer.Ordinal).ToList();
}
