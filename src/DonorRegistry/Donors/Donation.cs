namespace DonorRegistry.Donors;

/// <summary>A completed collection, as the donor's record keeps it.</summary>
/// <param name="Case">The case the donation was for.</param>
/// <param name="Product">What was collected.</param>
/// <param name="CollectedOn">The day of collection.</param>
public sealed record Donation(CaseReference Case, DonationProduct Product, DateOnly CollectedOn);
