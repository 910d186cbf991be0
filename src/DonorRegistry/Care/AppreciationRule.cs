namespace DonorRegistry.Care;

/// <summary>
/// One written rule of a branch for appreciation visits: on which occasion, from how many days after the
/// donation (for <see cref="AppreciationOccasion.AfterDonation"/>), how many days a visit may take, and for how
/// many years after the donation the calendar occasions are kept.
/// </summary>
/// <param name="Occasion">The occasion.</param>
/// <param name="DaysAfterDonation">For <see cref="AppreciationOccasion.AfterDonation"/>: the visit is due this many days after the last collection day; ignored otherwise.</param>
/// <param name="WindowDays">How many days after its day a visit is still on time (0: on the day).</param>
/// <param name="Years">For festivals and World Marrow Donor Day: for how many years after the donation; ignored otherwise.</param>
public sealed record AppreciationRule(AppreciationOccasion Occasion, int DaysAfterDonation = 0, int WindowDays = 7, int Years = 1);
