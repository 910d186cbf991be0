namespace DonorRegistry.Care;

/// <summary>When a coordinator visits and thanks a donor (慰问).</summary>
public enum AppreciationOccasion
{
    /// <summary>At the collection itself.</summary>
    AtDonation = 1,

    /// <summary>After the donation, within the days the rule gives.</summary>
    AfterDonation = 2,

    /// <summary>At Spring Festival (春节), lunar 1/1.</summary>
    SpringFestival = 3,

    /// <summary>At Mid-Autumn Festival (中秋节), lunar 8/15.</summary>
    MidAutumnFestival = 4,

    /// <summary>On World Marrow Donor Day, the third Saturday of September.</summary>
    WorldMarrowDonorDay = 5,
}
