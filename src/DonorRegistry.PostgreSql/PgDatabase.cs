using Npgsql;
using NpgsqlTypes;

namespace DonorRegistry.PostgreSql;

// Over 400 lines on purpose: the open write's state (its connection, transaction, deferred statements, queued and
// streamed COPYs) and the one place the driver's failures are mapped belong together; split, each part would reach
// into the others' fields.
/// <summary>
/// The engine's connection to the server: the pooled data source, the one write transaction that may be open, and the
/// boundary where the driver's failures become the library's exceptions. A command runs on the open write's connection
/// when it comes from the writing thread (so a write reads its own changes), and on a pooled connection otherwise (a
/// reader never waits for a writer and never sees its uncommitted changes), as LiteDB's per-thread transactions do.
/// </summary>
internal sealed class PgDatabase(NpgsqlDataSource source, string where) : IDisposable
{
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private int _writer;
    private List<(DonorRegistry.AggregateKind Kind, string Id)> _changed = [];
    private readonly List<QueuedCopy> _queued = [];
    private readonly List<Deferred> _deferred = [];
    private OpenCopy? _open;

    /// <summary>The pooled data source (the keys share it when they use the same login, ADR 20).</summary>
    public NpgsqlDataSource Source => source;

    /// <summary>How the registry names the server (no password).</summary>
    public string Where => where;

    /// <summary>True on the thread that runs the open write.</summary>
    public bool InWrite => _transaction is not null && Volatile.Read(ref _writer) == Environment.CurrentManagedThreadId;

    /// <summary>Begins the write transaction on this thread (read committed: every change is checked by version or by a constraint, ADR 18).</summary>
    public void Begin()
    {
        if (_transaction is not null)
        {
            throw new InvalidOperationException("A registry transaction is already open; registry writes do not nest (an internal error).");
        }

        var connection = Guarded("opening a connection", source.OpenConnection);
        try
        {
            _transaction = Guarded("beginning a transaction", () => connection.BeginTransaction(System.Data.IsolationLevel.ReadCommitted));
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        _changed = [];
        _queued.Clear();
        _deferred.Clear();
        _open = null;
        DonorSequenceLocked = false;
        Volatile.Write(ref _writer, Environment.CurrentManagedThreadId);
    }

    /// <summary>True once the open write holds the row lock of the donor sequence (it took donor numbers, or the duplicate-person check locked it).</summary>
    public bool DonorSequenceLocked { get; set; }

    /// <summary>Notes a record the open write stores, for the change table other instances follow (ADR 21).</summary>
    public void Changed(DonorRegistry.AggregateKind kind, string id)
    {
        if (InWrite)
        {
            _changed.Add((kind, id));
        }
    }

    /// <summary>The records the open write stored so far, and forgets them.</summary>
    public List<(DonorRegistry.AggregateKind Kind, string Id)> TakeChanged()
    {
        var changed = _changed;
        _changed = [];
        return changed;
    }

    /// <summary>Commits the write transaction (the queued copies first).</summary>
    public void Commit()
    {
        CopyQueued();
        Guarded("committing a write (if the server went away during the commit, whether it was stored is not known)", () => _transaction!.Commit());
    }

    /// <summary>Rolls the write transaction back (the server rolls back a transaction whose connection broke), and ends it.</summary>
    public void End(bool rollBack)
    {
        var transaction = _transaction;
        var connection = _connection;
        var open = _open;
        _open = null;
        _queued.Clear();
        _deferred.Clear();
        _transaction = null;
        _connection = null;
        Volatile.Write(ref _writer, 0);
        try
        {
            Abandon(open); // a COPY left open (the write failed while it was streaming) is cancelled first
            if (rollBack && transaction is not null && connection?.FullState == System.Data.ConnectionState.Open)
            {
                transaction.Rollback();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            // The failure that stopped the write is the one to report; the server rolls back a broken connection's transaction.
        }
        finally
        {
            transaction?.Dispose();
            connection?.Dispose();
        }
    }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    public int Execute(string what, string sql, params object?[] values) =>
        Run(what, sql, values, command => command.ExecuteNonQuery());

    /// <summary>The first column of the first row, or default when there is none.</summary>
    public T? Scalar<T>(string what, string sql, params object?[] values) =>
        Run(what, sql, values, command => command.ExecuteScalar() is { } value and not DBNull ? (T)value : default);

    /// <summary>Every row, read whole before returning (a write's connection runs one command at a time).</summary>
    public List<T> List<T>(string what, string sql, Func<NpgsqlDataReader, T> row, params object?[] values) =>
        Run(what, sql, values, command => Read(command, row));

    private static List<T> Read<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> row)
    {
        var rows = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(row(reader));
        }

        return rows;
    }

    /// <summary>
    /// Rows one at a time on a connection of their own (a scan of millions); on the writing thread, read whole first.
    /// A failure met while reading is the library's exception too.
    /// </summary>
    public IEnumerable<T> Stream<T>(string what, string sql, Func<NpgsqlDataReader, T> row, params object?[] values)
    {
        if (InWrite)
        {
            foreach (var item in List(what, sql, row, values))
            {
                yield return item;
            }

            yield break;
        }

        using var connection = Guarded("opening a connection", source.OpenConnection);
        using var command = Command(connection, null, sql, values);
        using var reader = Guarded(what, () => command.ExecuteReader());
        while (true)
        {
            T item;
            if (!Guarded(what, reader.Read))
            {
                yield break;
            }

            item = row(reader);
            yield return item;
        }
    }

    /// <summary>A binary COPY into a table inside the open write (bulk inserts: enrolment, its audit records).</summary>
    public void Copy(string what, string copy, Action<NpgsqlBinaryImporter> write)
    {
        CopyQueued();
        Guarded(what, () =>
        {
            using var importer = _connection!.BeginBinaryImport(copy);
            write(importer);
            importer.Complete();
        });
    }

    /// <summary>
    /// Rows of a binary COPY into a table inside the open write, sent now: into the COPY this write has open for the same
    /// statement, or a new one (the write's deferred statements are sent first). The COPY stays open for the rows of the
    /// next call (unless a statement was deferred meanwhile), so the server stores each part while the caller makes the
    /// next (an enrolment's chunks: one COPY, streamed); it is completed before the write's next command, deferred statements, queued copies or commit
    /// (<see cref="SendDeferred"/>), so the write still reads its own changes, and a constraint it breaks is reported then
    /// at the latest. The queued copies (<see cref="CopyLater"/>) go after it.
    /// </summary>
    public void CopyNow(string what, string copy, Action<NpgsqlBinaryImporter> write)
    {
        if (!InWrite)
        {
            throw new InvalidOperationException("A copy is streamed inside a write (an internal error).");
        }

        // Another statement's COPY, or statements deferred since these rows' COPY began (they go before the new rows):
        // complete it (SendDeferred does, then sends them) and begin again.
        if (_open is { } other && (other.Copy != copy || _deferred.Count > 0))
        {
            SendDeferred();
        }

        if (_open is null)
        {
            SendDeferred();
            _open = new OpenCopy(what, copy, Guarded(what, () => _connection!.BeginBinaryImport(copy)));
        }

        var open = _open;
        try
        {
            Guarded(what, () => write(open.Importer));
        }
        catch
        {
            _open = null;
            Abandon(open);
            throw;
        }
    }

    /// <summary>Completes the COPY <see cref="CopyNow"/> left open, if any: the server has stored its rows, or refused them (a constraint) here.</summary>
    private void EndCopy()
    {
        if (_open is not { } open)
        {
            return;
        }

        _open = null;
        try
        {
            Guarded(open.What, () => open.Importer.Complete());
        }
        finally
        {
            Abandon(open);
        }
    }

    /// <summary>Ends a COPY: one not completed is cancelled (the write rolls back); a failure to do so leaves it to the rollback.</summary>
    private static void Abandon(OpenCopy? open)
    {
        try
        {
            open?.Importer.Dispose();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            // The failure that stopped the write is the one to report; the server rolls back the transaction.
        }
    }

    /// <summary>
    /// A binary COPY into a table inside the open write, sent later: with the rows queued for the same COPY since (one
    /// round trip for an enrolment's chunks), before the write's next command or its commit, so the write still reads
    /// its own changes. Copies of different tables are sent in the order each was first queued, after the COPY
    /// <see cref="CopyNow"/> has open.
    /// </summary>
    public void CopyLater(string what, string copy, Action<NpgsqlBinaryImporter> write)
    {
        if (!InWrite)
        {
            throw new InvalidOperationException("A copy is queued inside a write (an internal error).");
        }

        _queued.Add(new QueuedCopy(what, copy, write));
    }

    /// <summary>As <see cref="List{T}"/>, without sending the queued copies first (the streamed COPY is completed): for a read of a table no queued copy writes.</summary>
    public List<T> ListBesideQueued<T>(string what, string sql, Func<NpgsqlDataReader, T> row, params object?[] values) =>
        Run(what, sql, values, command => Read(command, row), sendQueued: false);

    /// <summary>A value as a typed parameter (a JSON document as jsonb).</summary>
    public static NpgsqlParameter Json(string json) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json };

    /// <summary>An instant as the library stores it: UTC, to the millisecond (as the LiteDB engine keeps it).</summary>
    public static DateTime Instant(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds()).UtcDateTime;

    /// <summary>A stored instant read back.</summary>
    public static DateTimeOffset Instant(NpgsqlDataReader reader, int column) => new(DateTime.SpecifyKind(reader.GetDateTime(column), DateTimeKind.Utc));

    /// <summary>Runs a driver call, turning its failures into the library's exceptions.</summary>
    public T Guarded<T>(string what, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateRow(e.TableName, e.ConstraintName, e);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new RegistryUnavailableException(where, what, e);
        }
    }

    public void Guarded(string what, Action call) => Guarded(what, () =>
    {
        call();
        return 0;
    });

    public void Dispose() => source.Dispose();

    private T Run<T>(string what, string sql, object?[] values, Func<NpgsqlCommand, T> run, bool sendQueued = true)
    {
        if (InWrite)
        {
            if (sendQueued)
            {
                CopyQueued();
            }
            else
            {
                SendDeferred(); // a read beside the queued copies still sees the write's statements
            }

            using var command = Command(_connection!, _transaction, sql, values);
            return Guarded(what, () => run(command));
        }

        return Guarded(what, () =>
        {
            using var connection = source.OpenConnection();
            using var command = Command(connection, null, sql, values);
            return run(command);
        });
    }

    /// <summary>
    /// A statement of the open write sent later (ADR 18's amendment): with the write's other deferred statements as one
    /// batch, one round trip, before the write's next command, its queued copies or its commit, so the write still reads
    /// its own changes and every check is made before anything commits. <paramref name="rows"/> is given the rows the
    /// statement changed (the version check of an update throws from it); <paramref name="duplicate"/> says what a
    /// unique constraint refusing its row means. Outside a write the statement runs at once.
    /// </summary>
    public void Later(string what, string sql, object?[] values, Action<int>? rows = null, Func<DuplicateRow, Exception>? duplicate = null)
    {
        if (!InWrite)
        {
            int changed;
            try
            {
                changed = Execute(what, sql, values);
            }
            catch (DuplicateRow e) when (duplicate is not null)
            {
                throw duplicate(e);
            }

            rows?.Invoke(changed);
            return;
        }

        if (_queued.Count > 0)
        {
            CopyQueued(); // copies queued before this statement reach the server before it
        }

        _deferred.Add(new Deferred(what, sql, values, rows, duplicate));
    }

    /// <summary>
    /// Completes the COPY <see cref="CopyNow"/> left open, then sends the statements <see cref="Later"/> deferred, in the
    /// order they were deferred, as one batch in the open write;
    /// then hands each its changed rows, in order (the first check that fails throws, and the write rolls back). A
    /// statement the server refuses stops the batch (the transaction is aborted): a unique constraint's refusal is
    /// what that statement says it means, any other failure the library's exception, as for a statement of its own.
    /// </summary>
    public void SendDeferred()
    {
        EndCopy(); // the rows streamed so far came before every statement deferred since
        if (_deferred.Count == 0)
        {
            return;
        }

        var deferred = _deferred.ToArray();
        _deferred.Clear();
        using var batch = new NpgsqlBatch(_connection!, _transaction);
        foreach (var statement in deferred)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            foreach (var value in statement.Values)
            {
                command.Parameters.Add(Parameter(value));
            }

            batch.BatchCommands.Add(command);
        }

        try
        {
            Guarded(deferred.Length == 1 ? deferred[0].What : string.Join(", ", deferred.Select(d => d.What)), () => batch.ExecuteNonQuery());
        }
        catch (DuplicateRow e) when (e.InnerException is PostgresException { BatchCommand: { } failed }
            && batch.BatchCommands.IndexOf(failed) is var at && at >= 0 && deferred[at].Duplicate is { } duplicate)
        {
            throw duplicate(e);
        }

        for (var i = 0; i < deferred.Length; i++)
        {
            deferred[i].Rows?.Invoke(batch.BatchCommands[i].RecordsAffected);
        }
    }

    /// <summary>Completes the streamed COPY (<see cref="CopyNow"/>), sends the statements <see cref="Later"/> deferred, then the copies <see cref="CopyLater"/> queued: one COPY per statement, in the order each was first queued.</summary>
    public void CopyQueued()
    {
        SendDeferred();
        if (_queued.Count == 0)
        {
            return;
        }

        var queued = _queued.ToList();
        _queued.Clear();
        foreach (var statement in queued.GroupBy(q => q.Copy))
        {
            Guarded(statement.First().What, () =>
            {
                using var importer = _connection!.BeginBinaryImport(statement.Key);
                foreach (var part in statement)
                {
                    part.Write(importer);
                }

                importer.Complete();
            });
        }
    }

    /// <summary>A statement deferred by <see cref="Later"/>.</summary>
    private sealed record Deferred(string What, string Sql, object?[] Values, Action<int>? Rows, Func<DuplicateRow, Exception>? Duplicate);

    /// <summary>The COPY <see cref="CopyNow"/> has open.</summary>
    private sealed record OpenCopy(string What, string Copy, NpgsqlBinaryImporter Importer);

    /// <summary>A copy queued by <see cref="CopyLater"/>.</summary>
    private sealed record QueuedCopy(string What, string Copy, Action<NpgsqlBinaryImporter> Write);

    /// <summary>A statement with its positional parameters, on a connection (and transaction) of the caller's.</summary>
    internal static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(Parameter(value));
        }

        return command;
    }

    /// <summary>A statement's positional parameter: one given as it is, any other value wrapped (null as SQL NULL).</summary>
    private static NpgsqlParameter Parameter(object? value) => value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value };
}

/// <summary>A unique constraint refused a row: the store that inserted it says what that means (someone else stored the record first).</summary>
internal sealed class DuplicateRow(string? table, string? constraint, Exception inner) : Exception($"table {table}: constraint {constraint} refused a duplicate", inner)
{
    public string? Table { get; } = table;

    public string? Constraint { get; } = constraint;
}
