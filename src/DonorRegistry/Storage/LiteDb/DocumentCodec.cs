using DonorRegistry.Access;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The record mappings of this folder (the *Documents classes) as JSON text, for an engine that keeps the records
/// somewhere else (the PostgreSQL engine stores them as JSONB, ADR 18): one mapping of every record, written once and
/// tested by both engines. The JSON is LiteDB's extended JSON (<c>{"$numberLong": …}</c>, <c>{"$date": …}</c>,
/// <c>{"$binary": …}</c>), so a record reads back with the very types it was written with. The documents carry no
/// seal (ADR 11's <c>_h</c>): the seal hashes nested documents in their key order, which JSONB does not keep, and the
/// server's page checksums and write-ahead log guard the bytes instead. A document that does not decode is named as
/// <see cref="RegistryDamagedException"/> with the place (each call's <c>where</c>) and the table.
/// No LiteDB type leaves this class.
/// </summary>
internal static class DocumentCodec
{
    /// <summary>The mapping of one kind of record.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    internal sealed class Kind<T>(string collection, Func<T, BsonDocument> write, Func<BsonDocument, T> read)
    {
        /// <summary>The collection (table) name the LiteDB engine gives this kind, used in damage messages.</summary>
        public string Collection => collection;

        /// <summary>The record as JSON.</summary>
        public string Encode(T value) => Json(write(value));

        /// <summary>The record a JSON document holds; damage is named with <paramref name="where"/> and <paramref name="id"/>.</summary>
        public T Decode(string json, string where, object? id) => Decoded(json, collection, where, id, read);

        /// <summary>A stored LiteDB document of this kind as its record (a copy into another engine).</summary>
        public T Decode(BsonDocument document, string where) => Decode(Json(document), where, document["_id"].RawValue);
    }

    public static readonly Kind<Sample> Sample = new(SampleDocuments.Collection, s => SampleDocuments.Write(s, new BsonDocument()), SampleDocuments.ToSample);

    public static readonly Kind<Shipment> Shipment = new(SampleDocuments.ShipmentCollection, SampleDocuments.ToDocument, SampleDocuments.ToShipment);

    public static readonly Kind<MatchCase> Case = new(CaseDocuments.Collection, c => CaseDocuments.Write(c, new BsonDocument()), CaseDocuments.ToCase);

    public static readonly Kind<Drive> Drive = new(DriveDocuments.Collection, d => DriveDocuments.Write(d, new BsonDocument()), DriveDocuments.ToDrive);

    public static readonly Kind<Lecture> Lecture = new(DriveDocuments.LectureCollection, DriveDocuments.ToDocument, DriveDocuments.ToLecture);

    public static readonly Kind<DonationRecord> Donation = new(CareDocuments.Collection, CareDocuments.ToDocument, CareDocuments.ToRecord);

    public static readonly Kind<Recognition> Recognition = new(CareDocuments.RecognitionCollection, CareDocuments.ToDocument, CareDocuments.ToRecognition);

    public static readonly Kind<VolunteerHonour> Volunteer = new(VolunteerDocuments.Collection, v => VolunteerDocuments.Write(v, new BsonDocument()), VolunteerDocuments.ToHonour);

    /// <summary>User accounts (issue 11): name, display name, roles, the password's hash, the lockout count.</summary>
    public static readonly Kind<UserAccount> User = new(UserDocuments.Collection, u => UserDocuments.Write(u, new BsonDocument()), UserDocuments.ToUser);

    /// <summary>The donors' collection (table) name, for damage messages.</summary>
    public const string DonorCollection = DonorDocuments.Collection;

    /// <summary>The collection of publicity consents (one document per donor, with its history).</summary>
    public const string PublicityCollection = CareDocuments.PublicityCollection;

    /// <summary>The collection of re-collections.</summary>
    public const string RecollectionCollection = DailyCounts.RecollectionCollection;

    /// <summary>The collection of per-day counts.</summary>
    public const string CountCollection = DailyCounts.Collection;

    /// <summary>The access log's collection.</summary>
    public const string AccessLogCollection = LiteDbAccessLog.Collection;

    /// <summary>The search log's collection.</summary>
    public const string SearchLogCollection = LiteDbReportData.SearchLogCollection;

    /// <summary>
    /// A donor as JSON, with the fields the aggregate does not own: the identity, its proof and the sealed personal data.
    /// Written directly by <see cref="DonorJson"/>, the very text <see cref="EncodeDonorReference"/> makes (tested byte for byte).
    /// </summary>
    public static string EncodeDonor(Donor donor, EligibilityPolicy policy, Guid nationalIdHash, byte[]? sealedPersonalData, byte[]? identityProof) =>
        DonorJson.Encode(donor, policy, nationalIdHash, sealedPersonalData, identityProof)
        ?? EncodeDonorReference(donor, policy, nationalIdHash, sealedPersonalData, identityProof);

    /// <summary>The donor's JSON by way of the <see cref="DonorDocuments.Write"/> document and LiteDB's serialiser: the definition <see cref="DonorJson"/> is held to.</summary>
    internal static string EncodeDonorReference(Donor donor, EligibilityPolicy policy, Guid nationalIdHash, byte[]? sealedPersonalData, byte[]? identityProof)
    {
        var document = DonorDocuments.Write(donor, Fields.NewDocument(32), policy);
        document["nid"] = nationalIdHash;
        document["pd"] = sealedPersonalData is null ? BsonValue.Null : new BsonValue(sealedPersonalData);
        document["nidp"] = identityProof is null ? BsonValue.Null : new BsonValue(identityProof);
        return Json(document);
    }

    /// <summary>A donor and the fields beside the record (identity, proof, sealed personal data) from JSON.</summary>
    public static (Donor Donor, Guid NationalIdHash, byte[]? SealedPersonalData, byte[]? IdentityProof) DecodeDonor(string json, string where, object? id) =>
        Decoded(json, DonorDocuments.Collection, where, id, document => (
            DonorDocuments.ToDonor(document),
            document["nid"].IsGuid ? document["nid"].AsGuid : throw new DocumentDamage(null, null, "field 'nid' to hold the national-ID hash"),
            Binary(document, "pd", "the sealed personal data"),
            Binary(document, "nidp", "the identity's proof")));

    /// <summary>A stored LiteDB donor document (a copy into another engine).</summary>
    public static (Donor Donor, Guid NationalIdHash, byte[]? SealedPersonalData, byte[]? IdentityProof) DecodeDonor(BsonDocument document, string where) =>
        DecodeDonor(Json(document), where, document["_id"].RawValue);

    /// <summary>The first day the calendar has something to do for the donor (the LiteDB engine's indexed "due").</summary>
    public static DateOnly? CalendarDue(Donor donor, EligibilityPolicy policy) => DonorDocuments.CalendarDue(donor, policy);

    /// <summary>Whether the donor keeps a compact search row (typed and listed, ADR 13 and 16).</summary>
    public static bool HasSearchRow(Donor donor) => DonorSearchRows.Has(donor);

    /// <summary>The states the search index holds.</summary>
    public static IReadOnlyList<DonorState> SearchStates => DonorSearchRows.SearchStates;

    /// <summary>The listed states other than Available.</summary>
    public static IReadOnlyList<DonorState> NotAvailable => DonorSearchRows.NotAvailable;

    /// <summary>The states in which a typed donor keeps a row.</summary>
    public static IReadOnlyList<DonorState> RowStates => DonorSearchRows.RowStates;

    /// <summary>The donor's compact search row (layout and checksum of <see cref="DonorSearchRows"/>).</summary>
    public static byte[] EncodeSearchRow(Donor donor) => DonorSearchRows.Encode(donor);

    /// <summary>A stored compact search row; a row whose checksum or layout does not hold is named as damage.</summary>
    public static SearchRow DecodeSearchRow(long id, byte[] row, DonorState state, int version, Dictionary<string, string> strings, string where)
    {
        try
        {
            return DonorSearchRows.Decode(new BsonDocument { ["_id"] = id, ["r"] = row }, state, version, strings);
        }
        catch (DocumentDamage e)
        {
            throw new RegistryDamagedException(where, e.Collection, e.DocumentId, e.Expected, e.InnerException);
        }
    }

    /// <summary>A document as JSON, its instants to the millisecond: what the LiteDB engine keeps of them (BSON dates), so a record reads back the same from either engine.</summary>
    private static string Json(BsonDocument document) => JsonSerializer.Serialize(Milliseconds(document));

    private static BsonValue Milliseconds(BsonValue value)
    {
        if (value.IsDateTime)
        {
            var at = value.AsDateTime.ToUniversalTime();
            return new BsonValue(new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc));
        }

        if (value.IsDocument)
        {
            var document = value.AsDocument;
            foreach (var key in document.Keys.ToList())
            {
                document[key] = Milliseconds(document[key]);
            }
        }
        else if (value.IsArray)
        {
            var array = value.AsArray;
            for (var i = 0; i < array.Count; i++)
            {
                array[i] = Milliseconds(array[i]);
            }
        }

        return value;
    }

    private static byte[]? Binary(BsonDocument document, string field, string what) =>
        document[field].IsNull ? null : document[field].IsBinary ? document[field].AsBinary : throw new DocumentDamage(null, null, $"field '{field}' to hold {what}");

    private static T Decoded<T>(string json, string collection, string where, object? id, Func<BsonDocument, T> read)
    {
        try
        {
            var value = JsonSerializer.Deserialize(json);
            return value.IsDocument ? read(value.AsDocument) : throw new DocumentDamage(collection, Damage.Text(id), "a JSON document");
        }
        catch (Exception e) when (Damage.IsEngineFailure(e))
        {
            throw new Damage(where).Named(collection, id, e is LiteException ? new DocumentDamage(collection, Damage.Text(id), "JSON the library wrote", e) : e);
        }
    }
}
