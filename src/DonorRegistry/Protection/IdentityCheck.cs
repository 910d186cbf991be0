using System.Security.Cryptography;
using DonorRegistry.Donors;
using DonorRegistry.Storage;

namespace DonorRegistry.Protection;

/// <summary>
/// The duplicate-person check (ADR 12): the stored identity is coarse on purpose (a resident ID's birth day, sex
/// and 4 bits of the keyed hash), so a lookup finds a few candidates; each is confirmed with the proof under its own
/// data key. A withdrawn donor has neither proof nor key, so neither this file nor any backup of it confirms their
/// number.
/// </summary>
internal sealed class IdentityCheck(IRegistryStorage storage, NationalIdFormat format)
{
    /// <summary>The stored identity of a national ID (normalised).</summary>
    public NationalIdentity IdentityOf(string normalised) =>
        NationalIdNumber.IdentityOf(normalised, storage.Cipher.HashNationalId(normalised), format);

    /// <summary>The donor who holds this national ID (normalised), if any; <paramref name="except"/> is left out (the donor being updated).</summary>
    public DonorId? FindHolder(string normalised, NationalIdentity identity, DonorId? except = null) =>
        Confirm(storage.Donors.FindByIdentity(identity), normalised, except);

    /// <summary>
    /// The first of a batch's national IDs (normalised, with their identities) that a donor already holds, as its
    /// index and the holder; the candidates of the whole batch are read at once.
    /// </summary>
    public (int Index, DonorId Holder)? FindFirstHeld(IReadOnlyList<string> normalised, IReadOnlyList<NationalIdentity> identities)
    {
        var candidates = storage.Donors.FindByIdentities(identities);
        for (var i = 0; i < identities.Count; i++)
        {
            if (candidates.TryGetValue(identities[i].Stored, out var found) && Confirm(found, normalised[i], except: null) is { } holder)
            {
                return (i, holder);
            }
        }

        return null;
    }

    private DonorId? Confirm(IReadOnlyList<IdentityCandidate> candidates, string normalised, DonorId? except)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.Id == except || candidate.Proof is null || storage.Keys.Read(candidate.Id.Value) is not { } wrapped)
            {
                continue;
            }

            var dataKey = storage.Cipher.UnwrapDataKey(candidate.Id, wrapped, storage.Keys.Path);
            try
            {
                if (CryptographicOperations.FixedTimeEquals(NationalIdNumber.Proof(dataKey, normalised), candidate.Proof))
                {
                    return candidate.Id;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        }

        return null;
    }
}
