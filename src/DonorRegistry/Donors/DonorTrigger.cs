namespace DonorRegistry.Donors;

/// <summary>What can happen to a donor; each is a domain verb on <see cref="DonorOperations"/>.</summary>
public enum DonorTrigger
{
    /// <summary>The volunteer enrols with consent.</summary>
    Enrol = 1,

    /// <summary>The health screening finds the volunteer ineligible.</summary>
    ScreenOut = 2,

    /// <summary>An ineligible volunteer is screened again and found eligible.</summary>
    Rescreen = 3,

    /// <summary>A blood sample or swab was collected.</summary>
    CollectSample = 4,

    /// <summary>The lab rejected the sample; a new one is needed.</summary>
    RejectSample = 5,

    /// <summary>The lab reported the HLA typing.</summary>
    RecordTyping = 6,

    /// <summary>The typed donor is listed as searchable.</summary>
    List = 7,

    /// <summary>The donor is temporarily unavailable until a date.</summary>
    Defer = 8,

    /// <summary>A deferral ends (on its date, or earlier by a coordinator).</summary>
    EndDeferral = 9,

    /// <summary>A preliminary match reserves the donor for one patient's case.</summary>
    Reserve = 10,

    /// <summary>The case no longer needs the donor.</summary>
    Release = 11,

    /// <summary>The donor donated for the case they were reserved for.</summary>
    RecordDonation = 12,

    /// <summary>The recovery period after a donation is over.</summary>
    EndRecovery = 13,

    /// <summary>The donor leaves the registry with a WMDA reason.</summary>
    Remove = 14,

    /// <summary>A removed donor returns, where the removal reason allows it.</summary>
    Reactivate = 15,

    /// <summary>The donor withdraws consent; allowed from every state.</summary>
    Withdraw = 16,
}
