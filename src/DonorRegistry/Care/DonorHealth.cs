namespace DonorRegistry.Care;

/// <summary>The donor's health at a follow-up.</summary>
public enum DonorHealth
{
    /// <summary>Fully recovered, no complaints.</summary>
    Well = 1,

    /// <summary>Minor complaints (tiredness, aches) that need no care.</summary>
    MinorComplaints = 2,

    /// <summary>Symptoms that need medical attention.</summary>
    NeedsCare = 3,

    /// <summary>A serious condition, possibly related to the donation.</summary>
    Serious = 4,
}
