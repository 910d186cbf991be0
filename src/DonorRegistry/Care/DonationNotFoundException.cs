namespace DonorRegistry.Care;

/// <summary>Thrown when a donation number names no donation in the registry.</summary>
public sealed class DonationNotFoundException : NotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="donation">The number that was not found.</param>
    public DonationNotFoundException(string donation)
        : base(AggregateKind.Donation, donation, $"No donation '{Guard.Prefix(donation)}' is in this registry; donation numbers look like DON-00000001.")
    {
        Donation = donation;
    }

    /// <summary>The number that was not found.</summary>
    public string Donation { get; }
}
