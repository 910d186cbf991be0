using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using DonorRegistry.Donors;

namespace DonorRegistry.Protection;

/// <summary>
/// Envelope encryption of personal data: each donor's data is sealed with AES-256-GCM under the
/// donor's own random data key; the data key is sealed under a key derived from the registry key.
/// Both bind the donor id as associated data, so a blob moved to another donor does not open.
/// </summary>
internal sealed class PersonalDataCipher : IDisposable
{
    public const int DataKeyLength = 32;
    public const int WrappedKeyLength = NonceLength + DataKeyLength + TagLength;
    public const int NonceLength = 12;
    private const int TagLength = 16;
    private const byte BlobVersion = 1;

    // One keyed HMAC per thread for the national-ID hash: setting up the key costs more than hashing an ID.
    private readonly ThreadLocal<IncrementalHash> _nationalIdHmac;

    // One AES-GCM instance per thread for the wrapping key: setting up a key costs more than sealing 32 bytes.
    private readonly ThreadLocal<AesGcm> _wrapper;

    public PersonalDataCipher(RegistryKey registryKey)
    {
        var wrappingKey = registryKey.Derive("dek-wrap");
        _wrapper = new ThreadLocal<AesGcm>(() => new AesGcm(wrappingKey, TagLength), trackAllValues: true);
        var nationalIdKey = registryKey.Derive("national-id");
        _nationalIdHmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, nationalIdKey), trackAllValues: true);
        KeyCheck = registryKey.Derive("key-check")[..16];
        KeyId = registryKey.KeyId;
    }

    /// <summary>A value stored with the registry to recognise the right key on open.</summary>
    public byte[] KeyCheck { get; }

    public string KeyId { get; }

    public void Dispose()
    {
        foreach (var aes in _wrapper.Values)
        {
            aes.Dispose();
        }

        _wrapper.Dispose();
        foreach (var hmac in _nationalIdHmac.Values)
        {
            hmac.Dispose();
        }

        _nationalIdHmac.Dispose();
    }

    public byte[] WrapDataKey(DonorId id, ReadOnlySpan<byte> dataKey)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        RandomNumberGenerator.Fill(nonce);
        return WrapDataKey(id, dataKey, nonce);
    }

    /// <summary>Wraps a donor's data key with a random <paramref name="nonce"/> the caller drew (<see cref="DataKeyBatch"/>).</summary>
    public byte[] WrapDataKey(DonorId id, ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException($"A nonce has {NonceLength} bytes.", nameof(nonce));
        }

        var wrapped = new byte[WrappedKeyLength];
        nonce.CopyTo(wrapped);
        _wrapper.Value!.Encrypt(nonce, dataKey, wrapped.AsSpan(NonceLength, DataKeyLength), wrapped.AsSpan(NonceLength + DataKeyLength), Aad(id, 'k', stackalloc byte[9]));
        return wrapped;
    }

    /// <summary>Opens a donor's wrapped data key; a slot that does not open under this registry key is damage.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="wrapped">The slot's wrapped key.</param>
    /// <param name="keyStorePath">The key store the slot came from, for the message.</param>
    /// <exception cref="RegistryDamagedException">The slot was changed, or sealed under another registry key.</exception>
    public byte[] UnwrapDataKey(DonorId id, ReadOnlySpan<byte> wrapped, string keyStorePath)
    {
        var dataKey = new byte[DataKeyLength];
        try
        {
            if (wrapped.Length != WrappedKeyLength)
            {
                throw new CryptographicException($"The slot holds {wrapped.Length} bytes, not {WrappedKeyLength}.");
            }

            _wrapper.Value!.Decrypt(wrapped[..NonceLength], wrapped.Slice(NonceLength, DataKeyLength), wrapped.Slice(NonceLength + DataKeyLength, TagLength), dataKey, Aad(id, 'k', stackalloc byte[9]));
            return dataKey;
        }
        catch (CryptographicException e)
        {
            CryptographicOperations.ZeroMemory(dataKey);
            throw new RegistryDamagedException(keyStorePath, "key slots", id.ToString(), "a data key sealed for this donor under this registry key", e);
        }
    }

    public static byte[] Seal(DonorId id, ReadOnlySpan<byte> dataKey, PersonalData data)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        RandomNumberGenerator.Fill(nonce);
        return Seal(id, dataKey, data, nonce);
    }

    /// <summary>Seals a donor's personal data with a random <paramref name="nonce"/> the caller drew (<see cref="DataKeyBatch"/>).</summary>
    public static byte[] Seal(DonorId id, ReadOnlySpan<byte> dataKey, PersonalData data, ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException($"A nonce has {NonceLength} bytes.", nameof(nonce));
        }

        var plain = JsonSerializer.SerializeToUtf8Bytes(data, ProtectionJsonContext.Default.PersonalData);
        var blob = new byte[1 + NonceLength + TagLength + plain.Length];
        blob[0] = BlobVersion;
        nonce.CopyTo(blob.AsSpan(1, NonceLength));
        using var aes = new AesGcm(dataKey, TagLength);
        aes.Encrypt(nonce, plain, blob.AsSpan(1 + NonceLength + TagLength), blob.AsSpan(1 + NonceLength, TagLength), Aad(id, 'p', stackalloc byte[9]));
        CryptographicOperations.ZeroMemory(plain);
        return blob;
    }

    /// <summary>Opens a donor's sealed personal data; a blob that does not open under the donor's data key is damage.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="dataKey">The donor's data key.</param>
    /// <param name="blob">The sealed personal data.</param>
    /// <param name="databasePath">The database the blob came from, for the message.</param>
    /// <exception cref="RegistryDamagedException">The blob was changed, belongs to another donor, or does not decode.</exception>
    public static PersonalData Open(DonorId id, ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> blob, string databasePath)
    {
        if (blob.Length < 1 + NonceLength + TagLength || blob[0] != BlobVersion)
        {
            throw Damaged(databasePath, id, $"sealed personal data of format {BlobVersion}, at least {1 + NonceLength + TagLength} bytes long", null);
        }

        var plain = new byte[blob.Length - 1 - NonceLength - TagLength];
        try
        {
            using var aes = new AesGcm(dataKey, TagLength);
            aes.Decrypt(blob.Slice(1, NonceLength), blob[(1 + NonceLength + TagLength)..], blob.Slice(1 + NonceLength, TagLength), plain, Aad(id, 'p', stackalloc byte[9]));
            return JsonSerializer.Deserialize(plain, ProtectionJsonContext.Default.PersonalData)
                   ?? throw Damaged(databasePath, id, "sealed personal data that is not empty", null);
        }
        catch (Exception e) when (e is CryptographicException or JsonException or ArgumentException)
        {
            throw Damaged(databasePath, id, "personal data sealed for this donor under the donor's data key", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    private static RegistryDamagedException Damaged(string path, DonorId id, string expected, Exception? inner) =>
        new(path, "donors (sealed personal data)", id.ToString(), expected, inner);

    /// <summary>
    /// A keyed hash of the normalised national ID (HMAC-SHA256, first 128 bits, as a Guid so LiteDB compares
    /// it fast): equal IDs give equal hashes, and without the registry key the hash reveals nothing.
    /// </summary>
    public Guid HashNationalId(string normalisedNationalId)
    {
        Span<byte> mac = stackalloc byte[32];
        NationalIdNumber.Mac(_nationalIdHmac.Value!, normalisedNationalId, mac);
        return new Guid(mac[..16]);
    }

    private static ReadOnlySpan<byte> Aad(DonorId id, char purpose, Span<byte> aad)
    {
        aad[0] = (byte)purpose;
        BinaryPrimitives.WriteInt64BigEndian(aad[1..], id.Value);
        return aad[..9];
    }
}

[JsonSerializable(typeof(PersonalData))]
internal sealed partial class ProtectionJsonContext : JsonSerializerContext;
