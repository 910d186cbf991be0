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

    public static Donor ToDonor(BsonDocument doc)
    {
        var profile = new DonorProfile(
            Enum.Parse<Sex>(doc["sex"].AsString),
            DateOnly.FromDayNumber(doc["birth"].AsInt32),
            Enum.Parse<AboGroup>(doc["abo"].AsString),
            Enum.Parse<RhD>(doc["rh"].AsString),
            Enum.Parse<CmvStatus>(doc["cmv"].AsString),
            doc["drive"].IsNull ? null : new DriveId(doc["drive"].AsString));

        var donor = new Donor(new DonorId(doc["_id"].AsInt64), profile, Instant(doc["enrolledAt"]))
        {
            Version = doc["v"].AsInt32,
            State = Enum.Parse<DonorState>(doc["state"].AsString),
            StateSince = Instant(doc["since"]),
            StatusNote = Text(doc["note"]),
            SampleReference = Text(doc["sample"]),
            DeferredUntil = Day(doc["until"]),
            ReservedFor = doc["reserved"].IsNull ? null : new CaseReference(doc["reserved"].AsString),
            RecoveryUntil = Day(doc["recovery"]),
            Removal = doc["removal"].IsNull ? null : RemovalReason.FromCode(doc["removal"].AsString),
            RemovedOn = Day(doc["removedOn"]),
            FirstListedOn = Day(doc["listedOn"]),
            PersonalDataErased = doc["erased"].AsBoolean,
        };

        if (doc["typing"].IsDocument)
        {
            var t = doc["typing"].AsDocument;
            var loci = t["loci"].AsDocument.ToDictionary(kv => kv.Key, kv => kv.Value.AsString);
            donor.Typing = new TypingResult(t["lab"].AsString, DateOnly.FromDayNumber(t["on"].AsInt32), loci);
        }

        if (doc["donation"].IsDocument)
        {
            var d = doc["donation"].AsDocument;
            donor.LastDonation = new Donation(
                new CaseReference(d["case"].AsString), Enum.Parse<DonationProduct>(d["product"].AsString), DateOnly.FromDayNumber(d["on"].AsInt32));
        }

        return donor;
    }

    /// <summary>Writes the donor's fields onto a document, leaving the fields the aggregate does not own (personal data, identity hash) alone.</summary>
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

    private static string? Text(BsonValue value) => AuditDocuments.Text(value);

    private static DateOnly? Day(BsonValue value) => value.IsNull ? null : DateOnly.FromDayNumber(value.AsInt32);

    private static BsonValue Day(DateOnly? value) => value is { } day ? day.DayNumber : BsonValue.Null;

    private static DateTimeOffset Instant(BsonValue value) => AuditDocuments.Instant(value);
}
