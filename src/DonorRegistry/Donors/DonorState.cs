namespace DonorRegistry.Donors;

/// <summary>Where a donor is in their life with the registry. See <see cref="DonorLifecycle"/> for the transitions.</summary>
public enum DonorState
{
    /// <summary>Heard a lecture or registered interest; not yet enrolled.</summary>
    Prospect = 0,

    /// <summary>Enrolled with consent and a health questionnaire; waiting for a sample.</summary>
    Enrolled = 1,

    /// <summary>Screened out; terminal unless re-screened.</summary>
    Ineligible = 2,

    /// <summary>A blood sample (or swab) was collected and is on its way to typing.</summary>
    SampleCollected = 3,

    /// <summary>HLA typing is back from the lab; not yet searchable.</summary>
    Typed = 4,

    /// <summary>Listed and searchable (WMDA <c>AV</c>).</summary>
    Available = 5,

    /// <summary>Listed but deferred until a date (WMDA <c>TU</c>).</summary>
    TemporarilyUnavailable = 6,

    /// <summary>Reserved for one patient's case (WMDA <c>RS</c>, or <c>OP</c> to other searches).</summary>
    Reserved = 7,

    /// <summary>Donated; resting until the recovery period ends (WMDA <c>TU</c>).</summary>
    Donated = 8,

    /// <summary>Removed from the registry with a WMDA reason (WMDA <c>DE</c>).</summary>
    Removed = 9,

    /// <summary>Withdrew consent; personal data erased, statistics kept. Terminal.</summary>
    Withdrawn = 10,
}
