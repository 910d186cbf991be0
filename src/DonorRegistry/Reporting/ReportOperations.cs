using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Search;
using DonorRegistry.Storage;

namespace DonorRegistry.Reporting;

/// <summary>
/// The branch's reports, from its own records: every number is read through an index bounded by the period, or
/// from the per-day counts kept in the same transaction as each enrolment, collection, typing and first listing,
/// so a report does not read a million donors' histories.
/// </summary>
public sealed class ReportOperations
{
    private readonly IRegistryStorage _store;
    private readonly Access.AccessControl _access;
    private readonly SearchLogWriter _searchLog;
    private readonly RegistryOptions _options;
    private readonly DriveOperations _drives;
    private readonly CareOperations _care;
    private readonly TimeProvider _time;

    internal ReportOperations(IRegistryStorage store, Access.AccessControl access, SearchLogWriter searchLog, RegistryOptions options, DriveOperations drives, CareOperations care, TimeProvider time)
    {
        _access = access;
        _time = time;
        _store = store;
        _searchLog = searchLog;
        _options = options;
        _drives = drives;
        _care = care;
    }

    /// <summary>
    /// What was done in a period, for one drive or the whole registry. Each number's rule (the day an event counts
    /// on, whether it shows the state now) is written beside it in <see cref="RegistryReport"/>.
    /// </summary>
    /// <param name="period">The days.</param>
    /// <param name="drive">The drive, or null for the whole registry.</param>
    /// <param name="by">Who reads it; null is the host itself (a host actor, refused under <see cref="RegistryOptions.RequireRoles"/>).</param>
    /// <returns>The report.</returns>
    /// <exception cref="RegistryValidationException">No period.</exception>
    /// <exception cref="UnknownDriveException">The drive is not in the registry.</exception>
    /// <exception cref="Access.AccessDeniedException">The actor may not read reports.</exception>
    public RegistryReport Build(ReportPeriod period, DriveId? drive = null, Access.Actor? by = null)
    {
        Guard.NotNull(period, nameof(period), "give a report period, for example ReportPeriod.Year(2026)");
        _access.Check(by ?? Access.AccessControl.HostItself, Access.RegistryAction.ReadReports);
        if (drive is { } d)
        {
            _drives.Get(d);
        }

        var from = _options.StartOf(period.From);
        var until = _options.StartOf(period.To.AddDays(1)).AddTicks(-1);
        var driveOf = new Dictionary<long, DriveId?>();
        bool InScope(DonorId donor)
        {
            if (drive is null)
            {
                return true;
            }

            if (!driveOf.TryGetValue(donor.Value, out var of))
            {
                of = DriveOf(donor);
                driveOf[donor.Value] = of;
            }

            return of == drive;
        }

        // Recruitment: lectures and the per-day counts.
        var lectures = (drive is { } lectureDrive ? _drives.FindLectures(lectureDrive) : _drives.FindLectures(period.From, period.To))
            .Where(l => period.Contains(l.HeldOn)).ToList();
        var counts = _store.Reports.SumCounts(period.From, period.To, drive);

        // Donors sampled: first samples in the period, plus donors first sampled earlier who gave another sample in it.
        var earlierDonorsResampled = _store.Reports.FindRecollections(from, until)
            .Where(r => r.FirstSampledOn < period.From && (drive is null || r.Drive == drive))
            .Select(r => r.Donor)
            .Distinct()
            .Count();

        // Matching: the search log (registry-wide), cases by when they were opened.
        int? searches = null;
        var potential = 0;
        if (drive is null)
        {
            _searchLog.Flush();
            var log = _store.Reports.FindSearchLog(from, until);
            searches = log.Count;
            potential = log.Sum(l => l.Matches);
        }

        var cases = _store.Cases.FindOpenedBetween(from, until).Where(c => InScope(c.DonorId)).ToList();
        if (drive is not null)
        {
            potential = cases.Select(c => c.DonorId).Distinct().Count();
        }

        // Donation and care: donation records are few (one per collection); read them all once.
        var donations = _store.Donations.FindAll().Where(r => InScope(r.Donor)).ToList();
        var collectedInPeriod = donations.Where(r => period.Contains(r.Details.CollectionEnd)).ToList();
        var followUps = donations.SelectMany(r => r.FollowUps).ToList();
        var visits = donations.SelectMany(r => r.Visits).ToList();

        // Overdue is judged on the report date, or on the period's last day if the period has ended: a check-up
        // that falls due later in an unfinished period is not overdue yet. On the period's last day (and any
        // day of an unfinished period) this is exactly CareOperations.FindOverdueFollowUps(today), for the
        // check-ups due in the period.
        var today = _options.DayOf(_time.GetUtcNow());
        var judgedOn = today < period.To ? today : period.To;
        bool Overdue(FollowUp f) => f.DueOn >= period.From && (today <= period.To ? f.DueOn < today : f.DueOn <= period.To) && (f.DoneOn is null || f.DoneOn > judgedOn);
        var recognitions = _store.Donations.FindRecognitions(period.From, period.To).Where(r => InScope(r.Donor)).ToList();

        return new RegistryReport(
            period,
            drive,
            lectures.Count,
            lectures.Select(l => l.Venue).Distinct(StringComparer.Ordinal).Count(),
            lectures.Sum(l => l.Audience),
            counts.GetValueOrDefault(Metric.Enrolled),
            counts.GetValueOrDefault(Metric.SamplesCollected),
            counts.GetValueOrDefault(Metric.DonorsFirstSampled) + earlierDonorsResampled,
            counts.GetValueOrDefault(Metric.SamplesTyped),
            counts.GetValueOrDefault(Metric.Listed),
            searches,
            potential,
            cases.Count,
            cases.GroupBy(c => c.State).ToDictionary(g => g.Key, g => g.Count()),
            collectedInPeriod.Count,
            collectedInPeriod.Select(r => r.Donor).Distinct().Count(),
            followUps.Count(f => f.DoneOn is { } done && period.Contains(done)),
            followUps.Count(Overdue),
            visits.Count(v => v.State == VisitState.Visited && v.On is { } on && period.Contains(on)),
            visits.Count(v => v.State == VisitState.Skipped && v.On is { } on && period.Contains(on)),
            visits.Count(v => period.Contains(v.DueOn) && (v.State == VisitState.Due || v.On > period.To)),
            recognitions.Count,
            recognitions.Count(r => _care.HasPublicityConsent(r.Donor)));
    }

    /// <summary>Collections per month of a year (index 0 is January), for one drive or the whole registry.</summary>
    /// <param name="year">The year.</param>
    /// <param name="drive">The drive, or null.</param>
    /// <param name="by">Who reads it; null is the host itself (a host actor, refused under <see cref="RegistryOptions.RequireRoles"/>).</param>
    /// <returns>Twelve counts.</returns>
    /// <exception cref="Access.AccessDeniedException">The actor may not read reports.</exception>
    public IReadOnlyList<int> DonationsPerMonth(int year, DriveId? drive = null, Access.Actor? by = null)
    {
        _access.Check(by ?? Access.AccessControl.HostItself, Access.RegistryAction.ReadReports);
        var months = new int[12];
        foreach (var record in _care.FindCollectedBetween(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)))
        {
            if (drive is null || DriveOf(record.Donor) == drive)
            {
                months[record.Details.CollectionEnd.Month - 1]++;
            }
        }

        return months;
    }

    /// <summary>Every drive that started in a period with its funnel, best yield (donors listed per enrolment) first.</summary>
    /// <param name="period">The days.</param>
    /// <param name="by">Who reads it; null is the host itself (a host actor, refused under <see cref="RegistryOptions.RequireRoles"/>).</param>
    /// <returns>The drives' statistics.</returns>
    /// <exception cref="RegistryValidationException">No period.</exception>
    /// <exception cref="Access.AccessDeniedException">The actor may not read reports.</exception>
    public IReadOnlyList<DriveStatistics> CompareDrives(ReportPeriod period, Access.Actor? by = null)
    {
        Guard.NotNull(period, nameof(period), "give a report period, for example ReportPeriod.Year(2026)");
        _access.Check(by ?? Access.AccessControl.HostItself, Access.RegistryAction.ReadReports);
        return _drives.FindAll().Where(d => period.Contains(d.Plan.StartsOn))
            .Select(d => _drives.GetStatistics(d.Id))
            .OrderByDescending(s => s.Enrolled == 0 ? 0 : (double)s.DonorsListed / s.Enrolled)
            .ThenBy(s => s.Drive.Value, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The drive a donor enrolled through, read from the stored donor without mapping it whole.</summary>
    private DriveId? DriveOf(DonorId donor) => _store.Donors.DriveOf(donor);
}
