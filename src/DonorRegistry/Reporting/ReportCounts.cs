namespace DonorRegistry.Reporting;

/// <summary>What a report line counts: events (a lecture, a sample, a donation) or people (donors, however many events each had).</summary>
public enum ReportCounts
{
    /// <summary>Events: each lecture, sample, donation, visit counts once.</summary>
    Events = 1,

    /// <summary>People: each donor counts once however many events they had.</summary>
    People = 2,

    /// <summary>Places: each distinct venue counts once.</summary>
    Places = 3,
}
