namespace DonorRegistry.Care;

/// <summary>An appreciation visit that is due, with the donation it belongs to.</summary>
/// <param name="Donation">The donation record (the donor is <c>Donation.Donor</c>).</param>
/// <param name="Visit">The visit.</param>
public sealed record DueVisit(DonationRecord Donation, AppreciationVisit Visit)
{
    /// <summary>One line a person can read: the donor, the donation and the visit.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Donation.Donor} ({Donation.Id}): {Visit}";
}
