using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The explicit mapping between donors (and their audit records) and LiteDB documents. Written by
/// hand so that what is stored is plain to read in the file, survives renames in code, and keeps
/// every string exactly as given. Dates are stored as day numbers, instants as UTC.
/// </summary>
internal static class DonorDocuments
{
    public const string Collection = "donors";
    public const string AuditCollection = "donor_audit";

    /// <summary>Audit ids pack donor id and version so one version has exactly one record and a donor's trail is a range scan.</summary>
    public const int VersionBits = 24;
    public static long AuditId(DonorId donor, int version) => (donor.Value << VersionBits) | (uint)version;

    public static Donor ToDonor(BsonDocument? doc) => Fields.Decode(doc, Collection, Decode);

    private static Donor Decode(BsonDocument doc)
    {
        var profile = new DonorProfile(
            Fields.Enum<Sex>(doc, "sex"),
            Fields.Day(doc, "birth"),
            Fields.Enum<AboGroup>(doc, "abo"),
            Fields.Enum<RhD>(doc, "rh"),
            Fields.Enum<CmvStatus>(doc, "cmv"),
            Fields.OptStr(doc, "drive") is { } drive ? new DriveId(drive) : null);

        var donor = new Donor(new DonorId(Fields.Long(doc, "_id")), profile, Fields.Instant(doc, "enrolledAt"))
        {
            Version = Fields.Int(doc, "v"),
            State = Fields.Enum<DonorState>(doc, "state"),
            StateSince = Fields.Instant(doc, "since"),
            StatusNote = Fields.OptStr(doc, "note"),
            SampleReference = Fields.OptStr(doc, "sample"),
            DeferredUntil = Fields.OptDay(doc, "until"),
            ReservedFor = Fields.OptStr(doc, "reserved") is { } reserved ? new CaseReference(reserved) : null,
            RecoveryUntil = Fields.OptDay(doc, "recovery"),
            Removal = Fields.OptStr(doc, "removal") is { } removal ? RemovalReason.FromCode(removal) : null,
            RemovedOn = Fields.OptDay(doc, "removedOn"),
            FirstListedOn = Fields.OptDay(doc, "listedOn"),
            PersonalDataErased = Fields.Bool(doc, "erased"),
        };

        if (!doc["typing"].IsNull)
        {
            var t = Fields.Doc(doc, "typing");
            donor.Typing = new TypingResult(Fields.Str(t, "lab"), Fields.Day(t, "on"), Fields.StrMap(t, "loci"));
        }

        if (!doc["donation"].IsNull)
        {
            var d = Fields.Doc(doc, "donation");
            donor.LastDonation = new Donation(new CaseReference(Fields.Str(d, "case")), Fields.Enum<DonationProduct>(d, "product"), Fields.Day(d, "on"));
        }

        return donor;
    }

    /// <summary>
    /// Writes the donor's fields onto a document, leaving the fields the aggregate does not own (personal data, identity hash) alone.
    /// The one definition of a donor's fields: <see cref="DonorJson"/> writes the same fields straight to JSON for the
    /// PostgreSQL engine and is held to this method's document byte for byte (DonorJsonTests), so a field changed here is changed there too.
    /// </summary>
    public static BsonDocument Write(Donor donor, BsonDocument doc, EligibilityPolicy policy)
    {
        doc["_id"] = donor.Id.Value;
        doc["v"] = donor.Version;
        doc["state"] = donor.State.ToString();
        doc["sex"] = donor.Profile.Sex.ToString();
        doc["birth"] = donor.Profile.BirthDate.DayNumber;
        doc["abo"] = donor.Profile.Abo.ToString();
        doc["rh"] = donor.Profile.Rh.ToString();
        doc["cmv"] = donor.Profile.Cmv.ToString();
        Set(doc, "drive", donor.Profile.Drive is { } drive ? drive.Value : BsonValue.Null);
        doc["enrolledAt"] = donor.EnrolledAt.UtcDateTime;
        doc["since"] = donor.StateSince.UtcDateTime;
        Set(doc, "note", donor.StatusNote ?? BsonValue.Null);
        Set(doc, "sample", donor.SampleReference ?? BsonValue.Null);
        Set(doc, "until", Day(donor.DeferredUntil));
        Set(doc, "reserved", donor.ReservedFor is { } reserved ? reserved.Value : BsonValue.Null);
        Set(doc, "recovery", Day(donor.RecoveryUntil));
        Set(doc, "removal", donor.Removal is { } removal ? removal.Code : BsonValue.Null);
        Set(doc, "removedOn", Day(donor.RemovedOn));
        Set(doc, "listedOn", Day(donor.FirstListedOn));
        doc["erased"] = donor.PersonalDataErased;
        Set(doc, "due", Day(CalendarDue(donor, policy)));
        Set(doc, "typing", donor.Typing is { } typing
            ? new BsonDocument
            {
                ["lab"] = typing.Lab,
                ["on"] = typing.TypedOn.DayNumber,
                ["loci"] = new BsonDocument(typing.Loci.ToDictionary(kv => kv.Key, kv => new BsonValue(kv.Value))),
            }
            : BsonValue.Null);
        Set(doc, "donation", donor.LastDonation is { } donation
            ? new BsonDocument
            {
                ["case"] = donation.Case.Value,
                ["product"] = donation.Product.ToString(),
                ["on"] = donation.CollectedOn.DayNumber,
            }
            : BsonValue.Null);
        return doc;
    }

    /// <summary>
    /// The first day on which the calendar has something to do for this donor: a deferral or recovery ends,
    /// or a listed donor reaches the leaving age. One indexed field serves every time-driven change, so the
    /// calendar is one range query. Reserved donors have none: they finish their case first.
    /// </summary>
    public static DateOnly? CalendarDue(Donor donor, EligibilityPolicy policy)
    {
        var leaves = policy.LeavingDate(donor.Profile.BirthDate);
        return donor switch
        {
            { State: DonorState.Available } => leaves,
            { State: DonorState.TemporarilyUnavailable, DeferredUntil: { } until } => Min(until.AddDays(1), leaves),
            { State: DonorState.Donated, RecoveryUntil: { } recovery } => Min(recovery, leaves),
            _ => null,
        };

        static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
    }

    /// <summary>Sets a field, or removes it when null: absent fields read back as null and cost nothing to store.</summary>
    private static void Set(BsonDocument doc, string key, BsonValue value)
    {
        if (value.IsNull)
        {
            doc.Remove(key);
        }
        else
        {
            doc[key] = value;
        }
    }

    private static BsonValue Day(DateOnly? value) => value is { } day ? day.DayNumber : BsonValue.Null;
}
