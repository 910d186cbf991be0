using DonorRegistry.Donors;

namespace DonorRegistry;

/// <summary>
/// Thrown when an enrolment names a national ID that an enrolled donor already has. The check uses a
/// keyed hash, so no personal data is decrypted to make it.
/// </summary>
public sealed class DuplicateDonorException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="existingDonorId">The donor already registered with that national ID, if it is stored.</param>
    /// <param name="maskedNationalId">The national ID with its middle digits masked.</param>
    public DuplicateDonorException(DonorId? existingDonorId, string maskedNationalId)
        : base(existingDonorId is { } existing
            ? $"National ID '{maskedNationalId}' is already registered as donor {existing}; a person enrols once. Update that donor instead."
            : $"National ID '{maskedNationalId}' appears twice in this batch; a person enrols once.")
    {
        ExistingDonorId = existingDonorId;
        MaskedNationalId = maskedNationalId;
    }

    /// <summary>The donor already registered with that national ID; null when the duplicate is inside one batch.</summary>
    public DonorId? ExistingDonorId { get; }

    /// <summary>The national ID with its middle digits masked.</summary>
    public string MaskedNationalId { get; }
}
