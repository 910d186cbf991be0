using System.Globalization;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Storage;

namespace DonorRegistry.Care;

// Over 400 lines on purpose: the facade of care verbs with their XML docs; the rules each verb checks sit beside it.
// Publicity and recognition are in CareOperations.Publicity.cs.

/// <summary>
/// What a coordinator does after a donor gives: record the donation, follow the donor's health on a schedule,
/// visit and thank the donor under the branch's written rules, and recognise the donor in public only with
/// their consent. Each change stores the donation record and its audit record in one transaction.
/// </summary>
public sealed partial class CareOperations
{
    private const int MaxCollectionDays = 14;
    private const int MaxGcsfDays = 10;
    private readonly RegistryWrites _writes;
    private readonly DonorOperations _donors;
    private readonly CaseOperations _cases;
    private readonly RegistryOptions _options;
    private readonly EligibilityPolicy _eligibility;
    private readonly CarePolicy _policy;
    private readonly TimeProvider _time;

    internal CareOperations(RegistryWrites writes, DonorOperations donors, CaseOperations cases, RegistryOptions options, EligibilityPolicy eligibility, CarePolicy policy, TimeProvider time)
    {
        _writes = writes;
        _donors = donors;
        _cases = cases;
        _options = options;
        _eligibility = eligibility;
        _policy = policy;
        _time = time;
    }

    /// <summary>The care rules in force (a copy taken when the registry opened).</summary>
    public CarePolicy Policy => _policy.Clone();

    // ---- Donations --------------------------------------------------------------------------------

    /// <summary>
    /// Records a collection with its details, schedules the follow-ups and the appreciation visits, and (unless
    /// the case already recorded the collection) marks the donor <see cref="DonorState.Donated"/>. A first
    /// donation needs the donor reserved for the case; a later one must be for the same patient and start after
    /// the rest that follows the previous product (<see cref="EligibilityPolicy.RecoveryMonths"/>).
    /// </summary>
    /// <param name="donor">The donor.</param>
    /// <param name="details">The collection.</param>
    /// <param name="by">Who records it.</param>
    /// <returns>The donation record with its schedule.</returns>
    /// <exception cref="RegistryValidationException">A detail is missing or out of range.</exception>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="CaseNotFoundException">No such case.</exception>
    /// <exception cref="CareRuleException">The case is another donor's, another patient's, the rest period has not passed, or the donor is not reserved for the case.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public DonationRecord RecordDonation(DonorId donor, DonationDetails details, Actor by)
    {
        Guard.NotNull(details, nameof(details), "give the collection's details");
        var today = Today();
        Validate(details, today);
        return _writes.Write(by, RegistryAction.RecordDonation, scope =>
            {
                var current = _donors.Get(donor);
                var matchCase = _cases.Get(details.Case);
                if (matchCase.DonorId != donor)
                {
                    throw new CareRuleException("case", $"Case {details.Case} is donor {matchCase.DonorId}'s, not donor {donor}'s; record the donation under the donor's own case.");
                }

                var earlier = FindByDonor(donor);
                if (earlier.FirstOrDefault(r => r.Details.Case == details.Case && r.Details.CollectionStart == details.CollectionStart) is { } same)
                {
                    throw new CareRuleException("duplicate", $"The collection of {details.CollectionStart:yyyy-MM-dd} for case {details.Case} is already recorded as {same.Id}.");
                }

                if (earlier.Count > 0)
                {
                    CheckSubsequent(donor, details, matchCase, earlier);
                }

                if (current.State == DonorState.Reserved && current.ReservedFor == details.Case)
                {
                    _donors.Step(
                        scope, donor, DonorTrigger.RecordDonation, string.Format(CultureInfo.CurrentCulture, AuditReasons.DonationCollectedAt, details.Product, details.CollectionEnd, details.Centre),
                        (lc, _) => lc.RecordDonation(new Donation(details.Case, details.Product, details.CollectionEnd)));
                }
                else if (current.LastDonation?.Case != details.Case || earlier.Any(r => r.Details.Case == details.Case))
                {
                    throw new CareRuleException("reservation", $"Donor {donor} is {current.State}{(current.ReservedFor is { } r ? $" for case {r}" : string.Empty)}; a donation is recorded for a donor reserved for its case ({details.Case}), or once for the collection the case recorded.");
                }

                var id = "DON-" + _writes.Storage.Next(Sequence.Donation).ToString("D8", CultureInfo.InvariantCulture);
                var taken = earlier.SelectMany(e => e.Visits).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
                var created = new DonationRecord(id, donor, details with { Centre = Guard.Nfc(details.Centre), AdverseEvents = Nfc(details.AdverseEvents) }, Schedule(details.CollectionEnd), Visits(details.CollectionEnd, taken), null, null, scope.Now, 1);
                return scope.Create(_writes.Donation, created, "RecordDonation", $"{details.Product} {details.CollectionStart:yyyy-MM-dd}..{details.CollectionEnd:yyyy-MM-dd} at {details.Centre}, {details.Outcome}");
            });
    }

    // ---- Follow-up ---------------------------------------------------------------------------------

    /// <summary>Records a follow-up check of the schedule.</summary>
    /// <param name="donation">The donation.</param>
    /// <param name="key">The check's key: D2, W1, M1, M6, Y1 ...</param>
    /// <param name="doneOn">The day it was done: on or after the last collection day, not in the future.</param>
    /// <param name="health">The donor's health.</param>
    /// <param name="adverseEvents">Adverse events reported, if any.</param>
    /// <param name="notes">Notes, if any.</param>
    /// <param name="by">Who did it.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donation record.</returns>
    /// <exception cref="DonationNotFoundException">No such donation.</exception>
    /// <exception cref="CareRuleException">The key is not in the schedule, the check is already recorded, or the day is before the collection.</exception>
    /// <exception cref="RegistryValidationException">The day is in the future, or a value is out of range.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public DonationRecord RecordFollowUp(string donation, string key, DateOnly doneOn, DonorHealth health, IReadOnlyList<AdverseEvent>? adverseEvents, string? notes, Actor by, int? expectedVersion = null)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new RegistryValidationException(nameof(key), key, "is blank", "give the check's key from the schedule: D2, W1, M1, M6, Y1 ...", ValidationCode.Required);
        }

        if (!Enum.IsDefined(health))
        {
            throw new RegistryValidationException("FollowUp.Health", ((int)health).ToString(CultureInfo.InvariantCulture), "is not a health status", "use Well, MinorComplaints, NeedsCare or Serious", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, "Well, MinorComplaints, NeedsCare, Serious")));
        }

        var today = Today();
        NotFuture(doneOn, "FollowUp.DoneOn", today);
        ValidateEvents(adverseEvents, null, today, "FollowUp.AdverseEvents");
        var text = notes is null ? null : Guard.Text(notes, nameof(notes));
        return Change(donation, by, expectedVersion, "RecordFollowUp", $"{key} on {doneOn:yyyy-MM-dd}: {health}", record =>
        {
            var index = IndexOf(record.FollowUps, f => f.Key == key) ?? throw new CareRuleException("schedule", $"Donation {donation} has no follow-up '{Guard.Prefix(key)}'; its schedule is {string.Join(", ", record.FollowUps.Select(f => f.Key))}.");
            var followUp = record.FollowUps[index];
            if (followUp.IsDone)
            {
                throw new CareRuleException("schedule", $"Follow-up {key} of donation {donation} was already recorded on {followUp.DoneOn:yyyy-MM-dd} by {followUp.DoneBy}.");
            }

            if (doneOn < record.Details.CollectionEnd)
            {
                throw new CareRuleException("collection date", $"Follow-up {key} on {doneOn:yyyy-MM-dd} is before donation {donation}'s collection ({record.Details.CollectionEnd:yyyy-MM-dd}); a follow-up comes after the collection.");
            }

            var list = record.FollowUps.ToList();
            list[index] = followUp with { DoneOn = doneOn, DoneBy = Guard.Actor(by), Health = health, AdverseEvents = Nfc(adverseEvents), Notes = text };
            return record with { FollowUps = list };
        });
    }

    /// <summary>Marks the donor of a donation as unreachable; the schedule stays, and the follow-ups stay due.</summary>
    /// <param name="donation">The donation.</param>
    /// <param name="note">How it was tried (1 to 500 characters).</param>
    /// <param name="by">Who tried.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donation record.</returns>
    /// <exception cref="RegistryValidationException">The note is blank, too long or has control characters.</exception>
    /// <exception cref="DonationNotFoundException">No such donation.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public DonationRecord MarkUnreachable(string donation, string note, Actor by, int? expectedVersion = null)
    {
        var text = Guard.Text(note, nameof(note));
        var today = Today();
        return Change(donation, by, expectedVersion, "MarkUnreachable", text, record => record with { UnreachableSince = record.UnreachableSince ?? today, UnreachableNote = text });
    }

    /// <summary>Records that the donor of a donation can be reached again.</summary>
    /// <param name="donation">The donation.</param>
    /// <param name="by">Who reached the donor.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donation record.</returns>
    /// <exception cref="CareRuleException">The donor was not marked unreachable.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public DonationRecord MarkReachable(string donation, Actor by, int? expectedVersion = null) =>
        Change(donation, by, expectedVersion, "MarkReachable", null, record => record.UnreachableSince is null
            ? throw new CareRuleException("reachability", $"The donor of donation {donation} is not marked unreachable.")
            : record with { UnreachableSince = null, UnreachableNote = null });

    /// <summary>Every follow-up past due and not done on a day, for a coordinator's list, oldest first.</summary>
    /// <param name="asOf">The day.</param>
    /// <returns>The donation records with overdue follow-ups.</returns>
    public IReadOnlyList<DonationRecord> FindOverdueFollowUps(DateOnly asOf) =>
        Store.FindFollowUpDueBefore(asOf)
            .OrderBy(r => r.FollowUps.Where(f => !f.IsDone).Min(f => f.DueOn))
            .ToList();

    // ---- Appreciation visits ------------------------------------------------------------------------

    /// <summary>The visits due on or before a day and not yet made or skipped (late ones included), by due day.</summary>
    /// <param name="asOf">The day.</param>
    /// <returns>Each visit with its donation.</returns>
    public IReadOnlyList<DueVisit> FindDueVisits(DateOnly asOf) =>
        Store.FindVisitDueBy(asOf)
            .SelectMany(r => r.Visits.Where(v => v.State == VisitState.Due && v.DueOn <= asOf).Select(v => new DueVisit(r, v)))
            .OrderBy(x => x.Visit.DueOn).ThenBy(x => x.Donation.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>Records an appreciation visit to a donor.</summary>
    /// <param name="donor">The donor.</param>
    /// <param name="visit">The visit's key (AtDonation, AfterDonation, SpringFestival-2027, ...).</param>
    /// <param name="visitedOn">The day: not in the future, not before the collection.</param>
    /// <param name="gifts">What was given, if anything.</param>
    /// <param name="notes">Notes, if any.</param>
    /// <param name="by">Who visited.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donation record.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="CareRuleException">The donor never donated, the visit is not due for the donor, it was already made or skipped, or the day is before the collection.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public DonationRecord RecordVisit(DonorId donor, string visit, DateOnly visitedOn, string? gifts, string? notes, Actor by, int? expectedVersion = null)
    {
        var today = Today();
        NotFuture(visitedOn, "Visit.On", today);
        var given = gifts is null ? null : Guard.Text(gifts, nameof(gifts));
        var text = notes is null ? null : Guard.Text(notes, nameof(notes));
        return ChangeVisit(donor, visit, by, expectedVersion, "RecordVisit", $"{visit} on {visitedOn:yyyy-MM-dd}", (record, v) =>
        {
            if (visitedOn < record.Details.CollectionStart)
            {
                throw new CareRuleException("collection date", $"Visit {visit} on {visitedOn:yyyy-MM-dd} is before donor {donor}'s collection ({record.Details.CollectionStart:yyyy-MM-dd}).");
            }

            return v with { State = VisitState.Visited, On = visitedOn, By = Guard.Actor(by), Gifts = given, Notes = text };
        });
    }

    /// <summary>Skips a due appreciation visit, with a reason.</summary>
    /// <param name="donor">The donor.</param>
    /// <param name="visit">The visit's key.</param>
    /// <param name="reason">Why (1 to 500 characters).</param>
    /// <param name="by">Who decided.</param>
    /// <param name="expectedVersion">The version the caller last saw, to detect concurrent changes.</param>
    /// <returns>The donation record.</returns>
    /// <exception cref="DonorNotFoundException">No such donor.</exception>
    /// <exception cref="CareRuleException">The donor never donated, the visit is not due for the donor, or it was already made or skipped.</exception>
    /// <exception cref="ConcurrentUpdateException">The record changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="AccessDeniedException">The actor may not take this action (<see cref="PermissionPolicy"/>, <see cref="RegistryOptions.RequireRoles"/>).</exception>
    public DonationRecord SkipVisit(DonorId donor, string visit, string reason, Actor by, int? expectedVersion = null)
    {
        var text = Guard.Text(reason, nameof(reason));
        var today = Today();
        return ChangeVisit(donor, visit, by, expectedVersion, "SkipVisit", $"{visit}: {text}", (_, v) => v with { State = VisitState.Skipped, On = today, By = Guard.Actor(by), Notes = text });
    }

    // ---- Queries ------------------------------------------------------------------------------------

    /// <summary>Gets a donation record.</summary>
    /// <param name="donation">Its number.</param>
    /// <returns>The record.</returns>
    /// <exception cref="DonationNotFoundException">No such donation.</exception>
    public DonationRecord Get(string donation) =>
        (donation is null ? null : Store.Find(donation)?.Value) ?? throw new DonationNotFoundException(donation ?? "(null)");

    /// <summary>A donor's donations, oldest first.</summary>
    /// <param name="donor">The donor.</param>
    /// <returns>The records.</returns>
    public IReadOnlyList<DonationRecord> FindByDonor(DonorId donor) => Store.FindByDonor(donor);

    /// <summary>The donations whose last collection day falls in a period, by day.</summary>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day.</param>
    /// <returns>The records.</returns>
    /// <exception cref="RegistryValidationException"><paramref name="to"/> is before <paramref name="from"/>.</exception>
    public IReadOnlyList<DonationRecord> FindCollectedBetween(DateOnly from, DateOnly to)
    {
        Guard.Period(from, to);

        return Store.FindCollectedBetween(from, to);
    }

    /// <summary>The audit trail of a donation record: what was recorded, by whom, when.</summary>
    /// <param name="donation">Its number.</param>
    /// <returns>The entries, oldest first.</returns>
    public IReadOnlyList<AuditRecord> GetHistory(string donation) => _writes.History(_writes.Donation, donation ?? string.Empty);

    // ---- Internals ----------------------------------------------------------------------------------

    private IDonationStore Store => _writes.Storage.Donations;

    private DateOnly Today() => _options.DayOf(_time.GetUtcNow());

    private DonationRecord Change(string donation, Actor by, int? expectedVersion, string action, string? detail, Func<DonationRecord, DonationRecord> change) =>
        _writes.Write(by, Enum.Parse<RegistryAction>(action), scope => scope.Replace(_writes.Donation, scope.Load(_writes.Donation, donation ?? string.Empty, expectedVersion), action, detail, change), AggregateKind.Donation, donation);

    private DonationRecord ChangeVisit(DonorId donor, string visit, Actor by, int? expectedVersion, string action, string detail, Func<DonationRecord, AppreciationVisit, AppreciationVisit> change)
    {
        if (string.IsNullOrWhiteSpace(visit))
        {
            throw new RegistryValidationException(nameof(visit), visit, "is blank", "give the visit's key, as FindDueVisits lists it", ValidationCode.Required);
        }

        return _writes.Write(by, Enum.Parse<RegistryAction>(action), scope =>
        {
            _donors.Get(donor);
            var records = FindByDonor(donor);
            if (records.Count == 0)
            {
                throw new CareRuleException("donation", $"Donor {donor} never donated; appreciation visits are for donors who gave.");
            }

            var record = records.LastOrDefault(r => r.Visits.Any(v => v.Key == visit))
                ?? throw new CareRuleException("visit", $"No visit '{Guard.Prefix(visit)}' is due for donor {donor}; due now: {string.Join(", ", records.SelectMany(r => r.Visits).Where(v => v.State == VisitState.Due).Select(v => v.Key).DefaultIfEmpty("none"))}.");
            var index = IndexOf(record.Visits, v => v.Key == visit)!.Value;
            var current = record.Visits[index];
            if (current.State != VisitState.Due)
            {
                throw new CareRuleException("visit", $"Visit {visit} for donor {donor} was already {current.State.ToString().ToLowerInvariant()} on {current.On:yyyy-MM-dd} by {current.By}.");
            }

            return scope.Replace(_writes.Donation, scope.Load(_writes.Donation, record.Id, expectedVersion), action, detail, loaded =>
            {
                var visits = loaded.Visits.ToList();
                visits[index] = change(loaded, current);
                return loaded with { Visits = visits };
            });
        });
    }

    private void SetConsent(DonorId donor, bool consent, Actor by) =>
        _writes.Write(by, consent ? RegistryAction.GivePublicityConsent : RegistryAction.WithdrawPublicityConsent, scope =>
        {
            if (_donors.Get(donor).State == DonorState.Withdrawn && consent)
            {
                throw new CareRuleException("withdrawn", $"Donor {donor} withdrew from the registry; withdrawal ends publicity, and consent cannot be given again.");
            }

            Store.SetPublicityConsent(donor, consent, scope.Actor, scope.Now);
            return true;
        });

    private void CheckSubsequent(DonorId donor, DonationDetails details, MatchCase matchCase, IReadOnlyList<DonationRecord> earlier)
    {
        var first = _cases.Get(earlier[0].Details.Case);
        if (!string.Equals(first.PatientReference, matchCase.PatientReference, StringComparison.Ordinal))
        {
            throw new CareRuleException("same patient", $"Donor {donor} gave first for case {first.Id}; a later donation goes to the same patient's case only, and case {matchCase.Id} is another patient's.");
        }

        var last = earlier.OrderBy(r => r.Details.CollectionEnd).Last().Details;
        var months = _eligibility.RecoveryMonths(last.Product);
        var restEnds = last.CollectionEnd.AddMonths(months);
        if (details.CollectionStart < restEnds)
        {
            throw new CareRuleException("rest period", $"Donor {donor} gave {last.Product} until {last.CollectionEnd:yyyy-MM-dd}; the rest after it is {months} month(s), so the next collection can start on {restEnds:yyyy-MM-dd}, not {details.CollectionStart:yyyy-MM-dd}.");
        }
    }

    private List<FollowUp> Schedule(DateOnly collected)
    {
        var schedule = new List<FollowUp>
        {
            new("D2", "day 2", collected.AddDays(2)),
            new("W1", "week 1", collected.AddDays(7)),
            new("M1", "month 1", collected.AddMonths(1)),
            new("M6", "month 6", collected.AddMonths(6)),
        };
        for (var year = 1; year <= _policy.FollowUpYears; year++)
        {
            schedule.Add(new FollowUp($"Y{year}", $"year {year}", collected.AddYears(year)));
        }

        return schedule;
    }

    private List<AppreciationVisit> Visits(DateOnly collected, HashSet<string> taken)
    {
        var visits = new List<AppreciationVisit>();
        foreach (var rule in _policy.Appreciation.Rules)
        {
            switch (rule.Occasion)
            {
                case AppreciationOccasion.AtDonation:
                case AppreciationOccasion.AfterDonation:
                    var due = rule.Occasion == AppreciationOccasion.AtDonation ? collected : collected.AddDays(rule.DaysAfterDonation);
                    var key = $"{rule.Occasion}-{collected:yyyyMMdd}";
                    visits.Add(new AppreciationVisit(key, rule.Occasion, due, due.AddDays(rule.WindowDays)));
                    break;
                default:
                    var until = collected.AddYears(rule.Years);
                    for (var year = collected.Year; year <= until.Year; year++)
                    {
                        var day = ObservanceCalendar.DayOf(rule.Occasion, year)!.Value;
                        var festivalKey = $"{rule.Occasion}-{year}";
                        if (day > collected && day <= until && taken.Add(festivalKey))
                        {
                            visits.Add(new AppreciationVisit(festivalKey, rule.Occasion, day, day.AddDays(rule.WindowDays)));
                        }
                    }

                    break;
            }
        }

        return visits.OrderBy(v => v.DueOn).ThenBy(v => v.Occasion).ToList();
    }

    private static void Validate(DonationDetails d, DateOnly today)
    {
        if (d.Case.Value is null)
        {
            throw new RegistryValidationException("Donation.Case", null, "is missing", "give the case the product went to", ValidationCode.Required);
        }

        if (!Enum.IsDefined(d.Product))
        {
            throw new RegistryValidationException("Donation.Product", ((int)d.Product).ToString(CultureInfo.InvariantCulture), "is not a donation product", "use Pbsc, BoneMarrow or Lymphocytes", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, "Pbsc, BoneMarrow, Lymphocytes")));
        }

        if (!Enum.IsDefined(d.Outcome))
        {
            throw new RegistryValidationException("Donation.Outcome", ((int)d.Outcome).ToString(CultureInfo.InvariantCulture), "is not an outcome", "use Completed, BelowTarget or Stopped", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, "Completed, BelowTarget, Stopped")));
        }

        NotFuture(d.CollectionEnd, "Donation.CollectionEnd", today);
        if (d.CollectionEnd < d.CollectionStart || d.CollectionEnd.DayNumber - d.CollectionStart.DayNumber >= MaxCollectionDays)
        {
            throw new RegistryValidationException("Donation.CollectionEnd", d.CollectionEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"does not fit the first collection day ({d.CollectionStart:yyyy-MM-dd})", $"end on or after it, within {MaxCollectionDays} days", ValidationCode.EndBeforeStart);
        }

        if (d.GcsfDays is { } g && (g < 0 || g > MaxGcsfDays || (g > 0 && d.Product != DonationProduct.Pbsc)))
        {
            throw new RegistryValidationException("Donation.GcsfDays", g.ToString(CultureInfo.InvariantCulture), "is out of range", $"give 0 to {MaxGcsfDays} days for PBSC, and none for marrow or lymphocytes", ValidationCode.OutOfRange, Guard.Args((ValidationArgument.Min, 0), (ValidationArgument.Max, MaxGcsfDays)));
        }

        Guard.Name(d.Centre, "Donation.Centre");

        ValidateEvents(d.AdverseEvents, d.CollectionStart, today, "Donation.AdverseEvents");
    }

    private static void ValidateEvents(IReadOnlyList<AdverseEvent>? events, DateOnly? notBefore, DateOnly today, string field)
    {
        foreach (var e in events ?? [])
        {
            if (e is null || string.IsNullOrWhiteSpace(e.Description) || e.Description.Length > Guard.MaxTextLength)
            {
                throw new RegistryValidationException(field, e?.Description, "has an event without a description", $"describe each event in 1 to {Guard.MaxTextLength} characters", ValidationCode.Required);
            }

            Guard.Printable(e.Description, field, $"describe each event in 1 to {Guard.MaxTextLength} characters, without control characters");

            if (!Enum.IsDefined(e.Severity))
            {
                throw new RegistryValidationException(field, ((int)e.Severity).ToString(CultureInfo.InvariantCulture), "has an unknown severity", "use Mild, Moderate, Severe or LifeThreatening", ValidationCode.NotOneOf, Guard.Args((ValidationArgument.Allowed, "Mild, Moderate, Severe, LifeThreatening")));
            }

            if (e.OnDay > today || (notBefore is { } first && e.OnDay < first.AddDays(-MaxGcsfDays)))
            {
                throw new RegistryValidationException(field, e.OnDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "is outside the donation's days", "date each event between mobilization and today");
            }
        }
    }

    private static List<AdverseEvent> Nfc(IReadOnlyList<AdverseEvent>? events) => (events ?? []).Select(e => e with { Description = Guard.Nfc(e.Description) }).ToList();

    private static void NotFuture(DateOnly day, string field, DateOnly today) => Guard.NotAfterToday(day, today, field, "record it once it has happened");

    private static int? IndexOf<T>(IReadOnlyList<T> items, Func<T, bool> match)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (match(items[i]))
            {
                return i;
            }
        }

        return null;
    }
}
