using DonorRegistry.Donors;

namespace DonorRegistry;

/// <summary>
/// Thrown when an operation expected a donor at one version and another writer has changed it since.
/// Nothing is stored; reload the donor and decide again.
/// </summary>
public sealed class ConcurrentUpdateException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="donorId">The donor.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="actualVersion">The version now stored.</param>
    public ConcurrentUpdateException(DonorId donorId, int expectedVersion, int actualVersion)
        : base($"Donor {donorId} was expected at version {expectedVersion} but is at version {actualVersion}: someone else changed it. Reload the donor and try again.")
    {
        DonorId = donorId;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The donor.</summary>
    public DonorId DonorId { get; }

    /// <summary>The version the caller read.</summary>
    public int ExpectedVersion { get; }

    /// <summary>The version now stored.</summary>
    public int ActualVersion { get; }
}
