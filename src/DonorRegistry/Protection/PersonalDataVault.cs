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
    private readonly IdentityCheck _identities = new(writes.Storage, options.NationalIdFormat);

    private IRegistryStorage Storage => writes.Storage;

    /// <summary>The donor enrolled with a national ID, confirmed under their own data key; withdrawn donors are never found.</summary>
    public DonorId? FindByNationalId(string nationalId)
    {
        var normalised = NationalIdNumber.Normalise(nationalId);
        return _identities.FindHolder(normalised, _identities.IdentityOf(normalised));
    }

    public PersonalData Read(DonorId id)
    {
        var sealedData = Storage.Donors.SealedPersonalData(id) ?? throw new PersonalDataErasedException(id);
        var dataKey = Storage.Keys.Read(id.Value) is { } wrapped
            ? Storage.Cipher.UnwrapDataKey(id, wrapped, Storage.Keys.Path)
            : throw new KeyStoreMismatchException(
                Storage.Keys.Path,
                $"the key slot of donor {id} is empty, but the database holds their sealed personal data (only a withdrawal empties a slot, and it drops the data first): the key store was damaged or replaced",
                "restore the key store and its .withdrawals ledger from the newest copy, then open the registry again");
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
            var normalised = NationalIdNumber.Normalise(personal.NationalId);
            var identity = _identities.IdentityOf(normalised);
            if (_identities.FindHolder(normalised, identity, except: donor.Value.Id) is { } other)
            {
                throw new DuplicateDonorException(other, NationalIdNumber.Mask(personal.NationalId));
            }

            Storage.Donors.SetIdentity(donor, identity, PersonalDataCipher.Seal(donor.Value.Id, dataKey, DonorInputs.Normalized(personal)), NationalIdNumber.Proof(dataKey, normalised));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// Inside the withdrawal's write: records the withdrawal in the ledger (forced to disk before the commit, so the
    /// ledger holds every withdrawal the database holds), forgets the identity hash (the person may enrol again one
    /// day) and drops the sealed data.
    /// </summary>
    public void Erase(Loaded<Donor> donor)
    {
        Storage.Keys.RecordWithdrawal(donor.Value.Id.Value, writes.Pipeline.Time.GetUtcNow());
        Storage.Donors.SetIdentity(donor, WithdrawnIdentity(donor.Value.Id), null);
    }

    /// <summary>Destroys the donor's data key once the withdrawal has committed (and again on the next open, had the process died here).</summary>
    public void DestroyKey(DonorId id) => Storage.Keys.Destroy(id.Value);

    /// <summary>
    /// An identity no national ID has: all ones but the donor's number (no candidate lookup ever asks for it, so its
    /// fingerprint, the donor's number too, only has to be the same at every write).
    /// </summary>
    private static NationalIdentity WithdrawnIdentity(DonorId donor)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes[..8].Fill(0xFF);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes[8..], donor.Value);
        return new(new Guid(bytes), (ulong)donor.Value);
    }

    private byte[] DataKey(DonorId id)
    {
        var wrapped = Storage.Keys.Read(id.Value) ?? throw new PersonalDataErasedException(id);
        return Storage.Cipher.UnwrapDataKey(id, wrapped, Storage.Keys.Path);
    }
}
