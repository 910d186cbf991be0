using DonorRegistry.Cases;
using DonorRegistry.Donors;

namespace DonorRegistry.Reporting;

/// <summary>
/// What a branch did in a period, for one drive or the whole registry, from its own records. Where events and
/// people differ both are given: samples and donors sampled (re-collections), donations and donors who donated
/// (a later donation to the same patient), lectures and distinct venues.
/// <para>
/// Days are the registry's days (<see cref="RegistryOptions.TimeZone"/>). Most lines count events on the day they
/// happened, in the period; each parameter below says which day that is. Three kinds of line differ: lines that show
/// the state <em>now</em> (on the day the report is built) of what the period started (<see cref="CasesByStage"/>,
/// <see cref="RecognitionsPublishable"/>), and lines that are judged on a day (<see cref="FollowUpsOverdue"/>,
/// <see cref="VisitsDue"/>). A report for a period that has ended reads the same whenever it is built, except those
/// "now" lines.
/// </para>
/// </summary>
/// <param name="Period">The days covered.</param>
/// <param name="Drive">The drive, or null for the whole registry.</param>
/// <param name="Lectures">Knowledge lectures held, on the day held (not the day recorded).</param>
/// <param name="LectureVenues">Distinct venues of those lectures (places).</param>
/// <param name="Attendees">Attendance of those lectures, as recorded with each (a person at two lectures counts twice).</param>
/// <param name="Enrolled">Enrolments, on the enrolment day. Events, not people: a volunteer who withdraws and enrols again is a new enrolment and counts twice.</param>
/// <param name="SamplesCollected">Samples collected, on the collection day (re-collections included). Only samples recorded through <see cref="Registry.Samples"/> are counted.</param>
/// <param name="DonorsSampled">Donors who gave those samples (people).</param>
/// <param name="SamplesEntered">Samples whose typing was entered into the registry (typed), on the day it was entered (the import day), not the day the lab typed them.</param>
/// <param name="DonorsListed">Donors listed as searchable for the first time (入库), on that day; a donor listed again after a deferral is not counted again.</param>
/// <param name="Searches">Searches run for patients, on the day run, or null for a drive's report (searches are registry-wide).</param>
/// <param name="PotentialMatches">Donors returned as potential matches by those searches, or for a drive the cases opened for its donors.</param>
/// <param name="CasesOpened">Match cases opened, on the day opened.</param>
/// <param name="CasesByStage">Those cases by the stage they are at <em>now</em> (the day the report is built), not at the period's end.</param>
/// <param name="Donations">Collections, on the last collection day (a later donation to the same patient counts again).</param>
/// <param name="DonorsWhoDonated">Donors who gave those collections.</param>
/// <param name="FollowUpsDone">Follow-up checks done, on the day done (whenever they were due).</param>
/// <param name="FollowUpsOverdue">
/// Follow-up checks due in the period, before the report date (or by the period's last day, whichever comes first),
/// and not done by then. On the period's last day it agrees with <see cref="Care.CareOperations.FindOverdueFollowUps"/>
/// for the checks due in the period. A withdrawn donor's checks stay overdue: the donation record keeps them.
/// </param>
/// <param name="VisitsDone">Appreciation visits made, on the day made.</param>
/// <param name="VisitsSkipped">Appreciation visits skipped with a reason, on the day skipped.</param>
/// <param name="VisitsDue">
/// Appreciation visits due in the period and not made or skipped by its end. In a period not yet ended this includes
/// visits that fall due later in the period (planned, not late) and those not yet made now.
/// </param>
/// <param name="Recognitions">Recognitions given, on the recognition's day.</param>
/// <param name="RecognitionsPublishable">Of those, the ones whose donor consents to publicity <em>now</em> (and has not withdrawn).</param>
public sealed record RegistryReport(
    ReportPeriod Period,
    DriveId? Drive,
    int Lectures,
    int LectureVenues,
    int Attendees,
    int Enrolled,
    int SamplesCollected,
    int DonorsSampled,
    int SamplesEntered,
    int DonorsListed,
    int? Searches,
    int PotentialMatches,
    int CasesOpened,
    IReadOnlyDictionary<CaseState, int> CasesByStage,
    int Donations,
    int DonorsWhoDonated,
    int FollowUpsDone,
    int FollowUpsOverdue,
    int VisitsDone,
    int VisitsSkipped,
    int VisitsDue,
    int Recognitions,
    int RecognitionsPublishable)
{
    /// <summary>The report as lines, each saying whether it counts events, people or places.</summary>
    /// <returns>The lines, in funnel order.</returns>
    public IReadOnlyList<ReportLine> Lines()
    {
        var lines = new List<ReportLine>
        {
            new("recruitment", "lectures", ReportCounts.Events, Lectures, "knowledge lectures held (on the day held)"),
            new("recruitment", "lecture_venues", ReportCounts.Places, LectureVenues, "distinct venues of those lectures"),
            new("recruitment", "attendees", ReportCounts.People, Attendees, "people at those lectures (a person at two counts twice)"),
            new("recruitment", "enrolled", ReportCounts.Events, Enrolled, "enrolments (a volunteer who withdraws and enrols again counts twice)"),
            new("recruitment", "samples_collected", ReportCounts.Events, SamplesCollected, "blood samples collected, re-collections included"),
            new("recruitment", "donors_sampled", ReportCounts.People, DonorsSampled, "donors who gave those samples"),
            new("registry", "samples_entered", ReportCounts.Events, SamplesEntered, "samples whose typing was entered into the registry (on the import day)"),
            new("registry", "donors_listed", ReportCounts.People, DonorsListed, "donors listed as searchable for the first time (entered the registry)"),
        };
        if (Searches is { } searches)
        {
            lines.Add(new("matching", "searches", ReportCounts.Events, searches, "searches run for patients"));
            lines.Add(new("matching", "potential_matches", ReportCounts.Events, PotentialMatches, "donors returned as potential matches by those searches"));
        }
        else
        {
            lines.Add(new("matching", "potential_matches", ReportCounts.People, PotentialMatches, "the drive's donors for whom a match case was opened"));
        }

        lines.Add(new("matching", "cases_opened", ReportCounts.Events, CasesOpened, "match cases opened"));
        foreach (var (stage, count) in CasesByStage.OrderBy(kv => kv.Key))
        {
            lines.Add(new("matching", "cases_at_" + stage.ToString().ToLowerInvariant(), ReportCounts.Events, count, $"of those cases, at {stage} now (on the report date)"));
        }

        lines.AddRange(
        [
            new("donation", "donations", ReportCounts.Events, Donations, "collections, on the last collection day (a later donation to the same patient counts again)"),
            new("donation", "donors_who_donated", ReportCounts.People, DonorsWhoDonated, "donors who gave those collections"),
            new("care", "follow_ups_done", ReportCounts.Events, FollowUpsDone, "follow-up checks done"),
            new("care", "follow_ups_overdue", ReportCounts.Events, FollowUpsOverdue, "follow-up checks due in the period before the report date (or by its end) and not done"),
            new("care", "visits_done", ReportCounts.Events, VisitsDone, "appreciation visits made"),
            new("care", "visits_skipped", ReportCounts.Events, VisitsSkipped, "appreciation visits skipped with a reason"),
            new("care", "visits_due", ReportCounts.Events, VisitsDue, "appreciation visits due in the period and not made or skipped (in an unfinished period, those due later too)"),
            new("recognition", "recognitions", ReportCounts.Events, Recognitions, "recognitions given"),
            new("recognition", "recognitions_publishable", ReportCounts.Events, RecognitionsPublishable, "of those, the ones whose donor consents to publicity now"),
        ]);
        return lines;
    }
}
