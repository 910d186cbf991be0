using System.Security.Cryptography;

namespace DonorRegistry;

/// <summary>
/// The registry's master key (256 bits). It wraps every donor's data key and keys the national-ID
/// hash. Keep it outside the database file (a secrets store, an environment variable, a key file
/// with tight permissions): whoever has the file and this key can read the personal data.
/// </summary>
public sealed class RegistryKey
{
    /// <summary>The key length in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _bytes;

    private RegistryKey(byte[] bytes)
    {
        _bytes = bytes;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(Derive("key-id"))[..4]);
    }

    /// <summary>A short public fingerprint of the key (8 hex digits) that error messages use; it reveals nothing of the key.</summary>
    public string KeyId { get; }

    /// <summary>Generates a new random key.</summary>
    /// <returns>The key.</returns>
    public static RegistryKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Uses the given 32 bytes as the key.</summary>
    /// <param name="key">Exactly 32 bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="RegistryValidationException">The key is not 32 bytes long.</exception>
    public static RegistryKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
        {
            throw new RegistryValidationException(nameof(key), null, "is not allowed", $"A registry key is {Length} bytes; {key.Length} bytes were given.", $"A registry key is {Length} bytes; {key.Length} bytes were given.");
        }

        return new RegistryKey(key.ToArray());
    }

    /// <summary>Reads a key written with <see cref="ToBase64"/>.</summary>
    /// <param name="base64">Base64 text of 32 bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="RegistryValidationException">The text is not base64 of 32 bytes.</exception>
    public static RegistryKey FromBase64(string base64)
    {
        Guard.NotNull(base64, nameof(base64), "give a value; null is not allowed");
        var buffer = new byte[Length + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written != Length)
        {
            throw new RegistryValidationException(nameof(base64), null, "is not allowed", $"The registry key must be base64 text of {Length} bytes (44 characters); the text given is not.", $"The registry key must be base64 text of {Length} bytes (44 characters); the text given is not.");
        }

        return new RegistryKey(buffer[..Length]);
    }

    /// <summary>The key as base64 text, for storing it in a secrets store.</summary>
    /// <returns>Base64 text.</returns>
    public string ToBase64() => Convert.ToBase64String(_bytes);

    /// <summary>Shows the key id, never the key.</summary>
    /// <returns>Text naming the key id.</returns>
    public override string ToString() => $"RegistryKey {KeyId}";

    /// <summary>Derives a purpose-specific subkey, so one master key never serves two purposes directly.</summary>
    internal byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _bytes, Length, salt: [], info: System.Text.Encoding.UTF8.GetBytes("DonorRegistry/v1/" + purpose));
}
