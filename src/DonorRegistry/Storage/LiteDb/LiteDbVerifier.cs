using System.Globalization;
using DonorRegistry.Donors;
using DonorRegistry.Verification;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// <see cref="Registry.Verify"/> over LiteDB: reads every document once, alone among writers, and lists every problem
/// it meets without stopping at the first. Each check is one small method in <see cref="Checks"/>; a check that the
/// engine cannot finish is reported as <see cref="VerificationProblemKind.Unreadable"/> and the next one runs.
/// </summary>
internal sealed class LiteDbVerifier(LiteDbStorage store, VerificationInputs inputs)
{
    private static readonly (AggregateKind Kind, string Collection)[] Aggregates =
    [
        (AggregateKind.Donor, DonorDocuments.Collection),
        (AggregateKind.Sample, SampleDocuments.Collection),
        (AggregateKind.Case, CaseDocuments.Collection),
        (AggregateKind.Drive, DriveDocuments.Collection),
        (AggregateKind.Donation, CareDocuments.Collection),
        (AggregateKind.Volunteer, VolunteerDocuments.Collection),
        (AggregateKind.User, UserDocuments.Collection),
    ];

    private readonly VerificationFindings _findings = new();

    /// <summary>Each aggregate's records as decoded: key → (version, state name).</summary>
    private readonly Dictionary<AggregateKind, Dictionary<string, (int Version, string State)>> _records = [];

    /// <summary>The ids each collection's primary key lists, as text.</summary>
    private readonly Dictionary<string, HashSet<string>> _ids = new(StringComparer.Ordinal);

    private readonly List<Donor> _donors = [];

    /// <summary>
    /// The checks, in order. The documents are read first (the later checks use what they found).
    /// </summary>
    private IEnumerable<(string Name, Action Run)> Checks =>
    [
        ("documents", Documents),
        ("audit trails", AuditTrails),
        ("sequences", Sequences),
        ("key slots", KeySlots),
        ("indexes", Indexes),
        ("search rows", SearchRows),
        ("search index", SearchIndex),
    ];

    public VerificationReport Run()
    {
        store.Exclusive(() =>
        {
            foreach (var (name, run) in Checks)
            {
                try
                {
                    run();
                }
                catch (Exception e) when (store.Damage.IsFailure(e) || e is RegistryDamagedException)
                {
                    var named = e as RegistryDamagedException ?? store.Damage.Named(name, null, e);
                    Add(VerificationProblemKind.Unreadable, named.Collection ?? name, named.DocumentId, named.Expected, $"the {name} check stopped: {Found(e)}");
                }
            }
        });
        return _findings.Report();
    }

    private void Add(VerificationProblemKind kind, string collection, string? id, string expected, string found) => _findings.Add(kind, collection, id, expected, found);

    private static string Found(Exception e) => VerificationFindings.Found(e);

    /// <summary>Every document of every collection decodes and carries its seal.</summary>
    private void Documents()
    {
        var donors = (LiteDbDonorStore)store.Donors;
        ReadAggregates(AggregateKind.Donor, DonorDocuments.Collection, donors.All(), d =>
        {
            var donor = DonorDocuments.ToDonor(d);
            _donors.Add(donor);
            return donor;
        });
        var samples = (LiteDbSampleStore)store.Samples;
        ReadAggregates(AggregateKind.Sample, SampleDocuments.Collection, samples.All(), samples.Decode);
        var cases = (LiteDbCaseStore)store.Cases;
        ReadAggregates(AggregateKind.Case, CaseDocuments.Collection, cases.All(), cases.Decode);
        var drives = (LiteDbDriveStore)store.Drives;
        ReadAggregates(AggregateKind.Drive, DriveDocuments.Collection, drives.All(), drives.Decode);
        var donations = (LiteDbDonationStore)store.Donations;
        ReadAggregates(AggregateKind.Donation, CareDocuments.Collection, donations.All(CareDocuments.Collection), CareDocuments.ToRecord);
        var volunteers = (LiteDbVolunteerStore)store.Volunteers;
        ReadAggregates(AggregateKind.Volunteer, VolunteerDocuments.Collection, volunteers.All(), volunteers.Decode);
        var users = (LiteDbUserStore)store.Users;
        ReadAggregates(AggregateKind.User, UserDocuments.Collection, users.All(), users.Decode);

        ReadOthers(SampleDocuments.ShipmentCollection, samples.AllShipments, d => SampleDocuments.ToShipment(d));
        ReadOthers(DriveDocuments.LectureCollection, drives.AllLectures, d => DriveDocuments.ToLecture(d));
        ReadOthers(CareDocuments.RecognitionCollection, () => donations.All(CareDocuments.RecognitionCollection), d => CareDocuments.ToRecognition(d));
        ReadOthers(CareDocuments.PublicityCollection, () => donations.All(CareDocuments.PublicityCollection), d => Fields.Decode(d, CareDocuments.PublicityCollection, p => (Fields.Bool(p, "consent"), Fields.Arr(p, "history"))));
        var reports = (LiteDbReportData)store.Reports;
        ReadOthers(DailyCounts.Collection, () => reports.All(DailyCounts.Collection), d => Fields.Decode(d, DailyCounts.Collection, c => (Fields.Int(c, "day"), Fields.Str(c, "drive"), Fields.Str(c, "metric"), Fields.Int(c, "n"))));
        ReadOthers(DailyCounts.RecollectionCollection, () => reports.All(DailyCounts.RecollectionCollection), d => Fields.Decode(d, DailyCounts.RecollectionCollection, r => (Fields.Long(r, "donor"), Fields.Instant(r, "at"), Fields.Day(r, "firstSampledOn"))));
        var access = (LiteDbAccessLog)store.Access;
        ReadOthers(LiteDbAccessLog.Collection, access.All, LiteDbAccessLog.ToRecord);
        ReadOthers("search_log", () => reports.All("search_log"), d => Fields.Decode(d, "search_log", l => (Fields.Instant(l, "at"), Fields.Int(l, "candidates"), Fields.Int(l, "matches"))), sealedByLibrary: false);
    }

    private void ReadAggregates<T>(AggregateKind kind, string collection, IEnumerable<BsonDocument> documents, Func<BsonDocument, T> decode)
        where T : IAggregate
    {
        var records = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        _records[kind] = records;
        ReadOthers(collection, () => documents, d =>
        {
            var value = decode(d);
            records[value.Key] = (value.Version, value.StateName);
            return value;
        });
    }

    private void ReadOthers<T>(string collection, Func<IEnumerable<BsonDocument>> documents, Func<BsonDocument, T> decode, bool sealedByLibrary = true)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        _ids[collection] = ids;
        try
        {
            foreach (var document in documents())
            {
                _findings.Read++;
                var id = Seal.IdOf(document);
                if (id is not null)
                {
                    ids.Add(id);
                }

                if (sealedByLibrary && !Seal.IsSealed(document))
                {
                    Add(VerificationProblemKind.Unsealed, collection, id, "a document sealed by the library", "no seal");
                }

                try
                {
                    _ = decode(document);
                }
                catch (Exception e) when (e is RegistryDamagedException or DocumentDamage || store.Damage.IsFailure(e))
                {
                    var named = store.Damage.Named(collection, id, e);
                    Add(VerificationProblemKind.Undecodable, collection, id, named.Expected, Found(e));
                }
            }
        }
        catch (RegistryDamagedException e)
        {
            Add(VerificationProblemKind.Unreadable, collection, e.DocumentId, e.Expected, $"the collection could not be read to its end after {ids.Count} documents: {Found(e)}");
        }
    }

    /// <summary>Each record's state has its audit record: the latest names the record's version and state, no version is missing, and each record is sealed to the one before it (ADR 10), all in one pass over the audit log.</summary>
    private void AuditTrails()
    {
        var audit = (LiteDbAuditLog)store.Audit;
        var chains = new Audit.AuditChainCheck(inputs.Chain); // each trail's chain (ADR 10), checked in the same pass
        foreach (var (kind, _) in Aggregates)
        {
            var collection = audit.CollectionOf(kind);
            var trails = new Dictionary<string, (int Count, int Latest, string To)>(StringComparer.Ordinal);
            try
            {
                foreach (var document in audit.All(kind))
                {
                    _findings.Read++;
                    var subject = LiteDbAuditLog.SubjectOf(kind, document);
                    if (subject is null)
                    {
                        Add(VerificationProblemKind.Undecodable, collection, Seal.IdOf(document), "an audit record that names its record", "no readable subject");
                        continue;
                    }

                    try
                    {
                        var record = LiteDbAuditLog.Decode(kind, subject, document, collection);
                        chains.Next(record, LiteDbAuditLog.ChainOf(document));
                        var trail = trails.GetValueOrDefault(subject);
                        trails[subject] = record.Version > trail.Latest ? (trail.Count + 1, record.Version, record.To) : (trail.Count + 1, trail.Latest, trail.To);
                    }
                    catch (DocumentDamage e)
                    {
                        Add(VerificationProblemKind.Undecodable, collection, Seal.IdOf(document), e.Expected, Found(e));
                    }
                }
            }
            catch (RegistryDamagedException e)
            {
                Add(VerificationProblemKind.Unreadable, collection, e.DocumentId, e.Expected, $"the audit trail could not be read to its end: {Found(e)}");
            }

            if (_records.TryGetValue(kind, out var records))
            {
                _findings.CompareTrails(records, trails, collection, Aggregates.First(a => a.Kind == kind).Collection);
            }
        }

        _findings.AddChainBreaks(chains.Breaks, audit.CollectionOf);
    }

    /// <summary>Every number a sequence handed out names a stored record (records are never deleted).</summary>
    private void Sequences()
    {
        var header = store.Header() ?? throw new DocumentDamage("registry", "registry", "the registry header");
        CheckSequence(header, "nextDonor", DonorDocuments.Collection, n => new DonorId(n).Value.ToString(CultureInfo.InvariantCulture), n => new DonorId(n).ToString());
        CheckSequence(header, "nextCase", CaseDocuments.Collection, n => VerificationFindings.Numbered("CASE-", n), n => VerificationFindings.Numbered("CASE-", n));
        CheckSequence(header, "nextShipment", SampleDocuments.ShipmentCollection, n => VerificationFindings.Numbered("SHP-", n), n => VerificationFindings.Numbered("SHP-", n));
        CheckSequence(header, "nextLecture", DriveDocuments.LectureCollection, n => VerificationFindings.Numbered("LEC-", n), n => VerificationFindings.Numbered("LEC-", n));
        CheckSequence(header, "nextDonation", CareDocuments.Collection, n => VerificationFindings.Numbered("DON-", n), n => VerificationFindings.Numbered("DON-", n));
        CheckSequence(header, "nextRecognition", CareDocuments.RecognitionCollection, n => VerificationFindings.Numbered("REC-", n), n => VerificationFindings.Numbered("REC-", n));
        CheckSequence(header, "nextVolunteer", VolunteerDocuments.Collection, n => VerificationFindings.Numbered("VOL-", n), n => VerificationFindings.Numbered("VOL-", n));
    }

    private void CheckSequence(BsonDocument header, string field, string collection, Func<long, string> documentId, Func<long, string> shown)
    {
        var value = header[field];
        if (value.IsNull || !_ids.TryGetValue(collection, out var ids))
        {
            return;
        }

        if (!value.IsInt64 && !value.IsInt32)
        {
            Add(VerificationProblemKind.Undecodable, "registry", "registry", $"field '{field}' to hold a whole number", value.Type.ToString());
            return;
        }

        _findings.CompareSequence(collection, value.AsInt64, ids, documentId, shown, "document");
    }

    /// <summary>Each donor whose personal data is kept has a key slot that opens, and the sealed data opens with it.</summary>
    private void KeySlots()
    {
        var donors = (LiteDbDonorStore)store.Donors;
        foreach (var donor in _donors.Where(d => !d.PersonalDataErased && d.State != DonorState.Withdrawn))
        {
            var wrapped = store.Keys.Read(donor.Id.Value);
            if (wrapped is null)
            {
                Add(VerificationProblemKind.KeySlot, "key store", donor.Id.ToString(), "a key slot for a donor whose personal data is kept", "an empty slot");
                continue;
            }

            byte[]? dataKey = null;
            try
            {
                dataKey = store.Cipher.UnwrapDataKey(donor.Id, wrapped, store.Keys.Path);
                var sealedData = donors.SealedPersonalData(donor.Id);
                if (sealedData is null)
                {
                    Add(VerificationProblemKind.Undecodable, DonorDocuments.Collection, donor.Id.ToString(), "sealed personal data for a donor not erased", "none");
                    continue;
                }

                _ = Protection.PersonalDataCipher.Open(donor.Id, dataKey, sealedData, store.Path);
            }
            catch (RegistryDamagedException e)
            {
                Add(e.Collection == "key slots" ? VerificationProblemKind.KeySlot : VerificationProblemKind.Undecodable, e.Collection ?? "key store", donor.Id.ToString(), e.Expected, Found(e));
            }
            finally
            {
                if (dataKey is not null)
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(dataKey);
                }
            }
        }
    }

    /// <summary>Every index lists exactly the documents of its collection, and for a field with few values, each value's documents.</summary>
    private void Indexes()
    {
        var db = store.Database;
        var indexes = db.GetCollection("$indexes").FindAll().Select(i => (Collection: i["collection"].AsString, Name: i["name"].AsString)).Where(i => i.Name != "_id").ToList();
        foreach (var (collection, name) in indexes)
        {
            if (!_ids.TryGetValue(collection, out var ids))
            {
                continue;
            }

            _findings.Read++;
            var c = db.GetCollection(collection);
            try
            {
                var listed = new List<(string? Id, BsonValue Value)>();
                foreach (var d in c.Find(Query.GTE(name, BsonValue.MinValue)))
                {
                    listed.Add((Seal.IdOf(d), d[name]));
                }

                var listedIds = listed.Where(l => l.Id is not null).Select(l => l.Id!).ToHashSet(StringComparer.Ordinal);
                if (!listedIds.SetEquals(ids) || listed.Count != ids.Count)
                {
                    var missing = ids.Except(listedIds).Take(5).ToList();
                    var extra = listedIds.Except(ids).Take(5).ToList();
                    Add(VerificationProblemKind.IndexMismatch, collection, missing.Concat(extra).FirstOrDefault(), $"index '{name}' to list the collection's {ids.Count} documents once each",
                        $"{listed.Count} entries; not listed: [{string.Join(", ", missing)}]; listed but not in the collection: [{string.Join(", ", extra)}]");
                    continue;
                }

                var values = listed.GroupBy(l => l.Value).ToList();
                if (values.Count > 64)
                {
                    continue;
                }

                foreach (var group in values)
                {
                    var found = c.Find(Where.Eq(name, group.Key)).Select(d => Seal.IdOf(d)).ToHashSet(StringComparer.Ordinal);
                    if (!found.SetEquals(group.Select(g => g.Id)))
                    {
                        Add(VerificationProblemKind.IndexMismatch, collection, group.Select(g => g.Id).Except(found).FirstOrDefault() ?? found.Except(group.Select(g => g.Id)).FirstOrDefault(),
                            $"index '{name}' to find the {group.Count()} documents whose '{name}' is {group.Key}", $"{found.Count} documents");
                    }
                }
            }
            catch (Exception e) when (store.Damage.IsFailure(e))
            {
                Add(VerificationProblemKind.IndexMismatch, collection, null, $"index '{name}' that the engine can read", Found(e));
            }
        }
    }

    /// <summary>Each listed, typed donor has exactly the search row its record says (ADR 13, 16), and no other donor has one.</summary>
    private void SearchRows()
    {
        const string Collection = DonorSearchRows.Collection;
        var check = _findings.CheckSearchRows(Collection, _donors, DonorSearchRows.Has, id => _ids[DonorDocuments.Collection].Contains(id.ToString(CultureInfo.InvariantCulture)));
        foreach (var document in ((LiteDbDonorStore)store.Donors).AllSearchRows())
        {
            _findings.Read++;
            SearchRow row;
            try
            {
                row = DonorSearchRows.Decode(document);
            }
            catch (DocumentDamage e)
            {
                Add(VerificationProblemKind.Undecodable, Collection, Seal.IdOf(document), e.Expected, Found(e));
                continue;
            }

            check.Row(row.Id, donor => DonorSearchRows.Matches(document, donor));
        }

        check.Finish();
    }

    /// <summary>The in-memory search index (when built) agrees with the donor records (<see cref="VerificationFindings.CompareSearchIndex"/>).</summary>
    private void SearchIndex() => _findings.CompareSearchIndex(_donors, inputs.SearchIndex(), DonorSearchRows.SearchStates);
}
