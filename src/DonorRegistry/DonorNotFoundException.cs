using DonorRegistry.Donors;

namespace DonorRegistry;

/// <summary>Thrown when an operation names a donor id that the registry does not hold.</summary>
public sealed class DonorNotFoundException : NotFoundException
{
    /// <summary>Creates the exception for <paramref name="donorId"/>.</summary>
    /// <param name="donorId">The id that was not found.</param>
    public DonorNotFoundException(DonorId donorId)
        : base(AggregateKind.Donor, donorId.ToString(), $"No donor {donorId} is in this registry. Use an id returned by Enrol or found by a query.")
    {
        DonorId = donorId;
    }

    /// <summary>The id that was not found.</summary>
    public DonorId DonorId { get; }
}
