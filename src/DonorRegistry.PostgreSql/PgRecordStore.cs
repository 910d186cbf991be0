using DonorRegistry.Storage;
using DonorRegistry.Storage.LiteDb;
using Npgsql;

namespace DonorRegistry.PostgreSql;

/// <summary>The engine's handle on a loaded row: the version it was loaded at, which its update must still find.</summary>
internal sealed class RowVersion(int version)
{
    public int Version { get; set; } = version;
}

/// <summary>
/// The part every PostgreSQL store of a kind of record shares: one row per record, keyed by its id, holding the
/// version, the columns the queries use, and the record as a JSONB document (<see cref="DocumentCodec"/>). An insert
/// of a key another writer stored first, and an update of a row another writer changed since it was loaded, are
/// refused with <see cref="ConcurrentUpdateException"/>.
/// </summary>
/// <typeparam name="TKey">The record's id type.</typeparam>
/// <typeparam name="T">The record type.</typeparam>
internal abstract class PgRecordStore<TKey, T>(PgDatabase db, AggregateKind kind, string table, DocumentCodec.Kind<T> codec) : IAggregateStore<TKey, T>
    where T : class, IAggregate
{
    protected PgDatabase Db { get; } = db;

    protected string Table { get; } = table;

    /// <summary>The extra columns beside id, version and doc, in insert order.</summary>
    protected abstract string[] Columns { get; }

    public Loaded<T>? Find(TKey key) => Id(key) is { } id
        ? Db.List($"reading {Table} '{id}'", $"SELECT doc::text FROM {Table} WHERE id = $1", r => Decode(r.GetString(0), id), id) is [var value]
            ? new Loaded<T>(value, new RowVersion(value.Version))
            : null
        : null;

    public void Insert(T value)
    {
        var columns = string.Join(", ", Columns.Prepend("doc").Prepend("version").Prepend("id"));
        var parameters = string.Join(", ", Enumerable.Range(1, Columns.Length + 3).Select(i => "$" + i));
        // Deferred (PgDatabase.Later): sent with the write's other statements in one batch before its next read or its commit.
        Db.Later($"storing {Table} '{value.Key}'", $"INSERT INTO {Table} ({columns}) VALUES ({parameters})",
            [value.Key, value.Version, PgDatabase.Json(codec.Encode(value)), .. Values(value)],
            // The transaction is aborted now; the row another writer stored is at version 1 or later.
            duplicate: e => new ConcurrentUpdateException(kind, value.Key, 0, 1) { Data = { ["constraint"] = e.Constraint } });
        Db.Changed(kind, value.Key);
    }

    public void Update(Loaded<T> value)
    {
        var token = value.Token as RowVersion ?? throw new InvalidOperationException("A record loaded by another engine was handed to PostgreSQL.");
        var sets = string.Join(", ", Columns.Select((c, i) => $"{c} = ${i + 5}"));
        var key = value.Value.Key;
        var loadedAt = token.Version;
        Db.Later($"storing {Table} '{key}'",
            $"UPDATE {Table} SET version = $3, doc = $4{(sets.Length > 0 ? ", " + sets : "")} WHERE id = $1 AND version = $2",
            [key, loadedAt, value.Value.Version, PgDatabase.Json(codec.Encode(value.Value)), .. Values(value.Value)],
            rows: changed =>
            {
                if (changed != 1)
                {
                    throw new ConcurrentUpdateException(kind, key, loadedAt, VersionOf(key) ?? 0);
                }
            });
        token.Version = value.Value.Version;
        Db.Changed(kind, key);
    }

    /// <summary>The kind of record the table holds.</summary>
    internal AggregateKind Kind => kind;

    /// <summary>The table's columns beside id, version and doc, as <see cref="Verified"/> gives their values.</summary>
    internal string[] ColumnNames => Columns;

    /// <summary>For the verifier: the record a row's document holds, and the values its columns must hold for it (damage throws <see cref="RegistryDamagedException"/>).</summary>
    internal (T Value, object?[] Columns) Verified(string json, string id)
    {
        var value = Decode(json, id);
        return (value, Values(value));
    }

    /// <summary>Records read by a query of the form <c>SELECT doc::text, id …</c>.</summary>
    protected List<T> Query(string what, string sql, params object?[] values) =>
        Db.List(what, sql, r => Decode(r.GetString(0), r.GetString(1)), values);

    /// <summary>The values of <see cref="Columns"/> for a record.</summary>
    protected abstract object?[] Values(T value);

    /// <summary>The row id of a key, or null for a key no row can have (an empty code).</summary>
    protected abstract string? Id(TKey key);

    protected T Decode(string json, string id) => codec.Decode(json, Db.Where, id);

    private int? VersionOf(string id) => Db.Scalar<int?>($"reading the version of {Table} '{id}'", $"SELECT version FROM {Table} WHERE id = $1", id);
}

/// <summary>A value for a nullable column: the value, or null.</summary>
internal static class Column
{
    public static object? Of<TValue>(TValue? value)
        where TValue : struct => value.HasValue ? value.Value : null;

    public static NpgsqlParameter Typed(object? value, NpgsqlTypes.NpgsqlDbType type) => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };
}
