namespace DonorRegistry.Donors;

/// <summary>A completed collection, as the donor's record keeps it.</summary>
/// <param name="Case">The case the donation was for.</param>
/// <param name="Product">What was collected.</param>
/// <param name="CollectedOn">The day of collection.</param>
public sealed record Donation(CaseReference Case, DonationProduct Product, DateOnly CollectedOn)
{
    /// <summary>One line a person can read: <c>Pbsc collected 2026-08-05 for CASE-0007</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Product} collected {Readable.Day(CollectedOn)} for {Case}";
}
