using System.Globalization;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The engine boundary for damage: every read and write of a LiteDB store runs through here, and whatever the engine
/// or a decoder throws for a file it cannot make sense of leaves as one <see cref="RegistryDamagedException"/> that
/// names the file, the collection, the document and what was expected. The library's own exceptions pass unchanged.
/// </summary>
internal sealed class Damage(string path)
{
    private RegistryDamagedException? _first;

    public string Path => path;

    /// <summary>
    /// A failure to name: an engine or decoding failure, or the engine refusing calls after it closed itself over damage
    /// met before (LiteDB disposes its engine on a broken page, and every later call throws <see cref="ObjectDisposedException"/>).
    /// </summary>
    public bool IsFailure(Exception e) => IsEngineFailure(e) || (e is ObjectDisposedException && Volatile.Read(ref _first) is not null);

    /// <summary>Runs a read (or a write's engine call) and names any damage it meets.</summary>
    public T Read<T>(string collection, object? id, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (IsFailure(e))
        {
            throw Named(collection, id, e);
        }
    }

    /// <summary>Runs an engine write (an insert or update inside a transaction) and names any damage it meets.</summary>
    public void Write(string collection, object? id, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (IsFailure(e))
        {
            throw Named(collection, id, e);
        }
    }

    /// <summary>Enumerates lazily, naming damage met while reading any of the items.</summary>
    public IEnumerable<T> Each<T>(string collection, IEnumerable<T> items)
    {
        using var enumerator = Read(collection, null, items.GetEnumerator);
        while (true)
        {
            T current;
            try
            {
                if (!enumerator.MoveNext())
                {
                    yield break;
                }

                current = enumerator.Current;
            }
            catch (Exception e) when (IsFailure(e))
            {
                throw Named(collection, null, e);
            }

            yield return current;
        }
    }

    /// <summary>The exception for a failure met in <paramref name="collection"/>.</summary>
    public RegistryDamagedException Named(string? collection, object? id, Exception e)
    {
        var named = Name(collection, id, e);
        Interlocked.CompareExchange(ref _first, named, null);
        return named;
    }

    private RegistryDamagedException Name(string? collection, object? id, Exception e) => e switch
    {
        RegistryDamagedException named => named,
        ObjectDisposedException when Volatile.Read(ref _first) is { } first =>
            new RegistryDamagedException(path, collection, Text(id), $"an engine still open (it closed itself over the damage met before, in {first.Collection ?? "its own structures"}{(first.DocumentId is null ? "" : $" '{first.DocumentId}'")})", e),
        DocumentDamage d => new RegistryDamagedException(path, d.Collection ?? collection, d.DocumentId ?? Text(id), d.Expected, d.InnerException),
        IOException or UnauthorizedAccessException => new RegistryDamagedException(path, collection, Text(id), "a file the disk can read", e),
        LiteException => new RegistryDamagedException(path, collection, Text(id), "pages the database engine can read", e),
        _ => new RegistryDamagedException(path, collection, Text(id), "a document and index pages the database engine can read", e),
    };

    /// <summary>
    /// A failure of the engine or of decoding, rather than a verdict of the library (its own exceptions), a disposed
    /// registry or the runtime giving out.
    /// </summary>
    public static bool IsEngineFailure(Exception e) =>
        e is not (DonorRegistryException or ObjectDisposedException or OperationCanceledException
            or OutOfMemoryException or InsufficientExecutionStackException or ThreadInterruptedException);

    public static string? Text(object? id) => id switch
    {
        null => null,
        BsonValue { IsNull: true } => null,
        BsonValue { IsString: true } value => value.AsString,
        BsonValue value => value.RawValue?.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => id.ToString(),
    };
}

/// <summary>A document that does not hold what its decoder expects; the store adds the file (<see cref="Damage.Named"/>).</summary>
internal sealed class DocumentDamage(string? collection, string? documentId, string expected, Exception? inner = null) : Exception(expected, inner)
{
    public string? Collection { get; } = collection;

    public string? DocumentId { get; } = documentId;

    public string Expected { get; } = expected;
}

/// <summary>
/// Every document the library writes carries a seal: a 64-bit FNV-1a hash of its content (the BSON of its fields, in
/// ordinal key order, without the seal). LiteDB keeps no checksums of its own, so without it a flipped byte in a
/// stored value would read back as a different, valid-looking value. A document without a seal (written straight
/// into the file by a benchmark fixture) is read unchecked; <see cref="LiteDbVerifier"/> reports it.
/// </summary>
internal static class Seal
{
    public const string Field = "_h";

    /// <summary>
    /// Seals a document just before it is inserted or updated. Its fields are put in ordinal key order first (in
    /// place), so that every later read checks the seal on the document as stored, without a sorted copy.
    /// </summary>
    public static BsonDocument Apply(BsonDocument document)
    {
        document[Field] = Compute(document);
        return document;
    }

    /// <summary>
    /// The seal <see cref="Apply"/> would give the document, which is left without one, its fields in ordinal key
    /// order. A bulk write computes seals this way on a thread of its own, from documents it then drops, and
    /// <see cref="ApplyComputed"/> sets each on a document made again with the same content as the engine takes it.
    /// </summary>
    public static long Compute(BsonDocument document)
    {
        Unseal(document);
        return Of(document, leaveOut: null);
    }

    /// <summary>
    /// Seals a document with <paramref name="seal"/>, computed by <see cref="Compute"/> from a document of the same
    /// content (debug builds check that it is); its fields are put in ordinal key order first, as by <see cref="Apply"/>.
    /// </summary>
    public static BsonDocument ApplyComputed(BsonDocument document, long seal)
    {
        Unseal(document);
        System.Diagnostics.Debug.Assert(Of(document, leaveOut: null) == seal, "A seal computed ahead must be the seal of the document it is set on.");
        document[Field] = seal;
        return document;
    }

    // Takes the seal out and puts the fields in ordinal key order (a dictionary cleared and filled again enumerates in
    // the order of the adds): the form a seal is computed on and set on.
    private static void Unseal(BsonDocument document)
    {
        document.Remove(Field);
        if (IsCanonical(document))
        {
            return;
        }

        var keys = new string[document.Count];
        document.Keys.CopyTo(keys, 0);
        // A static comparison, not StringComparer.Ordinal: Array.Sort with a comparer makes a delegate to its
        // interface method on every call, which cost about 2 µs a document (docs/benchmarks.md, run 9).
        keys.AsSpan().Sort(static (a, b) => string.CompareOrdinal(a, b));
        var values = new BsonValue[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            values[i] = document[keys[i]];
        }

        document.Clear();
        for (var i = 0; i < keys.Length; i++)
        {
            document[keys[i]] = values[i];
        }
    }

    public static bool IsSealed(BsonDocument document) => document.ContainsKey(Field);

    /// <summary>Checks a document's seal (if it has one); throws <see cref="DocumentDamage"/> when it does not match.</summary>
    public static void Check(BsonDocument document, string collection)
    {
        if (!document.TryGetValue(Field, out var seal))
        {
            return;
        }

        if (!seal.IsInt64 || seal.AsInt64 != Hash(document))
        {
            throw new DocumentDamage(collection, IdOf(document), "content that matches its seal (a byte of the document changed after it was written)");
        }
    }

    /// <summary>The document's id as text, read without trusting it.</summary>
    public static string? IdOf(BsonDocument document) =>
        document.TryGetValue("_id", out var id) ? Damage.Text(id) : null;

    // The hash of the document's BSON with its fields in ordinal key order and without the seal. A document the
    // library sealed is stored in that order, so only the seal is set aside while it is serialized; any other is
    // hashed through a sorted copy, which gives the same bytes (SealTests checks the two agree).
    internal static long Hash(BsonDocument document)
    {
        if (!IsCanonical(document))
        {
            return CanonicalHash(document);
        }

        return Of(document, Field);
    }

    // The hash of the document's bytes as LiteDB writes them, without the seal: written into a pooled buffer where
    // every value is one SealBytes knows (always, for the library's documents), else through a copy without the seal.
    private static long Of(BsonDocument document, string? leaveOut)
    {
        if (SealBytes.TryHash(document, leaveOut, out var hash))
        {
            return hash;
        }

        if (leaveOut is null || !document.ContainsKey(leaveOut))
        {
            return SealBytes.Fnv(BsonSerializer.Serialize(document));
        }

        var copy = new BsonDocument();
        foreach (var (key, value) in document)
        {
            if (key != leaveOut)
            {
                copy[key] = value;
            }
        }

        return SealBytes.Fnv(BsonSerializer.Serialize(copy));
    }

    /// <summary>The hash through a sorted copy of the document: the definition the fast path must agree with.</summary>
    internal static long CanonicalHash(BsonDocument document)
    {
        var canonical = new BsonDocument();
        foreach (var key in document.Keys.Where(k => k != Field).Order(StringComparer.Ordinal))
        {
            canonical[key] = document[key];
        }

        return SealBytes.Fnv(BsonSerializer.Serialize(canonical));
    }

    private static bool IsCanonical(BsonDocument document)
    {
        string? previous = null;
        foreach (var key in document.Keys)
        {
            if (key == Field)
            {
                continue;
            }

            if (previous is not null && string.CompareOrdinal(previous, key) >= 0)
            {
                return false;
            }

            previous = key;
        }

        return true;
    }

}

/// <summary>
/// Typed reads of a document's fields for the decoders (the *Documents classes): each checks that the field is there
/// and of the type the library writes, and otherwise throws <see cref="DocumentDamage"/> naming the field and the type.
/// </summary>
internal static class Fields
{
    /// <summary>
    /// A new document whose dictionary has room for <paramref name="fields"/> fields: LiteDB 5's documents start empty
    /// and grow by doubling, and the resizes were a quarter of building an enrolment's documents.
    /// </summary>
    public static BsonDocument NewDocument(int fields)
    {
        var document = new BsonDocument();
        ((Dictionary<string, BsonValue>)document.RawValue).EnsureCapacity(fields);
        return document;
    }

    /// <summary>Decodes a document of <paramref name="collection"/>: checks its seal, then runs the decoder, naming any failure.</summary>
    public static T Decode<T>(BsonDocument? document, string collection, Func<BsonDocument, T> decode)
    {
        if (document is null)
        {
            throw new DocumentDamage(collection, null, "a document where the index points");
        }

        Seal.Check(document, collection);
        try
        {
            return decode(document);
        }
        catch (DocumentDamage d) when (d.Collection is null)
        {
            throw new DocumentDamage(collection, Seal.IdOf(document), d.Expected, d.InnerException);
        }
        catch (Exception e) when ((Damage.IsEngineFailure(e) || e is DonorRegistryException) && e is not (DocumentDamage or RegistryDamagedException))
        {
            // A library exception here (an id or code the domain refuses) is a stored value the library never wrote.
            throw new DocumentDamage(collection, Seal.IdOf(document), "a document the library can decode", e);
        }
    }

    public static int Int(BsonDocument d, string key)
    {
        var v = d[key];
        return v.IsInt32 ? v.AsInt32 : throw Expect(key, "a 32-bit whole number", v);
    }

    public static int? OptInt(BsonDocument d, string key) => d[key].IsNull ? null : Int(d, key);

    public static long Long(BsonDocument d, string key)
    {
        var v = d[key];
        return v.IsInt64 || v.IsInt32 ? v.AsInt64 : throw Expect(key, "a whole number", v);
    }

    public static string Str(BsonDocument d, string key)
    {
        var v = d[key];
        return v.IsString ? v.AsString : throw Expect(key, "text", v);
    }

    public static string? OptStr(BsonDocument d, string key) => d[key].IsNull ? null : Str(d, key);

    public static bool Bool(BsonDocument d, string key)
    {
        var v = d[key];
        return v.IsBoolean ? v.AsBoolean : throw Expect(key, "true or false", v);
    }

    public static DateTimeOffset Instant(BsonDocument d, string key)
    {
        var v = d[key];
        return v.IsDateTime ? AuditDocuments.Instant(v) : throw Expect(key, "an instant", v);
    }

    public static DateOnly Day(BsonDocument d, string key)
    {
        var v = d[key];
        return v.IsInt32 && v.AsInt32 >= DateOnly.MinValue.DayNumber && v.AsInt32 <= DateOnly.MaxValue.DayNumber
            ? DateOnly.FromDayNumber(v.AsInt32)
            : throw Expect(key, "a day number", v);
    }

    public static DateOnly? OptDay(BsonDocument d, string key) => d[key].IsNull ? null : Day(d, key);

    public static TEnum Enum<TEnum>(BsonDocument d, string key)
        where TEnum : struct, Enum
    {
        var v = d[key];
        return v.IsString && v.AsString.Length > 0 && char.IsLetter(v.AsString[0]) && System.Enum.TryParse<TEnum>(v.AsString, ignoreCase: false, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : throw Expect(key, $"a {typeof(TEnum).Name} name", v);
    }

    public static TEnum? OptEnum<TEnum>(BsonDocument d, string key)
        where TEnum : struct, Enum => d[key].IsNull ? null : Enum<TEnum>(d, key);

    public static BsonDocument Doc(BsonDocument d, string key)
    {
        var v = d[key];
        return v.IsDocument ? v.AsDocument : throw Expect(key, "an embedded document", v);
    }

    public static BsonArray Arr(BsonDocument d, string key)
    {
        var v = d[key];
        return v.IsArray ? v.AsArray : throw Expect(key, "an array", v);
    }

    /// <summary>The documents of an array field.</summary>
    public static IEnumerable<BsonDocument> Docs(BsonDocument d, string key) =>
        Arr(d, key).Select((v, i) => v.IsDocument ? v.AsDocument : throw Expect($"{key}[{i}]", "an embedded document", v));

    /// <summary>The strings of an array field.</summary>
    public static IEnumerable<string> Strs(BsonDocument d, string key) =>
        Arr(d, key).Select((v, i) => v.IsString ? v.AsString : throw Expect($"{key}[{i}]", "text", v));

    /// <summary>The string values of an embedded document (the loci of a typing).</summary>
    public static Dictionary<string, string> StrMap(BsonDocument d, string key) =>
        Doc(d, key).ToDictionary(kv => kv.Key, kv => kv.Value.IsString ? kv.Value.AsString : throw Expect($"{key}.{kv.Key}", "text", kv.Value), StringComparer.Ordinal);

    private static DocumentDamage Expect(string key, string what, BsonValue found) =>
        new(null, null, $"field '{key}' to hold {what} (found {(found.IsNull ? "nothing" : found.Type.ToString())})");
}
