using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Storage;
using Npgsql;
using NpgsqlTypes;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// Audit records in one table keyed by kind, record and version: the key refuses a second record for a version, and a
/// record's history is one range read on it. Each row keeps its link in the record's audit chain (ADR 10).
/// </summary>
internal sealed class PgAuditLog(PgDatabase db) : IAuditLog
{
    private const string Columns = "kind, subject, version, from_state, to_state, action, actor, reason, at, chain";

    // Deferred (PgDatabase.Later): sent with the write's other statements in one batch before its next read or its commit.
    public void Append(AuditRecord record, byte[] seal) =>
        db.Later($"storing the audit record of {record.Kind} {record.Id} v{record.Version}", $"INSERT INTO audit ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            [record.Kind.ToString(), record.Id, record.Version, record.From, record.To, record.Action, record.Actor, record.Reason, PgDatabase.Instant(record.At), seal],
            duplicate: _ => new ConcurrentUpdateException(record.Kind, record.Id, record.Version - 1, record.Version)); // another writer stored this version of the record first

    public PreparedRecords PrepareMany(IReadOnlyList<SealedAuditRecord> records) => new Prepared<IReadOnlyList<SealedAuditRecord>>(records);

    public void AppendMany(PreparedRecords records) => CopyRecords(Prepared<IReadOnlyList<SealedAuditRecord>>.Of(records));

    // Sent now (PgDatabase.CopyNow): an enrolment sends its batch's records first, and the server stores them while the
    // donors are sealed; records appended next to these join the same COPY.
    private void CopyRecords(IReadOnlyList<SealedAuditRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        db.CopyNow("storing audit records", $"COPY audit ({Columns}) FROM STDIN (FORMAT BINARY)", copy =>
        {
            foreach (var (r, seal) in records)
            {
                copy.StartRow();
                copy.Write(r.Kind.ToString(), NpgsqlDbType.Text);
                copy.Write(r.Id, NpgsqlDbType.Text);
                copy.Write(r.Version, NpgsqlDbType.Integer);
                copy.Write(r.From, NpgsqlDbType.Text);
                copy.Write(r.To, NpgsqlDbType.Text);
                copy.Write(r.Action, NpgsqlDbType.Text);
                copy.Write(r.Actor, NpgsqlDbType.Text);
                if (r.Reason is null)
                {
                    copy.WriteNull();
                }
                else
                {
                    copy.Write(r.Reason, NpgsqlDbType.Text);
                }

                copy.Write(PgDatabase.Instant(r.At), NpgsqlDbType.TimestampTz);
                if (seal is null)
                {
                    copy.WriteNull();
                }
                else
                {
                    copy.Write(seal, NpgsqlDbType.Bytea);
                }
            }
        });
    }

    public byte[]? SealOf(AggregateKind kind, string id, int version) =>
        db.List($"reading the audit record of {kind} {id} v{version}", "SELECT chain FROM audit WHERE kind = $1 AND subject = $2 AND version = $3",
            r => r.IsDBNull(0) ? null : (byte[])r[0], kind.ToString(), Subject(kind, id), version).SingleOrDefault();

    public IReadOnlyList<AuditRecord> History(AggregateKind kind, string id) =>
        db.List($"reading the history of {kind} {id}", $"SELECT {Columns} FROM audit WHERE kind = $1 AND subject = $2 ORDER BY version",
            r => Read(kind, r), kind.ToString(), Subject(kind, id));

    // Donor ids sort by number (a longer id is a larger number); every other kind by its code.
    public IEnumerable<SealedAuditRecord> Scan(AggregateKind kind) =>
        db.Stream($"reading the audit records of every {kind}", $"SELECT {Columns} FROM audit WHERE kind = $1 ORDER BY length(subject), subject, version",
            r => new SealedAuditRecord(Read(kind, r), r.IsDBNull(9) ? null : (byte[])r[9]), kind.ToString());

    private static string Subject(AggregateKind kind, string id) =>
        kind == AggregateKind.Donor && DonorId.TryParse(id, out var donor) ? donor.ToString() : id;

    private static AuditRecord Read(AggregateKind kind, NpgsqlDataReader r) =>
        new(kind, r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), PgDatabase.Instant(r, 8));
}
