using DonorRegistry.Donors;

namespace DonorRegistry;

/// <summary>
/// Thrown when personal data is asked for a donor who withdrew consent: the data key was destroyed,
/// so the data cannot be read from this file or from any copy of it.
/// </summary>
public sealed class PersonalDataErasedException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="donorId">The donor.</param>
    public PersonalDataErasedException(DonorId donorId)
        : base($"Donor {donorId} withdrew consent and their personal data was erased; only the anonymous lifecycle and statistics remain.")
    {
        DonorId = donorId;
    }

    /// <summary>The donor.</summary>
    public DonorId DonorId { get; }
}
