namespace DonorRegistry.Samples;

/// <summary>What was collected for HLA typing.</summary>
public enum SampleKind
{
    /// <summary>A 5–8 ml EDTA blood tube.</summary>
    BloodEdta = 1,

    /// <summary>A buccal (cheek) swab.</summary>
    BuccalSwab = 2,
}
