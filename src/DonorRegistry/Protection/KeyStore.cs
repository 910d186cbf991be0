using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DonorRegistry.Storage;

namespace DonorRegistry.Protection;

/// <summary>
/// The donors' wrapped data keys, in a file apart from the database: a 64-byte header, then one 64-byte slot per
/// donor id. Destroying a key overwrites its slot with zeros in place, so the key is gone from this file, and every
/// backup of the database file becomes unreadable for that donor. Beside it lies the withdrawal ledger
/// (<see cref="WithdrawalLedger"/>): the donors who withdrew, in order.
/// </summary>
/// <remarks>
/// Header: magic <c>DRKEYS02</c>, the registry key's check value (16 bytes), its id (8), the registry id (16, the
/// same as in the database's header), the generation (8: how many ledger entries have their key destroyed) and a
/// SHA-256 checksum of the rest (8). A slot is all zeros (no key, or destroyed) or 1 followed by the wrapped key
/// and zeros. Back up this file on its own, short rotation: a backup of it would revive destroyed keys, until the
/// ledger is applied to it again (ADR 12).
/// </remarks>
internal sealed class KeyStore : IKeyStore
{
    public const int SlotLength = 64;
    public const int HeaderLength = 64;
    private static readonly byte[] Magic = "DRKEYS02"u8.ToArray();
    private static readonly byte[] OldMagic = "DRKEYS01"u8.ToArray();

    private readonly Stream _stream;
    private readonly Lock _gate = new();
    private bool _unflushed; // slots written since the last flush (inside the gate)
    private readonly byte[] _slot = new byte[SlotLength]; // read buffer, used under _gate
    private readonly byte[] _header;

    private KeyStore(Stream stream, string path, byte[] header, WithdrawalLedger ledger)
    {
        _stream = stream;
        Path = path;
        _header = header;
        Ledger = ledger;
    }

    public string Path { get; }

    public bool IsFile => true;

    public bool WritesBesideAWrite => true;

    /// <summary>The registry this key store belongs to (the database's header holds the same id).</summary>
    public Guid RegistryId => new(_header.AsSpan(32, 16));

    /// <summary>How many of the ledger's withdrawals have their key destroyed here (the first so many, in ledger order).</summary>
    public long Generation => BinaryPrimitives.ReadInt64LittleEndian(_header.AsSpan(48, 8));

    /// <summary>The donors who withdrew, in order.</summary>
    public WithdrawalLedger Ledger { get; }

    /// <summary>How many slots the file holds room for (donor ids 0 to this − 1).</summary>
    public long SlotCount
    {
        get
        {
            lock (_gate)
            {
                return (_stream.Length - HeaderLength) / SlotLength;
            }
        }
    }

    /// <summary>Creates a new key store and its ledger for a new registry; refuses a file that already holds anything.</summary>
    public static KeyStore Create(string? path, PersonalDataCipher cipher, Guid registryId, IRegistryDisk disk)
    {
        if (path is null)
        {
            return Start(new MemoryStream(), ":memory:", cipher, registryId, WithdrawalLedger.InMemory(registryId));
        }

        var ledgerPath = WithdrawalLedger.PathFor(path);
        foreach (var file in new[] { path, ledgerPath })
        {
            if (new FileInfo(file) is { Exists: true, Length: > 0 })
            {
                throw new RegistryPathException(file, "already exists, and Registry.Create never writes over an existing file", "open the registry it belongs to with Registry.Open, or give new paths (DatabasePath, KeyStorePath) to create a new one");
            }
        }

        var stream = disk.Open(path, FileShare.None);
        WithdrawalLedger? ledger = null;
        try
        {
            ledger = WithdrawalLedger.Create(ledgerPath, registryId, disk);
            return Start(stream, path, cipher, registryId, ledger);
        }
        catch
        {
            ledger?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing key store and its ledger and checks, without writing anything, that they belong to the
    /// registry key and to the database's registry, that the header is whole and the slots well formed.
    /// </summary>
    public static KeyStore Open(string path, PersonalDataCipher cipher, Guid registryId, IRegistryDisk disk)
    {
        const string Restore = "restore the key store (and its .withdrawals ledger beside it) from the backup taken with this database, or give the KeyStorePath the registry was created with";
        if (!disk.Exists(path))
        {
            throw new KeyStoreMismatchException(path, "the key store that holds the donors' data keys is missing", Restore);
        }

        Stream stream;
        try
        {
            stream = disk.Open(path, FileShare.None); // unbuffered; its Flush is an fsync
        }
        catch (IOException e)
        {
            throw new RegistryInUseException(path, e);
        }

        WithdrawalLedger? ledger = null;
        try
        {
            var header = ReadHeader(stream, path, cipher, registryId, Restore);
            ledger = WithdrawalLedger.Open(WithdrawalLedger.PathFor(path), registryId, disk);
            var store = new KeyStore(stream, path, header, ledger);
            store.CheckSlots(Restore);
            return store;
        }
        catch
        {
            ledger?.Dispose();
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
            _unflushed = true;
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

    /// <summary>Records a withdrawal in the ledger (forced to disk) before the withdrawal commits; a donor already there is not added again.</summary>
    public void RecordWithdrawal(long donorId, DateTimeOffset at)
    {
        lock (_gate)
        {
            Ledger.Append(donorId, at);
        }
    }

    public IReadOnlyList<Withdrawal> Withdrawals() => Ledger.Entries;

    public bool IsWithdrawn(long donorId) => Ledger.Contains(donorId);

    /// <summary>Destroys every key still in a slot of a donor the database or the ledger names as withdrawn, and moves the generation on.</summary>
    public void DestroyKeysOfWithdrawn(IEnumerable<long> withdrawnInDatabase)
    {
        foreach (var id in withdrawnInDatabase.Concat(Ledger.Entries.Select(e => e.DonorId)))
        {
            if (Read(id) is not null || Generation < Ledger.Count)
            {
                Destroy(id);
            }
        }
    }

    /// <summary>Overwrites a slot with zeros, forces it to disk, and moves the generation past every ledger entry whose key is gone.</summary>
    public void Destroy(long slot)
    {
        lock (_gate)
        {
            var offset = Offset(slot);
            if (offset + SlotLength <= _stream.Length)
            {
                _stream.Position = offset;
                _stream.Write(new byte[SlotLength]);
            }

            var generation = Generation;
            while (generation < Ledger.Count && !HasKeyUnlocked(Ledger[(int)generation].DonorId))
            {
                generation++;
            }

            if (generation != Generation)
            {
                BinaryPrimitives.WriteInt64LittleEndian(_header.AsSpan(48, 8), generation);
                Seal(_header);
                _stream.Position = 0;
                _stream.Write(_header);
            }

            FlushToDisk();
        }
    }

    /// <summary>
    /// Forces written slots to disk (fsync), so a committed enrolment never lacks its key; nothing to force when no
    /// slot was written since the last flush (the enrolment's preparing thread may have forced them already).
    /// </summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_unflushed)
            {
                FlushToDisk();
            }
        }
    }

    /// <summary>Copies the key store and its ledger, as they are at one instant, into two new files (a backup).</summary>
    public void CopyTo(string keyStoreCopy, string ledgerCopy)
    {
        lock (_gate)
        {
            FlushToDisk();
            using (var target = new FileStream(keyStoreCopy, FileMode.CreateNew, FileAccess.Write))
            {
                _stream.Position = 0;
                _stream.CopyTo(target);
                target.Flush(flushToDisk: true);
            }

            Ledger.CopyTo(ledgerCopy);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        Ledger.Dispose();
    }

    private static long Offset(long slot) => HeaderLength + (slot * SlotLength);

    private static KeyStore Start(Stream stream, string label, PersonalDataCipher cipher, Guid registryId, WithdrawalLedger ledger)
    {
        var header = new byte[HeaderLength];
        Magic.CopyTo(header, 0);
        cipher.KeyCheck.CopyTo(header, 8);
        Encoding.ASCII.GetBytes(cipher.KeyId).CopyTo(header, 24);
        registryId.TryWriteBytes(header.AsSpan(32, 16));
        Seal(header);
        var store = new KeyStore(stream, label, header, ledger);
        stream.Write(header);
        store.FlushToDisk();
        return store;
    }

    private static void Seal(byte[] header) => SHA256.HashData(header.AsSpan(0, 56))[..8].CopyTo(header, 56);

    private static byte[] ReadHeader(Stream stream, string path, PersonalDataCipher cipher, Guid registryId, string restore)
    {
        var length = stream.Length;
        if (length == 0)
        {
            throw new KeyStoreMismatchException(path, "the key store is empty (0 bytes): it was truncated or replaced", restore);
        }

        if (length < HeaderLength)
        {
            throw new KeyStoreMismatchException(path, $"the key store has {length} bytes, shorter than its {HeaderLength}-byte header: it was truncated", restore);
        }

        var header = new byte[HeaderLength];
        stream.Position = 0;
        stream.ReadExactly(header);
        if (header.AsSpan(0, 8).SequenceEqual(OldMagic))
        {
            throw new KeyStoreMismatchException(path, "the key store has the first format (DRKEYS01), which names no registry id; this library reads DRKEYS02", "create the registry again with this library version and enrol its donors again");
        }

        if (!header.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new KeyStoreMismatchException(path, "the file does not start with the DonorRegistry key-store header", restore);
        }

        if (!header.AsSpan(56, 8).SequenceEqual(SHA256.HashData(header.AsSpan(0, 56)).AsSpan(0, 8)))
        {
            throw new KeyStoreMismatchException(path, "the key store's header is damaged (its checksum does not match)", restore);
        }

        if (!header.AsSpan(8, 16).SequenceEqual(cipher.KeyCheck))
        {
            throw new RegistryKeyMismatchException(path, Encoding.ASCII.GetString(header, 24, 8), cipher.KeyId);
        }

        var found = new Guid(header.AsSpan(32, 16));
        if (found != registryId)
        {
            throw new KeyStoreMismatchException(path, $"the key store belongs to registry {found:N}, but the database is registry {registryId:N} (a key store of another registry with the same registry key)", restore);
        }

        if ((length - HeaderLength) % SlotLength != 0)
        {
            throw new KeyStoreMismatchException(path, $"the key store has {length} bytes, which is not its header and whole {SlotLength}-byte slots: it was truncated", restore);
        }

        return header;
    }

    /// <summary>Every slot is all zeros, or 1 then a wrapped key then zeros; the generation is within the ledger.</summary>
    private void CheckSlots(string restore)
    {
        if (Generation < 0 || Generation > Ledger.Count)
        {
            throw new KeyStoreMismatchException(Ledger.Path, $"the withdrawal ledger lists {Ledger.Count} withdrawals but the key store has destroyed the keys of {Generation}: the ledger is older than the key store or was truncated", restore);
        }

        var buffer = new byte[SlotLength * 1024];
        _stream.Position = HeaderLength;
        long slot = 0;
        int read;
        while ((read = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false)) > 0)
        {
            for (var at = 0; at + SlotLength <= read; at += SlotLength, slot++)
            {
                var s = buffer.AsSpan(at, SlotLength);
                var padding = s[(1 + PersonalDataCipher.WrappedKeyLength)..];
                var wellFormed = s[0] switch
                {
                    0 => !s.ContainsAnyExcept((byte)0),
                    1 => !padding.ContainsAnyExcept((byte)0),
                    _ => false,
                };
                if (!wellFormed)
                {
                    throw new KeyStoreMismatchException(Path, $"the key slot of donor id {slot} is damaged (neither empty nor a well-formed key)", restore);
                }
            }
        }
    }

    private bool HasKeyUnlocked(long slot)
    {
        var offset = Offset(slot);
        if (offset + SlotLength > _stream.Length)
        {
            return false;
        }

        _stream.Position = offset;
        _stream.ReadExactly(_slot);
        return _slot[0] == 1;
    }

    // Inside the gate.
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

        _unflushed = false;
    }
}
