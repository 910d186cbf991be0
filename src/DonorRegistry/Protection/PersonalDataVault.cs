using System.Security.Cryptography;
using DonorRegistry.Donors;
using DonorRegistry.Storage;

namespace DonorRegistry.Protection;

/// <summary>
/// The donors' personal data: sealed per donor under a data key that the registry key wraps, read back only here,
/// replaced through the change pipeline, and destroyed with the key when a donor withdraws.
/// </summary>
internal sealed class PersonalDataVault(RegistryWrites writes, RegistryOptions options)
{
    private IRegistryStorage Storage => writes.Storage;

    public PersonalData Read(DonorId id)
    {
        var sealedData = Storage.Donors.SealedPersonalData(id) ?? throw new PersonalDataErasedException(id);
        var dataKey = DataKey(id);
        try
        {
            return PersonalDataCipher.Open(id, dataKey, sealedData, Storage.Path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Seals new personal data for a loaded donor inside the write; a national ID another donor holds is refused.</summary>
    public void Replace(Loaded<Donor> donor, PersonalData personal)
    {
        var dataKey = DataKey(donor.Value.Id); // an erased donor is refused first: there is nothing to replace
        try
        {
            DonorInputs.PersonalData(personal, donor.Value.Profile, options.NationalIdFormat);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(dataKey);
            throw;
        }

        try
        {
            var hash = Storage.Cipher.HashNationalId(NationalIdNumber.Normalise(personal.NationalId));
            if (hash != Storage.Donors.IdentityOf(donor) && Storage.Donors.FindByIdentity(hash) is { } other)
            {
                throw new DuplicateDonorException(other, NationalIdNumber.Mask(personal.NationalId));
            }

            Storage.Donors.SetIdentity(donor, hash, PersonalDataCipher.Seal(donor.Value.Id, dataKey, DonorInputs.Normalized(personal)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Forgets the identity hash (the person may enrol again one day) and drops the sealed data, inside the withdrawal's write.</summary>
    public void Erase(Loaded<Donor> donor) => Storage.Donors.SetIdentity(donor, WithdrawnIdentity(donor.Value.Id), null);

    /// <summary>Destroys the donor's data key once the withdrawal has committed (and again on the next open, had the process died here).</summary>
    public void DestroyKey(DonorId id) => Storage.Keys.Destroy(id.Value);

    /// <summary>An identity no national ID hashes to: all ones but the donor's number, so the unique index still holds.</summary>
    private static Guid WithdrawnIdentity(DonorId donor)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes[..8].Fill(0xFF);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes[8..], donor.Value);
        return new Guid(bytes);
    }

    private byte[] DataKey(DonorId id)
    {
        var wrapped = Storage.Keys.Read(id.Value) ?? throw new PersonalDataErasedException(id);
        return Storage.Cipher.UnwrapDataKey(id, wrapped, Storage.Keys.Path);
    }
}
