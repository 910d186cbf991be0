using DonorRegistry.Donors;

namespace DonorRegistry.Care;

/// <summary>
/// A recognition as it may be published: only for donors who consent to publicity now, and, inside the
/// donor–recipient anonymity period, without the collection day and centre, which could identify the recipient.
/// </summary>
/// <param name="Recognition">The recognition.</param>
/// <param name="DonationYear">The year of the donor's last donation.</param>
/// <param name="Product">What the donor gave.</param>
/// <param name="CollectedOn">The last collection day, or null inside the anonymity period.</param>
/// <param name="Centre">The collection centre, or null inside the anonymity period.</param>
/// <param name="AnonymousUntil">The last day of the anonymity period.</param>
public sealed record RecognitionEntry(Recognition Recognition, int DonationYear, DonationProduct Product, DateOnly? CollectedOn, string? Centre, DateOnly AnonymousUntil);
