using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// The BSON LiteDB writes for a document, written into a pooled buffer instead of a new array, so a seal is made and
/// checked without serialising every document into garbage: the same bytes as <see cref="BsonSerializer.Serialize"/>
/// (<c>SealBytesTests</c> compares the two over every type the library stores), leaving out one top-level field (the
/// seal itself) instead of removing and adding it back. A value this writer does not know (a local time, whose UTC
/// form depends on the machine's zone rules) makes <see cref="TryHash"/> answer false, and the caller serialises.
/// </summary>
internal static class SealBytes
{
    // Strict, as LiteDB's own: text with a lone surrogate cannot be stored, and fails here as it would there (the
    // library's input checks refuse such text before it reaches a document).
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The 64-bit FNV-1a hash of <paramref name="document"/>'s BSON without <paramref name="leaveOut"/>; false when a value needs LiteDB's own serialiser.</summary>
    public static bool TryHash(BsonDocument document, string? leaveOut, out long hash)
    {
        var writer = new Writer(ArrayPool<byte>.Shared.Rent(4096));
        try
        {
            if (!writer.Document(document, leaveOut))
            {
                hash = 0;
                return false;
            }

            hash = Fnv(writer.Written);
            return true;
        }
        finally
        {
            writer.Return();
        }
    }

    /// <summary>The bytes <see cref="TryHash"/> hashes (for tests); null when it would answer false.</summary>
    internal static byte[]? Bytes(BsonDocument document, string? leaveOut = null)
    {
        var writer = new Writer(ArrayPool<byte>.Shared.Rent(16));
        try
        {
            return writer.Document(document, leaveOut) ? writer.Written.ToArray() : null;
        }
        finally
        {
            writer.Return();
        }
    }

    /// <summary>64-bit FNV-1a over <paramref name="bytes"/>, the seal's hash.</summary>
    public static long Fnv(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private struct Writer(byte[] buffer)
    {
        private byte[] _buffer = buffer;
        private int _length;

        public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public readonly void Return() => ArrayPool<byte>.Shared.Return(_buffer);

        // LiteDB writes "_id" first, then the other fields in the dictionary's order; a document's and an array's
        // length (their own 4 bytes and the closing 0 included) goes before them, patched in once they are written.
        public bool Document(BsonDocument document, string? leaveOut)
        {
            var start = Reserve(4);
            if (document.TryGetValue("_id", out var id) && !Element("_id", id))
            {
                return false;
            }

            foreach (var (key, value) in document)
            {
                if (key == "_id" || key == leaveOut)
                {
                    continue;
                }

                if (!Element(key, value))
                {
                    return false;
                }
            }

            Byte(0);
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _length - start);
            return true;
        }

        private bool Array(BsonArray array)
        {
            var start = Reserve(4);
            Span<char> name = stackalloc char[11];
            for (var i = 0; i < array.Count; i++)
            {
                i.TryFormat(name, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
                if (!Element(name[..written], array[i]))
                {
                    return false;
                }
            }

            Byte(0);
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(start), _length - start);
            return true;
        }

        private bool Element(ReadOnlySpan<char> key, BsonValue value)
        {
            switch (value.Type)
            {
                case BsonType.Double:
                    Head(0x01, key);
                    BinaryPrimitives.WriteDoubleLittleEndian(Take(8), value.AsDouble);
                    return true;
                case BsonType.String:
                    Head(0x02, key);
                    var text = value.AsString;
                    var lengthAt = Reserve(4);
                    var count = Text(text);
                    Byte(0);
                    BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(lengthAt), count + 1);
                    return true;
                case BsonType.Document:
                    Head(0x03, key);
                    return Document(value.AsDocument, leaveOut: null);
                case BsonType.Array:
                    Head(0x04, key);
                    return Array(value.AsArray);
                case BsonType.Binary:
                    Head(0x05, key);
                    var bytes = value.AsBinary;
                    BinaryPrimitives.WriteInt32LittleEndian(Take(4), bytes.Length);
                    Byte(0x00);
                    bytes.CopyTo(Take(bytes.Length));
                    return true;
                case BsonType.Guid:
                    Head(0x05, key);
                    BinaryPrimitives.WriteInt32LittleEndian(Take(4), 16);
                    Byte(0x04);
                    value.AsGuid.TryWriteBytes(Take(16));
                    return true;
                case BsonType.ObjectId:
                    Head(0x07, key);
                    value.AsObjectId.ToByteArray().CopyTo(Take(12));
                    return true;
                case BsonType.Boolean:
                    Head(0x08, key);
                    Byte(value.AsBoolean ? (byte)1 : (byte)0);
                    return true;
                case BsonType.DateTime:
                    var date = value.AsDateTime;
                    if (date.Kind != DateTimeKind.Utc && date != DateTime.MinValue && date != DateTime.MaxValue)
                    {
                        return false;
                    }

                    Head(0x09, key);
                    BinaryPrimitives.WriteInt64LittleEndian(Take(8), Convert.ToInt64((date - BsonValue.UnixEpoch).TotalMilliseconds));
                    return true;
                case BsonType.Null:
                    Head(0x0A, key);
                    return true;
                case BsonType.Int32:
                    Head(0x10, key);
                    BinaryPrimitives.WriteInt32LittleEndian(Take(4), value.AsInt32);
                    return true;
                case BsonType.Int64:
                    Head(0x12, key);
                    BinaryPrimitives.WriteInt64LittleEndian(Take(8), value.AsInt64);
                    return true;
                case BsonType.Decimal:
                    Head(0x13, key);
                    Span<int> bits = stackalloc int[4];
                    decimal.GetBits(value.AsDecimal, bits);
                    var to = Take(16);
                    for (var i = 0; i < 4; i++)
                    {
                        BinaryPrimitives.WriteInt32LittleEndian(to[(i * 4)..], bits[i]);
                    }

                    return true;
                case BsonType.MinValue:
                    Head(0xFF, key);
                    return true;
                case BsonType.MaxValue:
                    Head(0x7F, key);
                    return true;
                default:
                    return false;
            }
        }

        private void Head(byte type, ReadOnlySpan<char> key)
        {
            Byte(type);
            Text(key);
            Byte(0);
        }

        private int Text(ReadOnlySpan<char> text)
        {
            var count = Utf8.GetByteCount(text);
            Utf8.GetBytes(text, Take(count));
            return count;
        }

        private void Byte(byte value) => Take(1)[0] = value;

        private int Reserve(int count)
        {
            var at = _length;
            Take(count);
            return at;
        }

        private Span<byte> Take(int count)
        {
            if (_length + count > _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var span = _buffer.AsSpan(_length, count);
            _length += count;
            return span;
        }
    }
}
