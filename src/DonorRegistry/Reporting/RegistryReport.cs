using DonorRegistry.Cases;
using DonorRegistry.Donors;

namespace DonorRegistry.Reporting;

/// <summary>
/// What a branch did in a period, for one drive or the whole registry, from its own records. Where events and
/// people differ both are given: samples and donors sampled (re-collections), donations and donors who donated
/// (a later donation to the same patient), lectures and distinct venues.
/// </summary>
/// <param name="Period">The days covered.</param>
/// <param name="Drive">The drive, or null for the whole registry.</param>
/// <param name="Lectures">Knowledge lectures held.</param>
/// <param name="LectureVenues">Distinct venues they were held at.</param>
/// <param name="Attendees">People who attended (a person at two lectures counts twice).</param>
/// <param name="Enrolled">Volunteers enrolled.</param>
/// <param name="SamplesCollected">Samples collected (re-collections included).</param>
/// <param name="DonorsSampled">Donors who gave those samples.</param>
/// <param name="SamplesEntered">Samples whose typing was entered into the registry (typed).</param>
/// <param name="DonorsListed">Donors listed as searchable for the first time (入库).</param>
/// <param name="Searches">Searches run for patients, or null for a drive's report (searches are registry-wide).</param>
/// <param name="PotentialMatches">Donors returned as potential matches by those searches, or for a drive the cases opened for its donors.</param>
/// <param name="CasesOpened">Match cases opened.</param>
/// <param name="CasesByStage">Those cases by the stage they are at now.</param>
/// <param name="Donations">Collections (a later donation to the same patient counts again).</param>
/// <param name="DonorsWhoDonated">Donors who gave those collections.</param>
/// <param name="FollowUpsDone">Follow-up checks done.</param>
/// <param name="FollowUpsOverdue">Follow-up checks due in the period and not done by its end.</param>
/// <param name="VisitsDone">Appreciation visits made.</param>
/// <param name="VisitsSkipped">Appreciation visits skipped, with a reason.</param>
/// <param name="VisitsDue">Appreciation visits due in the period and not made or skipped by its end.</param>
/// <param name="Recognitions">Recognitions given.</param>
/// <param name="RecognitionsPublishable">Of those, the ones whose donor still consents to publicity.</param>
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
            new("recruitment", "lectures", ReportCounts.Events, Lectures, "knowledge lectures held"),
            new("recruitment", "lecture_venues", ReportCounts.Places, LectureVenues, "distinct venues of those lectures"),
            new("recruitment", "attendees", ReportCounts.People, Attendees, "people at those lectures (a person at two counts twice)"),
            new("recruitment", "enrolled", ReportCounts.People, Enrolled, "volunteers enrolled"),
            new("recruitment", "samples_collected", ReportCounts.Events, SamplesCollected, "blood samples collected, re-collections included"),
            new("recruitment", "donors_sampled", ReportCounts.People, DonorsSampled, "donors who gave those samples"),
            new("registry", "samples_entered", ReportCounts.Events, SamplesEntered, "samples whose typing was entered into the registry"),
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
            lines.Add(new("matching", "cases_at_" + stage.ToString().ToLowerInvariant(), ReportCounts.Events, count, $"of those cases, now at {stage}"));
        }

        lines.AddRange(
        [
            new("donation", "donations", ReportCounts.Events, Donations, "collections (a later donation to the same patient counts again)"),
            new("donation", "donors_who_donated", ReportCounts.People, DonorsWhoDonated, "donors who gave those collections"),
            new("care", "follow_ups_done", ReportCounts.Events, FollowUpsDone, "follow-up checks done"),
            new("care", "follow_ups_overdue", ReportCounts.Events, FollowUpsOverdue, "follow-up checks due in the period and not done by its end"),
            new("care", "visits_done", ReportCounts.Events, VisitsDone, "appreciation visits made"),
            new("care", "visits_skipped", ReportCounts.Events, VisitsSkipped, "appreciation visits skipped with a reason"),
            new("care", "visits_due", ReportCounts.Events, VisitsDue, "appreciation visits due in the period and still open at its end"),
            new("recognition", "recognitions", ReportCounts.Events, Recognitions, "recognitions given"),
            new("recognition", "recognitions_publishable", ReportCounts.Events, RecognitionsPublishable, "of those, the ones whose donor still consents to publicity"),
        ]);
        return lines;
    }
}
