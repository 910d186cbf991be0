namespace DonorRegistry.Cases;

/// <summary>Where a match case is, from the potential match to the delivered product. See <see cref="CaseLifecycle"/>.</summary>
public enum CaseState
{
    /// <summary>A search found the donor; the donor is reserved for this case.</summary>
    PotentialMatch = 0,

    /// <summary>The coordinator reached the donor.</summary>
    DonorContacted = 1,

    /// <summary>The donor declined. Terminal; the donor is released.</summary>
    Declined = 2,

    /// <summary>The donor consented to continue.</summary>
    Consented = 3,

    /// <summary>A fresh sample was requested for confirmatory (high-resolution) typing.</summary>
    CtSampleRequested = 4,

    /// <summary>The confirmatory typing agrees with the listed typing.</summary>
    CtTyped = 5,

    /// <summary>The transplant centre selected this donor.</summary>
    Selected = 6,

    /// <summary>Work-up was requested.</summary>
    WorkupRequested = 7,

    /// <summary>The donor attended the information session.</summary>
    InformationSession = 8,

    /// <summary>The medical examination was done (with infectious-disease markers).</summary>
    MedicalExam = 9,

    /// <summary>The donor was cleared to donate.</summary>
    Cleared = 10,

    /// <summary>G-CSF mobilization (about five days) before apheresis.</summary>
    Mobilizing = 11,

    /// <summary>Peripheral blood stem cell collection by apheresis.</summary>
    Apheresis = 12,

    /// <summary>Bone marrow harvest.</summary>
    MarrowHarvest = 13,

    /// <summary>The product was collected; the donor is recorded as having donated.</summary>
    Collected = 14,

    /// <summary>The product reached the transplant centre.</summary>
    ProductDelivered = 15,

    /// <summary>The case is closed after delivery. Terminal.</summary>
    Closed = 16,

    /// <summary>Cancelled at some step, with a reason. Terminal; a reserved donor is released.</summary>
    Cancelled = 17,
}
