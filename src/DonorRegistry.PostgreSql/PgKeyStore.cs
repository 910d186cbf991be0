using DonorRegistry.Protection;
using Npgsql;
using NpgsqlTypes;

namespace DonorRegistry.PostgreSql;

/// <summary>
/// The per-donor keys on the server (ADR 20): a schema of their own (<c>&lt;schema&gt;_keys</c>, or the first schema of
/// the keys connection string's <c>Search Path</c>) holding the key store's header (the registry id and the registry
/// key's check), one row per donor with the wrapped data key (<c>donor_keys</c>), and the withdrawal ledger
/// (<c>withdrawals</c>): donor numbers and instants, no personal data.
/// </summary>
/// <remarks>
/// <para><b>Shared</b> (no keys connection string, or one with the data's host, port, database and login): every key
/// statement runs on the write's own connection, in the same transaction as the records, so an enrolment's keys, a
/// withdrawal's ledger entry and its key's destruction commit with the records or not at all.</para>
/// <para><b>Separate</b> (another login, another database): the keys have a connection and a transaction of their own.
/// An enrolment's keys are written in the keys transaction and committed before the records, after checking that the
/// records' transaction is still alive, and so still holds the donor sequence's row lock: a write that failed leaves
/// only keys of numbers no committed donor has, which the next writer of those numbers writes over; a withdrawal's
/// ledger entry is committed before the records, its key deleted after them (and again at every open).</para>
/// </remarks>
internal sealed class PgKeyStore : IKeyStore
{
    private readonly PgDatabase _data;
    private readonly PgDatabase _keys;
    private readonly bool _shared;
    private readonly string _schema;
    private bool _keysWriteOpen;

    private PgKeyStore(PgDatabase data, PgDatabase? separate, string schema, string where)
    {
        _data = data;
        _keys = separate ?? data;
        _shared = separate is null;
        _schema = PgSchema.Quote(schema);
        Path = where;
    }

    public string Path { get; }

    public Guid RegistryId { get; private set; }

    public bool IsFile => false;

    public bool WritesBesideAWrite => false;

    /// <summary>True when the keys commit in the records' own transaction.</summary>
    public bool Shared => _shared;

    /// <summary>The keys schema's name, quoted for SQL.</summary>
    public string Schema => _schema;

    /// <summary>
    /// Connects to the keys (<paramref name="keysBuilder"/>, or the data's connection when null or the same login), applies
    /// the keys schema's migrations; the header is written (<see cref="WriteHeader"/>) or checked (<see cref="CheckHeader"/>) next.
    /// </summary>
    public static PgKeyStore Open(PgDatabase data, NpgsqlConnectionStringBuilder dataBuilder, NpgsqlConnectionStringBuilder? keysBuilder)
    {
        var dataSchema = PgSchema.SchemaOf(dataBuilder) ?? "public";
        var named = keysBuilder is null ? null : PgSchema.SchemaOf(keysBuilder);
        var schema = named is null || named == dataSchema ? dataSchema + "_keys" : named;
        var shared = keysBuilder is null || SameLogin(dataBuilder, keysBuilder);
        var where = Describe(shared ? dataBuilder : keysBuilder!, schema);
        PgDatabase? separate = null;
        NpgsqlDataSource? source = null;
        try
        {
            if (!shared)
            {
                // The keys' own pool; its search path is not relied on: every statement names the schema.
                source = NpgsqlDataSource.Create(keysBuilder!);
                separate = new PgDatabase(source, where);
            }

            PgSchema.Migrate(source ?? data.Source, schema, where, PgSchema.KeyMigrations);
            return new PgKeyStore(data, separate, schema, where);
        }
        catch
        {
            separate?.Dispose();
            throw;
        }
    }

    /// <summary>The keys schema's header, or null when it holds none.</summary>
    public (Guid RegistryId, string KeyId, byte[] KeyCheck)? Header() =>
        _keys.List("reading the key store's header", $"SELECT registry_id, key_id, key_check FROM {_schema}.key_store WHERE id = 1",
            r => ((Guid, string, byte[])?)(r.GetGuid(0), r.GetString(1), (byte[])r[2])).SingleOrDefault();

    /// <summary>Writes the header of a new registry's keys: inside the records' transaction when shared, committed on its own first otherwise.</summary>
    public void WriteHeader(Guid registryId, PersonalDataCipher cipher, DateTimeOffset now)
    {
        if (Header() is not null)
        {
            throw new RegistryPathException(Path, "already holds a key store, and Registry.Create never writes over one", "give the new registry another keys schema (the keys connection string's Search Path), or drop this one if it belongs to no registry");
        }

        _keys.Execute("writing the key store's header", $"INSERT INTO {_schema}.key_store (id, registry_id, key_id, key_check, created_at) VALUES (1, $1, $2, $3, $4)",
            registryId, cipher.KeyId, cipher.KeyCheck.ToArray(), PgDatabase.Instant(now));
        RegistryId = registryId;
    }

    /// <summary>Checks an existing registry's keys: a header, under this registry key, of this registry.</summary>
    public void CheckHeader(Guid registryId, PersonalDataCipher cipher)
    {
        const string Restore = "give the keys connection string (and Search Path) the registry was created with, or restore the keys schema from its newest backup";
        var header = Header() ?? throw new KeyStoreMismatchException(Path, "the keys schema holds no key store (the per-donor keys of this registry are missing)", Restore);
        if (!header.KeyCheck.AsSpan().SequenceEqual(cipher.KeyCheck))
        {
            throw new RegistryKeyMismatchException(Path, header.KeyId, cipher.KeyId);
        }

        if (header.RegistryId != registryId)
        {
            throw new KeyStoreMismatchException(Path, $"the keys belong to registry {header.RegistryId:N}, but the database is registry {registryId:N} (the keys schema of another registry with the same registry key)", Restore);
        }

        RegistryId = registryId;
    }

    public IReadOnlyList<Withdrawal> Withdrawals() =>
        _keys.List("reading the withdrawal ledger", $"SELECT donor, at FROM {_schema}.withdrawals ORDER BY seq",
            r => new Withdrawal(r.GetInt64(0), PgDatabase.Instant(r, 1)));

    public bool IsWithdrawn(long donorId) =>
        _keys.Scalar<bool>("reading the withdrawal ledger", $"SELECT EXISTS (SELECT 1 FROM {_schema}.withdrawals WHERE donor = $1)", donorId);

    /// <summary>How many keys the keys schema holds.</summary>
    public long Count() => _keys.Scalar<long>("counting the keys", $"SELECT count(*) FROM {_schema}.donor_keys");

    public void WriteRange(long firstSlot, IReadOnlyList<byte[]> wrappedKeys)
    {
        if (wrappedKeys.Count == 0)
        {
            return;
        }

        if (!_shared && !_keysWriteOpen)
        {
            _keys.Begin();
            _keysWriteOpen = true;
        }

        if (_shared && _data.InWrite)
        {
            // Queued with the write's other copies (PgDatabase.CopyLater): an enrolment's keys are one COPY, sent after its
            // donors' streamed COPY, in the same transaction. The numbers came from the sequence in this very write, so
            // no row can be there.
            var keys = wrappedKeys.ToArray();
            _data.CopyLater($"storing the keys of donors {firstSlot} to {firstSlot + keys.Length - 1}", $"COPY {_schema}.donor_keys (donor, wrapped) FROM STDIN (FORMAT BINARY)", copy =>
            {
                for (var i = 0; i < keys.Length; i++)
                {
                    copy.StartRow();
                    copy.Write(firstSlot + i, NpgsqlDbType.Bigint);
                    copy.Write(keys[i], NpgsqlDbType.Bytea);
                }
            });
            return;
        }

        var ids = new long[wrappedKeys.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = firstSlot + i;
        }

        // Shared: the numbers came from the sequence in this very transaction, so no row can be there. Separate: a row
        // there is a key a failed write left behind (its records never committed), written over.
        var conflict = _shared ? "" : " ON CONFLICT (donor) DO UPDATE SET wrapped = excluded.wrapped";
        _keys.Execute($"storing the keys of donors {firstSlot} to {firstSlot + ids.Length - 1}",
            $"INSERT INTO {_schema}.donor_keys (donor, wrapped) SELECT * FROM unnest($1, $2){conflict}",
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = ids },
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, Value = wrappedKeys.ToArray() });
    }

    public byte[]? Read(long slot) =>
        _keys.Scalar<byte[]>($"reading the key of donor {slot}", $"SELECT wrapped FROM {_schema}.donor_keys WHERE donor = $1", slot);

    public void RecordWithdrawal(long donorId, DateTimeOffset at)
    {
        // Shared: the entry and the key's destruction commit with the withdrawal itself. Separate: the entry is committed
        // now, before the withdrawal (a withdrawal that then fails to commit is completed at the next open, ADR 12).
        _keys.Execute("recording a withdrawal in the ledger", $"INSERT INTO {_schema}.withdrawals (donor, at) VALUES ($1, $2) ON CONFLICT (donor) DO NOTHING", donorId, PgDatabase.Instant(at));
        if (_shared)
        {
            Destroy(donorId);
        }
    }

    public void Destroy(long slot) =>
        _keys.Execute($"destroying the key of donor {slot}", $"DELETE FROM {_schema}.donor_keys WHERE donor = $1", slot);

    public void DestroyKeysOfWithdrawn(IEnumerable<long> withdrawnInDatabase) =>
        _keys.Execute("destroying the keys of withdrawn donors",
            $"DELETE FROM {_schema}.donor_keys WHERE donor IN (SELECT donor FROM {_schema}.withdrawals) OR donor = ANY($1)",
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = withdrawnInDatabase.ToArray() });

    public void Flush()
    {
        if (!_keysWriteOpen)
        {
            return;
        }

        // The records' transaction still holds the donor sequence's row lock (it answers on its connection), so no other
        // writer has these numbers: keys written after this commit can only be written over by a later writer of them.
        _data.Execute("checking the write's connection before committing its keys", "SELECT 1");
        _keysWriteOpen = false;
        try
        {
            _keys.Commit();
        }
        finally
        {
            _keys.End(rollBack: false);
        }
    }

    /// <summary>The records' write failed: an uncommitted keys transaction is rolled back.</summary>
    public void Abandon()
    {
        if (_keysWriteOpen)
        {
            _keysWriteOpen = false;
            _keys.End(rollBack: true);
        }
    }

    public void Dispose()
    {
        Abandon();
        if (!_shared)
        {
            _keys.Dispose();
        }
    }

    private static bool SameLogin(NpgsqlConnectionStringBuilder a, NpgsqlConnectionStringBuilder b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port
        && string.Equals(a.Database, b.Database, StringComparison.Ordinal) && string.Equals(a.Username, b.Username, StringComparison.Ordinal);

    private static string Describe(NpgsqlConnectionStringBuilder builder, string schema) =>
        $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}?schema={schema}";
}
