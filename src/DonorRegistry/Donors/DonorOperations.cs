using System.Diagnostics.CodeAnalysis;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Protection;
using DonorRegistry.Storage;
using Microsoft.Extensions.Logging;

namespace DonorRegistry.Donors;

// Over 400 lines on purpose: the facade of the donor verbs and queries, most of it their XML docs. The work is
// elsewhere: EnrolmentPipeline, DonorCalendar, DonorInputs, PersonalDataVault, and the change pipeline (Storage/WriteScope).

/// <summary>
/// What organizers and coordinators do with donors, as domain verbs. Each verb loads the donor, fires
/// one lifecycle trigger, and stores the donor with its audit record in one transaction; it returns
/// the donor as stored. A verb that fails stores nothing.
/// </summary>
/// <remarks>
/// Every verb takes <c>by</c>, the person (or process) acting, for the audit trail. Verbs that change a
/// donor take an optional <c>expectedVersion</c>: pass the <see cref="Donor.Version"/> you showed the
/// user, and a change made by someone else in the meantime raises <see cref="ConcurrentUpdateException"/>
/// instead of being silently built upon.
/// </remarks>
public sealed class DonorOperations
{
    private readonly RegistryWrites _writes;
    private readonly RegistryOptions _options;
    private readonly EligibilityPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EnrolmentPipeline _enrolment;
    private readonly DonorCalendar _calendar;
    private readonly PersonalDataVault _vault;

    internal DonorOperations(RegistryWrites writes, RegistryOptions options, EligibilityPolicy policy, TimeProvider time, ILogger logger)
    {
        _writes = writes;
        _options = options;
        _policy = policy;
        _time = time;
        _logger = logger;
        _enrolment = new EnrolmentPipeline(writes, options, policy);
        _calendar = new DonorCalendar(writes, policy);
        _vault = new PersonalDataVault(writes, options);
    }

    private IDonorStore Store => _writes.Storage.Donors;

    // ---- Enrolment --------------------------------------------------------------------------------

    /// <summary>Enrols a volunteer: checks age and national ID, encrypts the personal data, and stores the donor as <see cref="DonorState.Enrolled"/>.</summary>
    /// <param name="request">Profile and personal data.</param>
    /// <param name="by">Who enrolled the volunteer.</param>
    /// <returns>The new donor.</returns>
    /// <exception cref="DonorAgeOutOfRangeException">The volunteer is younger or older than the join range.</exception>
    /// <exception cref="RegistryValidationException">A field is empty, malformed, or the birth date is in the future.</exception>
    /// <exception cref="DuplicateDonorException">Someone with this national ID is already enrolled.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor Enrol(EnrolmentRequest request, Actor by) => EnrolMany([request], by)[0];

    /// <summary>
    /// Enrols a batch of volunteers in one transaction: all of them, or (if any request is refused) none.
    /// Much faster than one <see cref="Enrol"/> per volunteer.
    /// </summary>
    /// <param name="requests">The volunteers.</param>
    /// <param name="by">Who enrolled them.</param>
    /// <returns>The new donors, in request order.</returns>
    /// <exception cref="DonorAgeOutOfRangeException">A volunteer is younger or older than the join range.</exception>
    /// <exception cref="RegistryValidationException">A field is empty or malformed, or a birth date is in the future.</exception>
    /// <exception cref="DuplicateDonorException">A national ID is already enrolled, or appears twice in the batch.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public IReadOnlyList<Donor> EnrolMany(IReadOnlyList<EnrolmentRequest> requests, Actor by)
    {
        Guard.NotNull(requests, nameof(requests), "give a list of enrolment requests");
        var actor = _writes.Access.Check(by, RegistryAction.Enrol);
        if (requests.Count == 0)
        {
            return [];
        }

        var enrolled = _enrolment.Enrol(requests, actor, Today());
        _logger.DonorsEnrolled(enrolled.Count, enrolled[0].Id.ToString(), actor);
        return enrolled;
    }

    // ---- Recruitment steps ------------------------------------------------------------------------

    /// <summary>Records that health screening found the volunteer ineligible (<see cref="DonorState.Ineligible"/>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="reason">Why, in words (no diagnosis details beyond what the registry needs).</param>
    /// <param name="by">Who screened.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor is not enrolled.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor ScreenOut(DonorId id, string reason, Actor by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        return Change(id, DonorTrigger.ScreenOut, RegistryAction.ScreenOut, by, expectedVersion, text, (lc, _) => lc.ScreenOut(text));
    }

    /// <summary>Records that an ineligible volunteer was screened again and is eligible (<see cref="DonorState.Enrolled"/>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who screened.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor is not ineligible, or is now outside the join ages.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor Rescreen(DonorId id, Actor by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.Rescreen, RegistryAction.Rescreen, by, expectedVersion, null, (lc, _) => lc.Rescreen());

    // ---- Steps another aggregate takes for the donor -------------------------------------------------
    // Samples, cases and care move the donor in their own writes (through DonorStep); these shortcuts stay
    // internal so that a host records a sample through Samples, reserves through Cases and a donation once.

    internal Donor RecordSampleCollected(DonorId id, string? sampleReference, Actor by, int? expectedVersion = null)
    {
        var reference = sampleReference is null ? null : Guard.Text(sampleReference, nameof(sampleReference));
        return Change(id, DonorTrigger.CollectSample, RegistryAction.CollectSample, by, expectedVersion, reference, (lc, _) => lc.CollectSample(reference));
    }

    internal Donor RecordSampleRejected(DonorId id, string reason, Actor by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        return Change(id, DonorTrigger.RejectSample, RegistryAction.RejectSample, by, expectedVersion, text, (lc, _) => lc.RejectSample(text));
    }

    internal Donor RecordTyping(DonorId id, TypingResult typing, Actor by, int? expectedVersion = null)
    {
        DonorInputs.Typing(typing, Today(), _options.Hla);
        return Change(id, DonorTrigger.RecordTyping, RegistryAction.RecordTyping, by, expectedVersion, string.Format(System.Globalization.CultureInfo.InvariantCulture, AuditReasons.TypedBy, typing.Lab, typing.TypedOn), (lc, _) => lc.RecordTyping(typing));
    }

    internal Donor Reserve(DonorId id, CaseReference @case, Actor by, int? expectedVersion = null)
    {
        if (@case.Value is null)
        {
            throw new RegistryValidationException("case", null, "is empty", "give the reference of the case that reserves the donor", ValidationCode.Required);
        }

        return Change(id, DonorTrigger.Reserve, RegistryAction.OpenCase, by, expectedVersion, string.Format(System.Globalization.CultureInfo.InvariantCulture, AuditReasons.ReservedForCase, @case), (lc, _) => lc.Reserve(@case));
    }

    internal Donor Release(DonorId id, Actor by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.Release, RegistryAction.CancelCase, by, expectedVersion, null, (lc, _) => lc.Release());

    internal Donor RecordDonation(DonorId id, DonationProduct product, DateOnly collectedOn, Actor by, int? expectedVersion = null)
    {
        DonorInputs.Defined(product, nameof(product), "Pbsc, BoneMarrow or Lymphocytes");
        Guard.NotAfterToday(collectedOn, Today(), nameof(collectedOn), "record a donation on or after the day of collection");
        return Change(id, DonorTrigger.RecordDonation, RegistryAction.RecordDonation, by, expectedVersion, string.Format(System.Globalization.CultureInfo.InvariantCulture, AuditReasons.DonationCollected, product, collectedOn),
            (lc, donor) => lc.RecordDonation(new Donation(donor.ReservedFor ?? default, product, collectedOn)));
    }

    // ---- Listing ----------------------------------------------------------------------------------

    /// <summary>Lists a typed donor as searchable (<see cref="DonorState.Available"/>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who listed them.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor is not typed, or is past the leaving age.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor List(DonorId id, Actor by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.List, RegistryAction.ListDonor, by, expectedVersion, null, (lc, _) => lc.List());

    // ---- Availability -----------------------------------------------------------------------------

    /// <summary>Makes a listed donor temporarily unavailable up to and including <paramref name="until"/> (WMDA <c>TU</c>); deferring again moves the date.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="until">The last day of the deferral: today or later, within ten years.</param>
    /// <param name="reason">Why (travel, pregnancy, illness, ...).</param>
    /// <param name="by">Who recorded it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="RegistryValidationException">The day is before today or more than ten years ahead, or the reason is blank.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor is not listed.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor Defer(DonorId id, DateOnly until, string reason, Actor by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        var today = Today();
        if (until < today || until > today.AddYears(10))
        {
            throw new RegistryValidationException(nameof(until), until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"is outside {today:yyyy-MM-dd} to {today.AddYears(10):yyyy-MM-dd}", "a deferral ends today or later, within ten years", ValidationCode.OutOfRange, Guard.Args((ValidationArgument.Min, today), (ValidationArgument.Max, today.AddYears(10))));
        }

        return Change(id, DonorTrigger.Defer, RegistryAction.Defer, by, expectedVersion, $"until {until:yyyy-MM-dd}: {text}", (lc, _) => lc.Defer(until, text));
    }

    /// <summary>Ends a deferral before its date (<see cref="DonorState.Available"/>). The calendar ends deferrals on their date by itself: see <see cref="ApplyCalendar"/>.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who recorded it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor is not deferred.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor EndDeferral(DonorId id, Actor by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.EndDeferral, RegistryAction.EndDeferral, by, expectedVersion, AuditReasons.DeferralEndedEarly, (lc, _) => lc.EndDeferral());

    // ---- Leaving and returning -------------------------------------------------------------------

    /// <summary>Removes a listed donor from the registry with a WMDA reason (<see cref="DonorState.Removed"/>, WMDA <c>DE</c>).</summary>
    /// <param name="id">The donor.</param>
    /// <param name="reason">The WMDA removal reason.</param>
    /// <param name="note">A note, if any.</param>
    /// <param name="by">Who removed them.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="RegistryValidationException">The reason is empty or the note blank.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor is not listed, or is reserved for a case.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor Remove(DonorId id, RemovalReason reason, string? note, Actor by, int? expectedVersion = null)
    {
        if (reason.Code is null)
        {
            throw new RegistryValidationException(nameof(reason), null, "is empty", "use one of the RemovalReason values (DO, DD, MR, PR, TX, MO, UC, TQ, OT, UK)", ValidationCode.Required);
        }

        var text = note is null ? null : Guard.Text(note, nameof(note));
        return Change(id, DonorTrigger.Remove, RegistryAction.RemoveDonor, by, expectedVersion, text is null ? reason.Code : $"{reason.Code}: {text}", (lc, _) => lc.Remove(reason, text));
    }

    /// <summary>Returns a removed donor to <see cref="DonorState.Available"/>, where the removal reason allows it and the donor is below the leaving age.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who reactivated them.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor is not removed, the reason is permanent, or the donor is too old.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor Reactivate(DonorId id, Actor by, int? expectedVersion = null) =>
        Change(id, DonorTrigger.Reactivate, RegistryAction.ReactivateDonor, by, expectedVersion, null, (lc, _) => lc.Reactivate());

    /// <summary>
    /// Records the donor's withdrawal of consent (<see cref="DonorState.Withdrawn"/>, from any state). The donor's
    /// data key is destroyed, so their personal data can no longer be read from this file or any copy of it;
    /// the typing and the exact birth date are erased. Publicity consent is revoked in the same write, so the donor
    /// leaves every recognition list and export. The anonymous lifecycle and statistics stay.
    /// </summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who recorded it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor has already withdrawn.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor Withdraw(DonorId id, Actor by, int? expectedVersion = null)
    {
        // Publicity ends in the same write: the second change of this scope, so no recognition list shows a withdrawn donor.
        var donor = Change(
            id, DonorTrigger.Withdraw, RegistryAction.Withdraw, by, expectedVersion, AuditReasons.ConsentWithdrawn, (lc, _) => lc.Withdraw(), _vault.Erase, scope => Care.CareOperations.EndPublicity(scope, _writes.Storage.Donations, id));

        // The committed withdrawal is the record of intent; the key goes now (and again on the next open, had we died here).
        _vault.DestroyKey(id);
        _logger.DonorWithdrew(id.ToString());
        return donor;
    }

    /// <summary>Replaces a donor's personal data (a new phone number, address or contact). The state does not change; the audit trail records that it happened, not what.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="personal">The new personal data, whole.</param>
    /// <param name="by">Who changed it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="RegistryValidationException">A field is empty or malformed.</exception>
    /// <exception cref="DuplicateDonorException">The new national ID is another donor's.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="PersonalDataErasedException">The donor withdrew; their data is gone.</exception>
    /// <exception cref="ConcurrentUpdateException">The donor changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public Donor UpdatePersonalData(DonorId id, PersonalData personal, Actor by, int? expectedVersion = null)
    {
        Guard.NotNull(personal, nameof(personal), "give the donor's personal data, whole");
        return Change(id, null, RegistryAction.UpdatePersonalData, by, expectedVersion, AuditReasons.PersonalDataUpdated, (_, _) => { }, loaded => _vault.Replace(loaded, personal));
    }

    // ---- The calendar -------------------------------------------------------------------------------

    /// <summary>
    /// Applies what the calendar decides as of <paramref name="asOf"/>: deferrals whose last day has passed
    /// and recovery periods that have ended return donors to <see cref="DonorState.Available"/>; listed donors
    /// (available, deferred or resting) who have reached the leaving age are removed with WMDA reason <c>DO</c>.
    /// Donors reserved for a case are left to finish it. Idempotent: a second call changes nothing.
    /// All changes are stored in one transaction.
    /// </summary>
    /// <param name="asOf">The instant to apply the calendar for: now or earlier.</param>
    /// <param name="by">Who (or what process) applies it; null is the host actor "calendar".</param>
    /// <returns>The changes made.</returns>
    /// <exception cref="RegistryValidationException"><paramref name="asOf"/> is in the future.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public IReadOnlyList<CalendarChange> ApplyCalendar(DateTimeOffset asOf, Actor? by = null)
    {
        var actor = _writes.Access.Check(by ?? "calendar", RegistryAction.ApplyCalendar);
        var now = _time.GetUtcNow();
        if (asOf > now)
        {
            throw new RegistryValidationException(nameof(asOf), asOf.ToString("O", System.Globalization.CultureInfo.InvariantCulture), $"is after now ({now:O})", "give an instant up to now");
        }

        var today = _options.DayOf(asOf);
        var changes = _calendar.Apply(today, actor);
        _logger.CalendarApplied(today, changes.Count);
        return changes;
    }

    // ---- Queries -----------------------------------------------------------------------------------

    /// <summary>Gets a donor.</summary>
    /// <param name="id">The donor.</param>
    /// <returns>The donor as stored.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    public Donor Get(DonorId id) => TryGet(id, out var donor) ? donor : throw new DonorNotFoundException(id);

    /// <summary>Gets a donor, if the registry holds them.</summary>
    /// <param name="id">The donor.</param>
    /// <param name="donor">The donor, when found.</param>
    /// <returns>Whether the donor was found.</returns>
    public bool TryGet(DonorId id, [NotNullWhen(true)] out Donor? donor)
    {
        donor = Store.Find(id)?.Value;
        return donor is not null;
    }

    /// <summary>The donors in a state, one page at a time, in a stable order (the same pages while nothing changes).</summary>
    /// <param name="state">The state.</param>
    /// <param name="skip">How many to skip.</param>
    /// <param name="limit">How many to return at most (1 to 100,000).</param>
    /// <returns>The donors.</returns>
    /// <exception cref="RegistryValidationException">The page is out of range.</exception>
    public IReadOnlyList<Donor> FindByState(DonorState state, int skip = 0, int limit = 1000)
    {
        Guard.Page(skip, limit);
        return Store.FindByState(state, skip, limit);
    }

    /// <summary>The donors who enrolled through a drive, in id order, one page at a time.</summary>
    /// <param name="drive">The drive.</param>
    /// <param name="skip">How many to skip.</param>
    /// <param name="limit">How many to return at most (1 to 100,000).</param>
    /// <returns>The donors.</returns>
    /// <exception cref="RegistryValidationException">The page is out of range.</exception>
    public IReadOnlyList<Donor> FindByDrive(DriveId drive, int skip = 0, int limit = 1000)
    {
        Guard.Page(skip, limit);
        return drive.Value is null ? [] : Store.FindByDrive(drive, skip, limit);
    }

    /// <summary>How many donors are in each state (every state is present, zero where empty).</summary>
    /// <returns>The counts.</returns>
    public IReadOnlyDictionary<DonorState, int> CountByState() =>
        Enum.GetValues<DonorState>().ToDictionary(s => s, Store.CountByState);

    /// <summary>How many donors the registry holds, in every state.</summary>
    /// <returns>The count.</returns>
    public int Count() => Store.Count();

    /// <summary>
    /// The steps that can be taken for a donor now, and the ones the state knows but a guard blocks,
    /// with the reasons (so a UI can grey them out and say why).
    /// </summary>
    /// <param name="id">The donor.</param>
    /// <returns>The actions.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    public IReadOnlyList<PermittedAction> GetPermittedActions(DonorId id) =>
        DonorLifecycle.For(Get(id), _policy, Today()).Actions();

    /// <summary>The donor's audit trail, oldest first: one record per stored change.</summary>
    /// <param name="id">The donor.</param>
    /// <returns>The records.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    public IReadOnlyList<AuditRecord> GetHistory(DonorId id) => _writes.History(_writes.Donor, id);

    /// <summary>
    /// Decrypts a donor's personal data for someone, and records the read in the access log before the data is returned:
    /// who read whose data, when and why (PIPL). A role that may read personal data (<see cref="RegistryAction.ReadPersonalData"/>:
    /// organizer, coordinator, administrator by default) gets it whole; any other role gets it masked by
    /// <see cref="PersonalDataMask"/> (张*, 110***********1234, 138****5678), and the log says so.
    /// </summary>
    /// <param name="id">The donor.</param>
    /// <param name="by">Who reads it.</param>
    /// <param name="reason">Why (1 to 500 characters), for the access log: "confirm the donor's phone before the work-up".</param>
    /// <returns>The personal data, whole or masked.</returns>
    /// <exception cref="RegistryValidationException">The reason is blank, too long or holds a control character.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="PersonalDataErasedException">The donor withdrew and the data was erased.</exception>
    /// <exception cref="AccessDeniedException">The registry requires roles and the actor is a host actor.</exception>
    public PersonalData GetPersonalData(DonorId id, Actor by, string reason)
    {
        var why = Guard.Text(reason, nameof(reason));
        var (name, whole) = _writes.Access.CheckReveal(by, RegistryAction.ReadPersonalData, AggregateKind.Donor, id.ToString());
        var personal = _vault.Read(id);
        _writes.Access.Record(by, name, RegistryAction.ReadPersonalData, AggregateKind.Donor, id.ToString(), whole ? AccessOutcome.Allowed : AccessOutcome.Masked, why);
        return whole ? personal : PersonalDataMask.Apply(personal);
    }

    /// <summary>Finds the donor enrolled with a national ID, by its keyed hash (nothing is decrypted).</summary>
    /// <param name="nationalId">The national ID number.</param>
    /// <returns>The donor's id, or null if no enrolled donor has it (withdrawn donors' IDs are forgotten).</returns>
    /// <exception cref="RegistryValidationException">The number is blank.</exception>
    public DonorId? FindByNationalId(string nationalId)
    {
        if (string.IsNullOrWhiteSpace(nationalId))
        {
            throw new RegistryValidationException(nameof(nationalId), nationalId, "is blank", "give a national ID number", ValidationCode.Required);
        }

        return _vault.FindByNationalId(nationalId);
    }

    // ---- The one way a donor changes --------------------------------------------------------------

    private Donor Change(
        DonorId id, DonorTrigger? trigger, RegistryAction permission, Actor by, int? expectedVersion, string? reason, Action<DonorLifecycle, Donor> fire, Action<Loaded<Donor>>? alongside = null, Action<WriteScope>? then = null)
    {
        var actor = _writes.Access.Check(by, permission, AggregateKind.Donor, id.ToString());
        var action = trigger?.ToString() ?? "UpdatePersonalData";
        DonorState from = default;
        var donor = _writes.Pipeline.Write(actor, scope =>
        {
            var changed = scope.Change(_writes.Donor, id, expectedVersion, action, reason, d =>
            {
                from = d.State;
                fire(DonorLifecycle.For(d, _policy, _options.DayOf(scope.Now)), d);
            }, alongside);
            then?.Invoke(scope);
            return changed;
        });
        _logger.DonorChanged(id, action, from, donor.State, donor.Version, actor);
        return donor;
    }

    /// <summary>
    /// One donor trigger as part of another aggregate's write (a sample step, a case step): loads the donor, fires
    /// the trigger and stores the donor with its audit record, in that write's transaction.
    /// </summary>
    internal Donor Step(WriteScope scope, DonorId id, DonorTrigger trigger, string? reason, Action<DonorLifecycle, Donor> fire) =>
        scope.Change(_writes.Donor, id, null, trigger.ToString(), reason, d => fire(DonorLifecycle.For(d, _policy, _options.DayOf(scope.Now)), d));

    /// <summary>
    /// Loads the donor once and fires several triggers in turn, each with its own audit record, then stores the
    /// donor once. A step returns false to be skipped (no audit record).
    /// </summary>
    internal Donor Steps(WriteScope scope, DonorId id, ReadOnlySpan<DonorStep> steps)
    {
        var loaded = scope.Load(_writes.Donor, id);
        var lifecycle = DonorLifecycle.For(loaded.Value, _policy, _options.DayOf(scope.Now));
        foreach (var step in steps)
        {
            var current = step;
            scope.StepIf(_writes.Donor, loaded, step.Trigger.ToString(), step.Reason, d => current.Fire(lifecycle, d));
        }

        scope.Save(_writes.Donor, loaded);
        return loaded.Value;
    }

    /// <summary>Checks a typing as the verbs do.</summary>
    internal void ValidateTyping(TypingResult typing) => DonorInputs.Typing(typing, Today(), _options.Hla);

    /// <summary>Checks a typing as the verbs do, each genotype by <paramref name="genotypeCheck"/> (the import's, which remembers the genotypes it has seen).</summary>
    internal void ValidateTyping(TypingResult typing, Action<string, string> genotypeCheck) => DonorInputs.Typing(typing, Today(), genotypeCheck);

    private DateOnly Today() => _options.DayOf(_time.GetUtcNow());
}
