using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Storage;

namespace DonorRegistry.Cases;

/// <summary>
/// What coordinators do with a match case, as domain verbs. Each verb fires one case trigger and, where the
/// donor is affected, the donor's trigger too; both aggregates and both audit records are written in one
/// transaction. Opening a case reserves the donor; declining or cancelling releases them; collection records
/// the donation; a confirmatory typing that disagrees with the listed one cancels the case and removes the
/// donor with WMDA reason <c>TQ</c>.
/// </summary>
public sealed class CaseOperations
{
    private readonly RegistryWrites _writes;
    private readonly DonorOperations _donors;
    private readonly TimeProvider _time;
    private readonly MatchGrader _grader;
    private readonly MacTable? _macs;
    private readonly RegistryOptions _options;

    internal CaseOperations(RegistryWrites writes, DonorOperations donors, RegistryOptions options, TimeProvider time)
    {
        _writes = writes;
        _donors = donors;
        _time = time;
        _options = options;
        _grader = new MatchGrader(options.Hla);
        _macs = options.Hla.Macs;
    }

    /// <summary>Opens a case for a potential match and reserves the donor for it.</summary>
    /// <param name="donor">The donor a search found; they must be available.</param>
    /// <param name="patientReference">The transplant centre's opaque patient reference (1 to 64 letters, digits, '-', '_', '.'); it never reaches the donor's record.</param>
    /// <param name="by">Who opened the case.</param>
    /// <returns>The case, in <see cref="CaseState.PotentialMatch"/>.</returns>
    /// <exception cref="RegistryValidationException">The patient reference is missing or malformed.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="InvalidDonorTransitionException">The donor is not available.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase Open(DonorId donor, string patientReference, Actor by)
    {
        var patient = new CaseReference(patientReference ?? throw new RegistryValidationException(nameof(patientReference), null, "is missing", "give the transplant centre's patient reference", ValidationCode.Required)).Value;
        return _writes.Write(by, RegistryAction.OpenCase, scope =>
        {
            var id = new CaseReference("CASE-" + _writes.Storage.Next(Sequence.Case).ToString("D8", CultureInfo.InvariantCulture));
            _donors.Step(scope, donor, DonorTrigger.Reserve, string.Format(CultureInfo.CurrentCulture, AuditReasons.ReservedForCase, id), (lc, _) => lc.Reserve(id));
            return scope.Create(_writes.Case, new MatchCase(id, donor, patient, scope.Now), "Open", null);
        });
    }

    /// <summary>Records that the coordinator reached the donor.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase ContactDonor(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.ContactDonor, by, expectedVersion);

    /// <summary>Records that the donor declined; the donor is released.</summary>
    /// <param name="case">The case.</param>
    /// <param name="reason">Why, as the donor gave it.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase RecordDecline(CaseReference @case, string reason, Actor by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        return Step(@case, CaseTrigger.RecordDecline, by, expectedVersion, text, lc => lc.Decline(text), ReleaseDonor);
    }

    /// <summary>Records the donor's consent to continue.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase RecordConsent(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.RecordConsent, by, expectedVersion);

    /// <summary>Records the request for a confirmatory-typing sample (EMDIS SMP_REQ).</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase RequestCtSample(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.RequestCtSample, by, expectedVersion);

    /// <summary>
    /// Records the confirmatory typing and checks it against the donor's listed typing. If they agree the case
    /// moves to <see cref="CaseState.CtTyped"/>. If a typed locus disagrees (a definite mismatch between the
    /// two typings of the same person), the case is cancelled as "typing questionable" and the donor is removed
    /// with WMDA reason <c>TQ</c> until re-typed.
    /// </summary>
    /// <param name="case">The case.</param>
    /// <param name="confirmatory">The confirmatory typing from the lab.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored (<see cref="CaseState.CtTyped"/> or <see cref="CaseState.Cancelled"/>).</returns>
    /// <exception cref="HlaParseException">A genotype of the confirmatory typing is malformed.</exception>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase RecordCtTyping(CaseReference @case, TypingResult confirmatory, Actor by, int? expectedVersion = null)
    {
        Guard.NotNull(confirmatory, nameof(confirmatory), "give the confirmatory typing from the lab");
        var ct = HlaTyping.FromLoci(confirmatory.Loci, _macs);
        string? discrepancy = null;
        return Step(
            @case,
            CaseTrigger.RecordCtTyping,
            by,
            expectedVersion,
            null,
            lc =>
            {
                lc.Ensure(CaseTrigger.RecordCtTyping);
                if (discrepancy is null)
                {
                    lc.Fire(CaseTrigger.RecordCtTyping);
                }
                else
                {
                    lc.Cancel(discrepancy);
                }
            },
            (matchCase, scope) =>
            {
                if (discrepancy is not null)
                {
                    _donors.Step(scope, matchCase.DonorId, DonorTrigger.Remove, $"{RemovalReason.TypingQuestionable.Code}: {discrepancy}", (lc, _) => lc.Remove(RemovalReason.TypingQuestionable, discrepancy));
                }
            },
            before: matchCase =>
            {
                var listed = _donors.Get(matchCase.DonorId).Typing;
                if (listed is null)
                {
                    return;
                }

                var grade = _grader.Grade(HlaTyping.FromLoci(listed.Loci, _macs), ct);
                var differing = grade.Loci.Where(l => l.Mismatches > 0).Select(l => l.Locus.ToString()).ToList();
                discrepancy = differing.Count == 0 ? null : $"typing questionable: confirmatory typing differs from the listed typing at {string.Join(", ", differing)}";
            });
    }

    /// <summary>Records that the transplant centre selected the donor.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase Select(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.Select, by, expectedVersion);

    /// <summary>Records the work-up request (EMDIS WOR_REQ).</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase RequestWorkup(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.RequestWorkup, by, expectedVersion);

    /// <summary>Records the donor's information session.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase HoldInformationSession(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.HoldInformationSession, by, expectedVersion);

    /// <summary>Records the medical examination.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase RecordMedicalExam(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.RecordMedicalExam, by, expectedVersion);

    /// <summary>Records the donor's medical clearance.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase Clear(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.Clear, by, expectedVersion);

    /// <summary>Records the start of G-CSF mobilization (PBSC route).</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase StartMobilization(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.StartMobilization, by, expectedVersion);

    /// <summary>Records the start of apheresis.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase StartApheresis(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.StartApheresis, by, expectedVersion);

    /// <summary>Records the start of a bone-marrow harvest.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase StartMarrowHarvest(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.StartMarrowHarvest, by, expectedVersion);

    /// <summary>Records the collection; the donor is recorded as having donated (and rests for the recovery period).</summary>
    /// <param name="case">The case.</param>
    /// <param name="collectedOn">The day of collection, not in the future.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="RegistryValidationException">The day is in the future.</exception>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase RecordCollection(CaseReference @case, DateOnly collectedOn, Actor by, int? expectedVersion = null)
    {
        var today = _options.DayOf(_time.GetUtcNow());
        Guard.NotAfterToday(collectedOn, today, nameof(collectedOn), "record a collection on or after its day");

        return Step(@case, CaseTrigger.RecordCollection, by, expectedVersion, $"collected {collectedOn:yyyy-MM-dd}", lc => lc.Collect(collectedOn), (matchCase, scope) =>
        {
            var donation = new Donation(matchCase.Id, matchCase.Product!.Value, collectedOn);
            _donors.Step(scope, matchCase.DonorId, DonorTrigger.RecordDonation, string.Format(CultureInfo.CurrentCulture, AuditReasons.DonationCollected, donation.Product, collectedOn), (lc, _) => lc.RecordDonation(donation));
        });
    }

    /// <summary>Records the delivery of the product to the transplant centre.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase DeliverProduct(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.DeliverProduct, by, expectedVersion);

    /// <summary>Closes a delivered case.</summary>
    /// <param name="case">The case.</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The step is not allowed now.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase Close(CaseReference @case, Actor by, int? expectedVersion = null) => Step(@case, CaseTrigger.Close, by, expectedVersion);

    /// <summary>Cancels the case at any step before collection; a donor still reserved for it is released.</summary>
    /// <param name="case">The case.</param>
    /// <param name="reason">Why (patient status, donor deferral, ...).</param>
    /// <param name="by">Who acted.</param>
    /// <param name="expectedVersion">The version the caller last saw.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="InvalidCaseTransitionException">The case is already collected, closed, declined or cancelled.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public MatchCase Cancel(CaseReference @case, string reason, Actor by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        return Step(@case, CaseTrigger.Cancel, by, expectedVersion, text, lc => lc.Cancel(text), ReleaseDonor);
    }

    /// <summary>Gets a case.</summary>
    /// <param name="case">The case.</param>
    /// <returns>The case as stored.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    public MatchCase Get(CaseReference @case) => TryGet(@case, out var found) ? found : throw new CaseNotFoundException(@case);

    /// <summary>Gets a case, if the registry holds it.</summary>
    /// <param name="case">The case.</param>
    /// <param name="matchCase">The case, when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGet(CaseReference @case, [NotNullWhen(true)] out MatchCase? matchCase)
    {
        matchCase = _writes.Storage.Cases.Find(@case)?.Value;
        return matchCase is not null;
    }

    /// <summary>Every case a donor has had, oldest first.</summary>
    /// <param name="donor">The donor.</param>
    /// <returns>The cases.</returns>
    public IReadOnlyList<MatchCase> FindByDonor(DonorId donor) => _writes.Storage.Cases.FindByDonor(donor);

    /// <summary>The case's audit trail, oldest first.</summary>
    /// <param name="case">The case.</param>
    /// <returns>The records.</returns>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    public IReadOnlyList<AuditRecord> GetHistory(CaseReference @case) => _writes.History(_writes.Case, @case);

    private void ReleaseDonor(MatchCase matchCase, WriteScope scope)
    {
        // Only a donor still reserved for this very case is released (after collection the donor has donated).
        if (_donors.Get(matchCase.DonorId).ReservedFor == matchCase.Id)
        {
            _donors.Step(scope, matchCase.DonorId, DonorTrigger.Release, string.Format(CultureInfo.CurrentCulture, AuditReasons.CaseEnded, matchCase.Id), (lc, _) => lc.Release());
        }
    }

    private MatchCase Step(CaseReference @case, CaseTrigger trigger, Actor by, int? expectedVersion) =>
        Step(@case, trigger, by, expectedVersion, null, lc => lc.Fire(trigger));

    /// <summary>One case step through the pipeline, with the donor step it implies in the same write.</summary>
    private MatchCase Step(
        CaseReference @case,
        CaseTrigger trigger,
        Actor by,
        int? expectedVersion,
        string? reason,
        Action<CaseLifecycle> fire,
        Action<MatchCase, WriteScope>? donorStep = null,
        Action<MatchCase>? before = null) =>
        _writes.Write(by, Permission(trigger), scope =>
        {
            var loaded = scope.Load(_writes.Case, @case, expectedVersion);
            before?.Invoke(loaded.Value);
            scope.Step(_writes.Case, loaded, trigger.ToString(), c => reason ?? c.EndReason, c =>
            {
                fire(new CaseLifecycle(c));
                donorStep?.Invoke(c, scope);
            });
            scope.Save(_writes.Case, loaded);
            return loaded.Value;
        },
        AggregateKind.Case,
        @case.Value);

    /// <summary>The action each case verb is checked as.</summary>
    private static RegistryAction Permission(CaseTrigger trigger) => trigger switch
    {
        CaseTrigger.ContactDonor => RegistryAction.ContactDonor,
        CaseTrigger.RecordDecline => RegistryAction.RecordDecline,
        CaseTrigger.RecordConsent => RegistryAction.RecordConsent,
        CaseTrigger.RequestCtSample => RegistryAction.RequestCtSample,
        CaseTrigger.RecordCtTyping => RegistryAction.RecordCtTyping,
        CaseTrigger.Select => RegistryAction.SelectDonor,
        CaseTrigger.RequestWorkup => RegistryAction.RequestWorkup,
        CaseTrigger.HoldInformationSession => RegistryAction.HoldInformationSession,
        CaseTrigger.RecordMedicalExam => RegistryAction.RecordMedicalExam,
        CaseTrigger.Clear => RegistryAction.ClearDonor,
        CaseTrigger.StartMobilization => RegistryAction.StartMobilization,
        CaseTrigger.StartApheresis => RegistryAction.StartApheresis,
        CaseTrigger.StartMarrowHarvest => RegistryAction.StartMarrowHarvest,
        CaseTrigger.RecordCollection => RegistryAction.RecordCollection,
        CaseTrigger.DeliverProduct => RegistryAction.DeliverProduct,
        CaseTrigger.Close => RegistryAction.CloseCase,
        _ => RegistryAction.CancelCase,
    };
}
