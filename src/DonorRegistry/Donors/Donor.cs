namespace DonorRegistry.Donors;

/// <summary>
/// A donor as the registry holds them: the anonymous profile, where they are in their lifecycle,
/// and the details of that state. Personal data is held apart, encrypted; ask
/// <see cref="DonorOperations.GetPersonalData"/> for it. A <see cref="Donor"/> is a snapshot: every
/// operation returns a new one.
/// </summary>
public sealed class Donor : Storage.IAggregate
{
    internal Donor(DonorId id, DonorProfile profile, DateTimeOffset enrolledAt)
    {
        Id = id;
        Profile = profile;
        EnrolledAt = enrolledAt;
        StateSince = enrolledAt;
        State = DonorState.Prospect;
    }

    /// <summary>The registry id.</summary>
    public DonorId Id { get; }

    /// <summary>How many changes were stored; each has one audit record. Pass it back as <c>expectedVersion</c> to detect concurrent changes.</summary>
    public int Version { get; internal set; }

    /// <summary>Where the donor is in their lifecycle.</summary>
    public DonorState State { get; internal set; }

    /// <summary>The non-identifying profile.</summary>
    public DonorProfile Profile { get; internal set; }

    /// <summary>When the donor enrolled.</summary>
    public DateTimeOffset EnrolledAt { get; }

    /// <summary>When the donor entered <see cref="State"/>.</summary>
    public DateTimeOffset StateSince { get; internal set; }

    /// <summary>Why the donor is in this state, when the step that led here gave a reason (screening, sample rejection, deferral, removal).</summary>
    public string? StatusNote { get; internal set; }

    /// <summary>The sample reference (tube barcode) of the last collected sample, while it is with the lab.</summary>
    public string? SampleReference { get; internal set; }

    /// <summary>The HLA typing as the lab reported it; erased on withdrawal.</summary>
    public TypingResult? Typing { get; internal set; }

    /// <summary>The last day of a temporary deferral; the donor is available again the day after.</summary>
    public DateOnly? DeferredUntil { get; internal set; }

    /// <summary>The case the donor is reserved for.</summary>
    public CaseReference? ReservedFor { get; internal set; }

    /// <summary>The last donation.</summary>
    public Donation? LastDonation { get; internal set; }

    /// <summary>The day the rest after the last donation ends; from then the donor may be available again.</summary>
    public DateOnly? RecoveryUntil { get; internal set; }

    /// <summary>The WMDA reason the donor was removed for.</summary>
    public RemovalReason? Removal { get; internal set; }

    /// <summary>The day the donor was first listed as searchable (entered the registry, 入库), or null if never.</summary>
    public DateOnly? FirstListedOn { get; internal set; }

    /// <summary>The day the donor was removed, or withdrew.</summary>
    public DateOnly? RemovedOn { get; internal set; }

    /// <summary>Whether the donor withdrew and their personal data, typing and exact birth date were erased.</summary>
    public bool PersonalDataErased { get; internal set; }

    /// <summary>The donor's WMDA status code, or null while not yet listed (or ineligible).</summary>
    public WmdaStatus? WmdaStatus => State switch
    {
        DonorState.Available => Donors.WmdaStatus.AV,
        DonorState.TemporarilyUnavailable or DonorState.Donated => Donors.WmdaStatus.TU,
        DonorState.Reserved => Donors.WmdaStatus.RS,
        DonorState.Removed or DonorState.Withdrawn => Donors.WmdaStatus.DE,
        _ => null,
    };

    /// <summary>
    /// The WMDA status as seen by a given case: a reserved donor is <c>RS</c> to the case that reserved
    /// them and <c>OP</c> (reserved for another patient) to every other case.
    /// </summary>
    /// <param name="case">The case asking.</param>
    /// <returns>The status code, or null while not yet listed.</returns>
    public WmdaStatus? WmdaStatusFor(CaseReference @case) =>
        WmdaStatus == Donors.WmdaStatus.RS && ReservedFor != @case ? Donors.WmdaStatus.OP : WmdaStatus;

    /// <summary>The donor's age in whole years on a day.</summary>
    /// <param name="day">The day.</param>
    /// <returns>The age.</returns>
    public int AgeOn(DateOnly day) => EligibilityPolicy.AgeOn(Profile.BirthDate, day);

    /// <inheritdoc />
    public override string ToString() => $"{Id} {State} v{Version}";

    // Behaviour called by the lifecycle's entry actions; nothing else changes a donor's state details.

    internal void MarkIneligible(string reason) => StatusNote = reason;

    internal void ClearIneligibility() => StatusNote = null;

    internal void CollectSample(string? sampleReference)
    {
        SampleReference = sampleReference;
        StatusNote = null;
    }

    internal void RejectSample(string reason)
    {
        SampleReference = null;
        StatusNote = $"sample rejected: {reason}";
    }

    internal void RecordTyping(TypingResult typing)
    {
        Typing = typing;
        SampleReference = null;
    }

    internal void MakeAvailable()
    {
        StatusNote = null;
        DeferredUntil = null;
        ReservedFor = null;
        RecoveryUntil = null;
        Removal = null;
        RemovedOn = null;
    }

    internal void Defer(DateOnly until, string reason)
    {
        DeferredUntil = until;
        StatusNote = reason;
        ReservedFor = null;
    }

    internal void Reserve(CaseReference @case) => ReservedFor = @case;

    internal void RecordDonation(Donation donation, DateOnly recoveryUntil)
    {
        LastDonation = donation;
        RecoveryUntil = recoveryUntil;
        ReservedFor = null;
    }

    internal void Remove(RemovalReason reason, string? note, DateOnly on)
    {
        Removal = reason;
        RemovedOn = on;
        StatusNote = note;
        DeferredUntil = null;
        ReservedFor = null;
    }

    internal void Erase(DateOnly on)
    {
        // Keep only what statistics need: sex, birth year (as mid-year), blood groups, drive, and the dated history.
        Profile = Profile with { BirthDate = new DateOnly(Profile.BirthDate.Year, 7, 1) };
        Typing = null;
        SampleReference = null;
        StatusNote = null;
        DeferredUntil = null;
        ReservedFor = null;
        RemovedOn = on;
        PersonalDataErased = true;
    }

    int Storage.IAggregate.Version
    {
        get => Version;
        set => Version = value;
    }

    string Storage.IAggregate.Key => Id.ToString();

    string Storage.IAggregate.StateName => State.ToString();

    void Storage.IAggregate.Touch(DateTimeOffset at, bool stateChanged)
    {
        if (stateChanged)
        {
            StateSince = at;
        }
    }
}
