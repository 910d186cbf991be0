namespace DonorRegistry.Donors;

/// <summary>What was collected from a donor.</summary>
public enum DonationProduct
{
    /// <summary>Peripheral blood stem cells by apheresis after G-CSF mobilization.</summary>
    Pbsc = 1,

    /// <summary>Bone marrow harvest.</summary>
    BoneMarrow = 2,

    /// <summary>Donor lymphocytes (DLI), usually a later donation to the same patient.</summary>
    Lymphocytes = 3,
}
