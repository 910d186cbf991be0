namespace DonorRegistry.Cases;

/// <summary>What can happen to a match case; each is a verb on <see cref="CaseOperations"/>.</summary>
public enum CaseTrigger
{
    /// <summary>The coordinator reached the donor.</summary>
    ContactDonor = 1,

    /// <summary>The donor declined.</summary>
    RecordDecline = 2,

    /// <summary>The donor consented.</summary>
    RecordConsent = 3,

    /// <summary>A confirmatory-typing sample was requested (EMDIS SMP_REQ).</summary>
    RequestCtSample = 4,

    /// <summary>The confirmatory typing came back and agrees (EMDIS TYP_REQ answered).</summary>
    RecordCtTyping = 5,

    /// <summary>The transplant centre selected the donor.</summary>
    Select = 6,

    /// <summary>Work-up was requested (EMDIS WOR_REQ).</summary>
    RequestWorkup = 7,

    /// <summary>The information session was held.</summary>
    HoldInformationSession = 8,

    /// <summary>The medical examination was done.</summary>
    RecordMedicalExam = 9,

    /// <summary>The donor was cleared.</summary>
    Clear = 10,

    /// <summary>G-CSF mobilization started.</summary>
    StartMobilization = 11,

    /// <summary>Apheresis started.</summary>
    StartApheresis = 12,

    /// <summary>The marrow harvest started.</summary>
    StartMarrowHarvest = 13,

    /// <summary>The product was collected.</summary>
    RecordCollection = 14,

    /// <summary>The product was delivered.</summary>
    DeliverProduct = 15,

    /// <summary>The case was closed.</summary>
    Close = 16,

    /// <summary>The case was cancelled (patient status, donor deferral, discrepant typing, ...).</summary>
    Cancel = 17,
}
