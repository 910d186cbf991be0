namespace DonorRegistry.Donors;

/// <summary>Cytomegalovirus serostatus (a search prefers a donor whose status matches the patient's).</summary>
public enum CmvStatus
{
    /// <summary>Not yet tested.</summary>
    Unknown = 0,

    /// <summary>CMV IgG negative.</summary>
    Negative = 1,

    /// <summary>CMV IgG positive.</summary>
    Positive = 2,
}
