namespace DonorRegistry.Care;

/// <summary>How a donor is thanked in public (表彰).</summary>
public enum RecognitionKind
{
    /// <summary>A certificate of honour.</summary>
    Certificate = 1,

    /// <summary>An honour title, such as a city's "outstanding volunteer".</summary>
    HonourTitle = 2,

    /// <summary>The donor's story told on World Marrow Donor Day.</summary>
    WorldMarrowDonorDayStory = 3,
}
