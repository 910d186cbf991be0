using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Protection;
using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// Copies a branch's LiteDB registry into a registry on PostgreSQL (ADR 22): records in key order, a batch per
/// transaction, each batch with its checkpoint row in the same transaction, so an import killed at any point and run
/// again goes on after the last committed batch and copies nothing twice. Personal data keeps its sealed bytes (they
/// are bound to the donor number, which is kept) while each donor's data key is unwrapped under the branch key and
/// wrapped again under the target's; the coarse identities are computed again under the target key; every audit trail
/// is checked under the branch key and sealed again under the target's.
/// </summary>
internal sealed partial class PgImport(Registry source, Registry target, RegistryKey branchKey, RegistryKey targetKey, NationalIdFormat format, IProgress<ImportProgress>? progress)
{
    private const int DonorBatch = 500;
    private const int RecordBatch = 1000;
    private const int AuditBatch = 5000;

    private static readonly AggregateKind[] AuditKinds = [AggregateKind.Donor, AggregateKind.Sample, AggregateKind.Case, AggregateKind.Drive, AggregateKind.Donation, AggregateKind.Volunteer, AggregateKind.User];

    private readonly LiteDbStorage _from = source.Store;
    private readonly PgStorage _to = (PgStorage)target.Storage;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private Guid _source;

    private PgDatabase Db => _to.Database;

    public ImportResult Run()
    {
        _source = _from.Keys.RegistryId;
        var resumed = Db.Scalar<long>("reading the import's checkpoints", "SELECT count(*) FROM import_checkpoint WHERE source = $1", _source) > 0;
        if (!resumed && Db.Scalar<long>("counting the target's donors", "SELECT count(*) FROM donors") > 0)
        {
            throw new RegistryValidationException("target", _to.Path, "already holds donors that this import did not copy",
                "import a branch into a new registry (schema); merging several branches, which needs their donors numbered again, is not built (ADR 22)");
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        counts["drives"] = Copy("drives", DocumentCodec.Drive, r => _to.Drives.Insert(r));
        counts["lectures"] = Copy("lectures", DocumentCodec.Lecture, r => _to.Drives.InsertLecture(r));
        counts["donors"] = CopyDonors();
        counts["samples"] = Copy("samples", DocumentCodec.Sample, r => _to.Samples.Insert(r));
        counts["shipments"] = Copy("shipments", DocumentCodec.Shipment, r => _to.Samples.InsertShipment(r));
        counts["cases"] = Copy("cases", DocumentCodec.Case, r => _to.Cases.Insert(r));
        counts["donations"] = Copy("donations", DocumentCodec.Donation, r => _to.Donations.Insert(r));
        counts["recognitions"] = Copy("recognitions", DocumentCodec.Recognition, r => _to.Donations.InsertRecognition(r));
        counts["volunteers"] = Copy("volunteers", DocumentCodec.Volunteer, r => _to.Volunteers.Insert(r));
        counts["users"] = Copy("users", DocumentCodec.User, r => _to.Users.Insert(r));
        CopyCareAndLogs(counts);
        foreach (var kind in AuditKinds)
        {
            counts[$"audit {kind}"] = CopyAudit(kind);
        }

        CopySequences();
        return new ImportResult(counts, resumed, _watch.Elapsed);
    }

    /// <summary>Records of one kind, a batch per transaction with its checkpoint.</summary>
    private long Copy<T>(string step, DocumentCodec.Kind<T> kind, Action<T> insert)
    {
        var (last, copied, done) = Checkpoint(step, "");
        var total = LiteDbExport.Count(_from, kind.Collection);
        while (!done)
        {
            var batch = LiteDbExport.Records(_from, kind, last, RecordBatch);
            done = batch.Count < RecordBatch;
            var next = batch.Count > 0 ? batch[^1].Id : last;
            _to.Write(() =>
            {
                foreach (var (_, record) in batch)
                {
                    insert(record);
                }

                return Save(step, next, copied + batch.Count, done);
            });
            last = next;
            copied += batch.Count;
            Report(step, copied, total);
        }

        return copied;
    }

    private long CopyDonors()
    {
        const string Step = "donors";
        var (lastText, copied, done) = Checkpoint(Step, "0");
        var last = long.Parse(lastText, System.Globalization.CultureInfo.InvariantCulture);
        var total = LiteDbExport.Count(_from, DocumentCodec.DonorCollection);
        var withdrawals = _from.Keys.Withdrawals().ToDictionary(w => w.DonorId, w => w.At);
        while (!done)
        {
            var batch = LiteDbExport.Donors(_from, last, DonorBatch);
            done = batch.Count < DonorBatch;
            var next = batch.Count > 0 ? batch[^1].Donor.Id.Value : last;
            _to.Write(() =>
            {
                var donors = new List<NewDonor>(batch.Count);
                var keys = new List<(long Id, byte[] Wrapped)>(batch.Count);
                foreach (var stored in batch)
                {
                    var id = stored.Donor.Id;
                    // A withdrawn donor keeps the identity no number has (no lookup asks for it, so no fingerprint).
                    var identity = new NationalIdentity(stored.Identity, 0);
                    if (stored.SealedPersonalData is { } sealedData && _from.Keys.Read(id.Value) is { } wrapped)
                    {
                        var dataKey = _from.Cipher.UnwrapDataKey(id, wrapped, _from.Keys.Path);
                        try
                        {
                            var personal = PersonalDataCipher.Open(id, dataKey, sealedData, _from.Path);
                            var normalised = NationalIdNumber.Normalise(personal.NationalId);
                            identity = NationalIdNumber.IdentityOf(normalised, _to.Cipher.HashNationalId(normalised), format);
                            keys.Add((id.Value, _to.Cipher.WrapDataKey(id, dataKey)));
                        }
                        finally
                        {
                            CryptographicOperations.ZeroMemory(dataKey);
                        }
                    }

                    if (stored.Donor.State == DonorState.Withdrawn || withdrawals.ContainsKey(id.Value))
                    {
                        _to.Keys.RecordWithdrawal(id.Value, withdrawals.TryGetValue(id.Value, out var at) ? at : target.TimeProvider.GetUtcNow());
                    }

                    // A withdrawn donor has no sealed data; the row stores none (the engine's insert takes the bytes as they are).
                    donors.Add(new NewDonor(stored.Donor, identity, stored.SealedPersonalData!, stored.IdentityProof));
                }

                _to.Donors.InsertEnrolled(donors); // with the search rows of the listed, typed donors
                WriteKeys(keys);

                _to.Keys.Flush();
                return Save(Step, next.ToString(System.Globalization.CultureInfo.InvariantCulture), copied + batch.Count, done);
            });
            last = next;
            copied += batch.Count;
            Report(Step, copied, total);
        }

        return copied;
    }

    /// <summary>The re-wrapped keys of a batch, one statement per run of consecutive donor numbers (withdrawn donors leave gaps).</summary>
    private void WriteKeys(List<(long Id, byte[] Wrapped)> keys)
    {
        var start = 0;
        for (var i = 1; i <= keys.Count; i++)
        {
            if (i == keys.Count || keys[i].Id != keys[i - 1].Id + 1)
            {
                _to.Keys.WriteRange(keys[start].Id, keys.GetRange(start, i - start).Select(k => k.Wrapped).ToList());
                start = i;
            }
        }
    }

    /// <summary>One kind's audit records, each trail checked under the branch key and sealed again under the target's.</summary>
    private long CopyAudit(AggregateKind kind)
    {
        var step = $"audit {kind}";
        var (_, copied, done) = Checkpoint(step, "");
        if (done)
        {
            return copied;
        }

        var branchChain = new AuditChain(branchKey);
        var targetChain = new AuditChain(targetKey);
        byte[] previousSource = [];
        byte[] previousTarget = [];
        var batch = new List<SealedAuditRecord>(AuditBatch);
        var seen = 0L;
        foreach (var (record, seal) in _from.Audit.Scan(kind))
        {
            if (seen++ < copied)
            {
                previousSource = seal ?? [];
                continue;
            }

            if (record.Version == 1)
            {
                previousSource = [];
                previousTarget = [];
            }
            else if (batch.Count == 0)
            {
                // The first record after a checkpoint: its trail's previous seals are the stored ones.
                previousSource = _from.Audit.SealOf(kind, record.Id, record.Version - 1) ?? [];
                previousTarget = _to.Audit.SealOf(kind, record.Id, record.Version - 1) ?? [];
            }

            if (seal is null || !branchChain.Holds(previousSource, record, seal))
            {
                throw new RegistryDamagedException(_from.Path, $"{kind} audit", $"{record.Id} v{record.Version}", "an audit record sealed to the one before it under the branch key (run Registry.Verify on the branch)");
            }

            previousSource = seal;
            previousTarget = targetChain.Seal(previousTarget, record);
            batch.Add(new SealedAuditRecord(record, previousTarget));
            if (batch.Count == AuditBatch)
            {
                copied = Flush(step, batch, copied, finished: false);
            }
        }

        return Flush(step, batch, copied, finished: true);

        long Flush(string name, List<SealedAuditRecord> records, long before, bool finished)
        {
            var items = records.ToList();
            _to.Write(() =>
            {
                if (items.Count > 0)
                {
                    _to.Audit.AppendMany(items);
                }

                return Save(name, "", before + items.Count, finished);
            });
            Report(name, before + items.Count, null);
            records.Clear();
            return before + items.Count;
        }
    }

    /// <summary>The target's sequences hand out numbers after the branch's (a number a branch used is never used again).</summary>
    private void CopySequences() => _to.Write(() =>
    {
        foreach (var (name, next) in LiteDbExport.Sequences(_from))
        {
            Db.Execute($"moving the {name} sequence past the branch's numbers",
                "INSERT INTO sequences (name, next) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET next = greatest(sequences.next, excluded.next)", name, next);
        }

        return 0;
    });

    private (string Last, long Copied, bool Done) Checkpoint(string step, string start) =>
        Db.List("reading the import's checkpoint", "SELECT last, copied, done FROM import_checkpoint WHERE source = $1 AND step = $2",
            r => (r.GetString(0), r.GetInt64(1), r.GetBoolean(2)), _source, step).SingleOrDefault((start, 0L, false));

    private int Save(string step, string last, long copied, bool done) =>
        Db.Execute("storing the import's checkpoint",
            "INSERT INTO import_checkpoint (source, step, last, copied, done) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source, step) DO UPDATE SET last = excluded.last, copied = excluded.copied, done = excluded.done, at = now()",
            _source, step, last, copied, done);

    private void Report(string step, long copied, long? total) =>
        progress?.Report(new ImportProgress(step, copied, total, _watch.Elapsed));

    /// <summary>
    /// Compares a branch with its copy: the number of records of each kind, and for each audit trail a checksum of its
    /// records' content (kind, id, version, states, action, actor, reason, instant to the millisecond; not the seals,
    /// which are under different keys), and that every copied trail holds under the target key.
    /// </summary>
    public static ImportVerification Verify(Registry source, Registry target, RegistryKey targetKey)
    {
        var from = source.Store;
        var to = (PgStorage)target.Storage;
        var lines = new List<ImportCheck>();
        foreach (var (name, collection, table) in new[]
                 {
                     ("donors", DocumentCodec.DonorCollection, "donors"), ("drives", DocumentCodec.Drive.Collection, "drives"), ("lectures", DocumentCodec.Lecture.Collection, "lectures"),
                     ("samples", DocumentCodec.Sample.Collection, "samples"), ("shipments", DocumentCodec.Shipment.Collection, "shipments"), ("cases", DocumentCodec.Case.Collection, "cases"),
                     ("donations", DocumentCodec.Donation.Collection, "donations"), ("recognitions", DocumentCodec.Recognition.Collection, "recognitions"),
                     ("volunteers", DocumentCodec.Volunteer.Collection, "volunteers"), ("users", DocumentCodec.User.Collection, "users"),
                 })
        {
            var expected = LiteDbExport.Count(from, collection);
            var actual = to.Database.Scalar<long>($"counting {table}", $"SELECT count(*) FROM {table}");
            lines.Add(new ImportCheck(name, expected, actual, expected == actual ? null : $"{expected} in the branch, {actual} in the target"));
        }

        var chain = new AuditChain(targetKey);
        foreach (var kind in AuditKinds)
        {
            var expected = Checksums(from.Audit.Scan(kind), null, out _);
            var actual = Checksums(to.Audit.Scan(kind), chain, out var broken);
            var differ = expected.Keys.Union(actual.Keys).Count(id => !expected.TryGetValue(id, out var e) || !actual.TryGetValue(id, out var a) || e != a);
            var problem = differ == 0 && broken == 0 ? null : $"{differ} trails differ, {broken} do not hold under the target key";
            lines.Add(new ImportCheck($"audit trails {kind}", expected.Count, actual.Count, problem, Digest(expected), Digest(actual)));
        }

        lines.AddRange(VerifyCareAndLogs(from, to));
        return new ImportVerification(lines);
    }

    private static Dictionary<string, string> Checksums(IEnumerable<SealedAuditRecord> records, AuditChain? chain, out int broken)
    {
        broken = 0;
        var sums = new Dictionary<string, IncrementalHash>(StringComparer.Ordinal);
        var previous = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var brokenIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (record, seal) in records)
        {
            if (!sums.TryGetValue(record.Id, out var hash))
            {
                sums[record.Id] = hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                previous[record.Id] = [];
            }

            hash.AppendData(Encoding.UTF8.GetBytes($"{record.Kind}\u001f{record.Id}\u001f{record.Version}\u001f{record.From}\u001f{record.To}\u001f{record.Action}\u001f{record.Actor}\u001f{record.Reason ?? "\u0000"}\u001f{record.At.ToUnixTimeMilliseconds()}\u001e"));
            if (chain is not null)
            {
                if (seal is null || !chain.Holds(previous[record.Id], record, seal))
                {
                    brokenIds.Add(record.Id);
                }

                previous[record.Id] = seal ?? [];
            }
        }

        broken = brokenIds.Count;
        return sums.ToDictionary(p => p.Key, p => Convert.ToHexString(p.Value.GetHashAndReset()), StringComparer.Ordinal);
    }

    /// <summary>One checksum over every trail's (in id order): equal on both sides when every trail is.</summary>
    private static string Digest(Dictionary<string, string> sums)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (id, sum) in sums.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{id}={sum};"));
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }
}
