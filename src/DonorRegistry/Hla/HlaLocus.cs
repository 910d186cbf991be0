namespace DonorRegistry.Hla;

/// <summary>The HLA loci a registry types. A, B, C, DRB1 and DQB1 are matched; DPB1 is scored but not matched.</summary>
public enum HlaLocus
{
    /// <summary>HLA-A (class I).</summary>
    A = 1,

    /// <summary>HLA-B (class I).</summary>
    B = 2,

    /// <summary>HLA-C (class I).</summary>
    C = 3,

    /// <summary>HLA-DRB1 (class II).</summary>
    DRB1 = 4,

    /// <summary>HLA-DQB1 (class II).</summary>
    DQB1 = 5,

    /// <summary>HLA-DPB1 (class II; scored, not matched).</summary>
    DPB1 = 6,
}
