namespace DonorRegistry.Audit;

/// <summary>
/// The reasons the library itself writes on a donor's audit records (<see cref="AuditRecord.Reason"/>), as English
/// text or composite formats (<c>{0}</c>, <c>{1:yyyy-MM-dd}</c>, formatted with the current culture as the library
/// always did). A host may match a stored reason against them to show it in its own language; a reason a person typed
/// (a screening or deferral note, a removal note) is not among them and is shown as typed. The stored text of older
/// records is the same: these constants name the words, they do not change them.
/// </summary>
public static class AuditReasons
{
    /// <summary>A donor listed by the typing import because the donor's drive lists its donors.</summary>
    public const string ListedByDrive = "listed automatically by the donor's drive";

    /// <summary>A deferral ended by a person before its day.</summary>
    public const string DeferralEndedEarly = "ended early";

    /// <summary>A donor's personal data replaced (what changed is not recorded).</summary>
    public const string PersonalDataUpdated = "personal data updated";

    /// <summary>A donor who withdrew consent.</summary>
    public const string ConsentWithdrawn = "consent withdrawn";

    /// <summary>A typing recorded: <c>{0}</c> the lab, <c>{1}</c> the day typed.</summary>
    public const string TypedBy = "typed by {0} on {1:yyyy-MM-dd}";

    /// <summary>A typing recorded from a sample: <c>{0}</c> the lab, <c>{1}</c> the day typed, <c>{2}</c> the barcode.</summary>
    public const string TypedBySample = "typed by {0} on {1:yyyy-MM-dd} ({2})";

    /// <summary>A donor reserved for a case: <c>{0}</c> the case reference.</summary>
    public const string ReservedForCase = "case {0}";

    /// <summary>A reservation released as its case ended: <c>{0}</c> the case reference.</summary>
    public const string CaseEnded = "case {0} ended";

    /// <summary>A donation recorded: <c>{0}</c> the product, <c>{1}</c> the day collected.</summary>
    public const string DonationCollected = "{0} collected {1:yyyy-MM-dd}";

    /// <summary>A donation recorded by the care record: <c>{0}</c> the product, <c>{1}</c> the last day of collection, <c>{2}</c> the centre.</summary>
    public const string DonationCollectedAt = "{0} collected {1:yyyy-MM-dd} at {2}";

    /// <summary>A deferral: <c>{0}</c> its last day, <c>{1}</c> the reason a person gave.</summary>
    public const string DeferredUntil = "until {0:yyyy-MM-dd}: {1}";

    /// <summary>A removal by the calendar (after the removal reason's code <c>DO: </c>): <c>{0}</c> the leaving age.</summary>
    public const string ReachedLeavingAge = "reached the leaving age {0}";

    /// <summary>A deferral ended by the calendar on its day: <c>{0}</c> its last day.</summary>
    public const string DeferralEnded = "deferral until {0:yyyy-MM-dd} ended";

    /// <summary>A recovery period ended by the calendar: <c>{0}</c> its last day.</summary>
    public const string RecoveryEnded = "recovery until {0:yyyy-MM-dd} ended";
}
