using System.Security.Cryptography;

namespace DonorRegistry.Protection;

/// <summary>
/// The random bytes a chunk of new donors needs, drawn from the system's cryptographic generator in one call rather
/// than three per donor: each donor's new data key, the nonce its personal data is sealed with, and the nonce its data
/// key is wrapped with. The bytes are the same generator's as one call per value would give, so nothing is weaker;
/// the buffer holds data keys and is zeroed on <see cref="Dispose"/>. Not for sharing across threads.
/// </summary>
internal sealed class DataKeyBatch : IDisposable
{
    private const int PerDonor = PersonalDataCipher.DataKeyLength + (2 * PersonalDataCipher.NonceLength);

    private readonly byte[] _random;

    public DataKeyBatch(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _random = GC.AllocateUninitializedArray<byte>(count * PerDonor, pinned: true);
        RandomNumberGenerator.Fill(_random);
    }

    /// <summary>How many donors' values the batch holds.</summary>
    public int Count { get; }

    /// <summary>Donor <paramref name="index"/>'s new data key.</summary>
    public ReadOnlySpan<byte> DataKey(int index) => Slice(index, 0, PersonalDataCipher.DataKeyLength);

    /// <summary>The nonce donor <paramref name="index"/>'s personal data is sealed with.</summary>
    public ReadOnlySpan<byte> SealNonce(int index) => Slice(index, PersonalDataCipher.DataKeyLength, PersonalDataCipher.NonceLength);

    /// <summary>The nonce donor <paramref name="index"/>'s data key is wrapped with.</summary>
    public ReadOnlySpan<byte> WrapNonce(int index) => Slice(index, PersonalDataCipher.DataKeyLength + PersonalDataCipher.NonceLength, PersonalDataCipher.NonceLength);

    public void Dispose() => CryptographicOperations.ZeroMemory(_random);

    private ReadOnlySpan<byte> Slice(int index, int offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _random.AsSpan((index * PerDonor) + offset, length);
    }
}
