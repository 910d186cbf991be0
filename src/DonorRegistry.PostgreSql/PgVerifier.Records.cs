using System.Globalization;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Verification;

namespace DonorRegistry.PostgreSql;

/// <summary>The checks of the audit trails, the sequences and the key slots (<see cref="PgVerifier"/>).</summary>
internal sealed partial class PgVerifier
{
    /// <summary>
    /// Each record's state has its audit record: the latest names the record's version and state, no version is
    /// missing, and each audit record is sealed to the one before it (ADR 10), all in one pass over the audit table.
    /// </summary>
    private void AuditTrails()
    {
        var chains = new AuditChainCheck(inputs.Chain); // each trail's chain, checked in the same pass
        var trails = _records.Keys.ToDictionary(k => k, _ => new Dictionary<string, (int Count, int Latest, string To)>(StringComparer.Ordinal));

        // Each trail's records together, oldest first: the order the chain check reads them in.
        Rows(AuditTable, "reading the audit records", "SELECT kind, subject, version, from_state, to_state, action, actor, reason, at, chain FROM audit ORDER BY kind, subject, version", r =>
        {
            var subject = r.GetString(1);
            if (!Enum.TryParse<AggregateKind>(r.GetString(0), out var kind) || !Enum.IsDefined(kind) || kind.ToString() != r.GetString(0))
            {
                Add(VerificationProblemKind.Undecodable, AuditTable, $"{r.GetString(0)} {subject} v{r.GetInt32(2)}", "an audit record of a kind of record the registry keeps", $"kind '{r.GetString(0)}'");
                return;
            }

            var record = new AuditRecord(kind, subject, r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), PgDatabase.Instant(r, 8));
            chains.Next(record, r.IsDBNull(9) ? null : (byte[])r[9]);
            if (!trails.TryGetValue(kind, out var ofKind))
            {
                trails[kind] = ofKind = new Dictionary<string, (int Count, int Latest, string To)>(StringComparer.Ordinal);
            }

            var trail = ofKind.GetValueOrDefault(subject);
            ofKind[subject] = record.Version > trail.Latest ? (trail.Count + 1, record.Version, record.To) : (trail.Count + 1, trail.Latest, trail.To);
        });

        foreach (var (kind, ofKind) in trails)
        {
            // A kind whose table could not be read has no records to hold its trails to.
            if (_records.TryGetValue(kind, out var records))
            {
                _findings.CompareTrails(records, ofKind, AuditOf(kind), TableOf(kind));
            }
        }

        _findings.AddChainBreaks(chains.Breaks, AuditOf);
    }

    /// <summary>The audit records of one kind, as the report names them.</summary>
    private static string AuditOf(AggregateKind kind) => $"{AuditTable} ({kind})";

    /// <summary>
    /// Every number a sequence handed out names a stored record (records are never deleted): a write that rolls back
    /// gives its numbers back (the sequences are rows counted up inside the write, ADR 18), so no number is skipped.
    /// </summary>
    /// <remarks>
    /// Not checked: the 'change' row numbers the change table, which the change feed prunes once read (ADR 21); and the
    /// identity columns of search_log, access_log and publicity_history are PostgreSQL's own sequences, which never give
    /// back a number a rolled-back write took, so a gap in them is no damage.
    /// </remarks>
    private void Sequences()
    {
        var next = new Dictionary<string, long>(StringComparer.Ordinal);
        Rows("sequences", "reading the sequences", "SELECT name, next FROM sequences", r => next[r.GetString(0)] = r.GetInt64(1));
        CheckSequence(next, "donor", Donors, n => new DonorId(n).ToString());
        CheckSequence(next, "case", "cases", n => VerificationFindings.Numbered("CASE-", n));
        CheckSequence(next, "shipment", "shipments", n => VerificationFindings.Numbered("SHP-", n));
        CheckSequence(next, "lecture", "lectures", n => VerificationFindings.Numbered("LEC-", n));
        CheckSequence(next, "donation", "donations", n => VerificationFindings.Numbered("DON-", n));
        CheckSequence(next, "recognition", "recognitions", n => VerificationFindings.Numbered("REC-", n));
        CheckSequence(next, "volunteer", "volunteers", n => VerificationFindings.Numbered("VOL-", n));
    }

    private void CheckSequence(Dictionary<string, long> next, string name, string table, Func<long, string> id)
    {
        // A sequence never used has no row yet; a table that could not be read is reported as such already.
        if (!next.TryGetValue(name, out var value) || !_ids.TryGetValue(table, out var ids))
        {
            return;
        }

        _findings.CompareSequence(table, value, ids, id, id, "row");
    }

    /// <summary>
    /// Each donor whose personal data is kept has a key that opens, and the sealed data opens with it. Keys on the server
    /// that share the records' login are read in the same snapshot (one join); a key-store file, or keys behind a login of
    /// their own, are read from there. With shared keys, a withdrawn donor's key must be gone too: the withdrawal
    /// destroys it in its own transaction (ADR 20).
    /// </summary>
    private void KeySlots()
    {
        var kept = _donors.Where(d => !d.PersonalDataErased && d.State != DonorState.Withdrawn).Select(d => d.Id.Value).ToHashSet();
        var withdrawn = _donors.Where(d => d.State == DonorState.Withdrawn).Select(d => d.Id.Value).ToHashSet();
        var shared = store.Keys is PgKeyStore { Shared: true } keys ? keys.Schema : null;
        var sql = shared is null
            ? "SELECT d.id, d.doc -> 'pd' ->> '$binary', NULL::bytea FROM donors d ORDER BY d.id"
            : $"SELECT d.id, d.doc -> 'pd' ->> '$binary', k.wrapped FROM donors d LEFT JOIN {shared}.donor_keys k ON k.donor = d.id ORDER BY d.id";
        Rows(Donors, "reading the sealed personal data and the keys", sql, r =>
        {
            var id = new DonorId(r.GetInt64(0));
            if (shared is not null && withdrawn.Contains(id.Value) && !r.IsDBNull(2))
            {
                Add(VerificationProblemKind.KeySlot, KeyStore, id.ToString(), "no key for a withdrawn donor (the withdrawal destroys it)", "the key is still there");
            }

            if (kept.Contains(id.Value))
            {
                var wrapped = shared is null ? store.Keys.Read(id.Value) : r.IsDBNull(2) ? null : (byte[])r[2];

                // Keys read outside the snapshot: another instance may have withdrawn the donor since it began, its ledger
                // entry committed before the records and its key destroyed after them (ADR 20). Not a missing key.
                if (wrapped is not null || shared is not null || !store.Keys.IsWithdrawn(id.Value))
                {
                    OpenPersonalData(id, wrapped, r.IsDBNull(1) ? null : r.GetString(1));
                }
            }
        });
    }

    private void OpenPersonalData(DonorId id, byte[]? wrapped, string? sealedData)
    {
        if (wrapped is null)
        {
            Add(VerificationProblemKind.KeySlot, KeyStore, id.ToString(), "a key slot for a donor whose personal data is kept", "an empty slot");
            return;
        }

        byte[]? dataKey = null;
        try
        {
            dataKey = store.Cipher.UnwrapDataKey(id, wrapped, store.Keys.Path);
            if (sealedData is null)
            {
                Add(VerificationProblemKind.Undecodable, Donors, id.ToString(), "sealed personal data for a donor not erased", "none");
                return;
            }

            _ = Protection.PersonalDataCipher.Open(id, dataKey, Convert.FromBase64String(sealedData), _db.Where);
        }
        catch (FormatException e)
        {
            Add(VerificationProblemKind.Undecodable, Donors, id.ToString(), "sealed personal data in base64", VerificationFindings.Found(e));
        }
        catch (RegistryDamagedException e)
        {
            Add(e.Collection == "key slots" ? VerificationProblemKind.KeySlot : VerificationProblemKind.Undecodable, e.Collection ?? KeyStore, id.ToString(), e.Expected, VerificationFindings.Found(e));
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
