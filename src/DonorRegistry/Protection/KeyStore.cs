using System.Text;
using DonorRegistry.Storage;

namespace DonorRegistry.Protection;

/// <summary>
/// The donors' wrapped data keys, in a file apart from the database: a 64-byte header, then one
/// 64-byte slot per donor id. Destroying a key overwrites its slot with zeros in place, so the key
/// is gone from this file, and every backup of the database file becomes unreadable for that donor.
/// </summary>
/// <remarks>Back up this file on its own, short rotation: a backup of it would revive destroyed keys.</remarks>
internal sealed class KeyStore : IDisposable
{
    private const int SlotLength = 64;
    private const int HeaderLength = 64;
    private static readonly byte[] Magic = "DRKEYS01"u8.ToArray();

    private readonly Stream _stream;
    private readonly Lock _gate = new();
    private readonly byte[] _slot = new byte[SlotLength]; // read buffer, used under _gate

    private KeyStore(Stream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens (or creates) a key store and checks that it belongs to the given registry key.</summary>
    public static KeyStore Open(string? path, PersonalDataCipher cipher, bool mustExist, IRegistryDisk disk)
    {
        Stream stream;
        var label = path ?? ":memory:";
        if (path is null)
        {
            stream = new MemoryStream();
        }
        else
        {
            if (mustExist && !disk.Exists(path))
            {
                throw new NotARegistryException(path, "the key store that holds the donors' data keys is missing; restore it from its own backup, or open the registry with the KeyStorePath it was created with");
            }

            stream = disk.Open(path, FileShare.None); // unbuffered; its Flush is an fsync
        }

        try
        {
            var store = new KeyStore(stream, label);
            store.CheckOrWriteHeader(cipher);
            return store;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Writes consecutive slots with one write call (enrolment hands out consecutive ids).</summary>
    public void WriteRange(long firstSlot, IReadOnlyList<byte[]> wrappedKeys)
    {
        var buffer = new byte[wrappedKeys.Count * SlotLength];
        for (var i = 0; i < wrappedKeys.Count; i++)
        {
            buffer[i * SlotLength] = 1;
            wrappedKeys[i].CopyTo(buffer, (i * SlotLength) + 1);
        }

        lock (_gate)
        {
            _stream.Position = Offset(firstSlot);
            _stream.Write(buffer);
        }
    }

    public byte[]? Read(long slot)
    {
        lock (_gate)
        {
            var offset = Offset(slot);
            if (offset + SlotLength > _stream.Length)
            {
                return null;
            }

            _stream.Position = offset;
            _stream.ReadExactly(_slot);
            return _slot[0] == 1 ? _slot.AsSpan(1, PersonalDataCipher.WrappedKeyLength).ToArray() : null;
        }
    }

    /// <summary>Overwrites a slot with zeros and forces it to disk.</summary>
    public void Destroy(long slot)
    {
        lock (_gate)
        {
            var offset = Offset(slot);
            if (offset + SlotLength > _stream.Length)
            {
                return;
            }

            _stream.Position = offset;
            _stream.Write(new byte[SlotLength]);
            FlushToDisk();
        }
    }

    /// <summary>Forces written slots to disk (fsync), so a committed enrolment never lacks its key.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            FlushToDisk();
        }
    }

    public void Dispose() => _stream.Dispose();

    private static long Offset(long slot) => HeaderLength + (slot * SlotLength);

    private void FlushToDisk()
    {
        if (_stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            _stream.Flush();
        }
    }

    private void CheckOrWriteHeader(PersonalDataCipher cipher)
    {
        var header = new byte[HeaderLength];
        if (_stream.Length == 0)
        {
            Magic.CopyTo(header, 0);
            cipher.KeyCheck.CopyTo(header, 8);
            Encoding.ASCII.GetBytes(cipher.KeyId).CopyTo(header, 24);
            _stream.Write(header);
            FlushToDisk();
            return;
        }

        if (_stream.Length < HeaderLength)
        {
            throw new NotARegistryException(Path, "the key store is shorter than its header");
        }

        _stream.Position = 0;
        _stream.ReadExactly(header);
        if (!header.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new NotARegistryException(Path, "the key store does not start with the DonorRegistry key-store header");
        }

        if (!header.AsSpan(8, 16).SequenceEqual(cipher.KeyCheck))
        {
            throw new RegistryKeyMismatchException(Path, Encoding.ASCII.GetString(header, 24, 8), cipher.KeyId);
        }
    }
}
