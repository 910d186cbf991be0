using DonorRegistry.Donors;
using LiteDB;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// Counts of registry events per day, drive and metric (the names in <see cref="Metric"/>), kept in the same transaction as the events, so that a report
/// over a period reads a few hundred small documents rather than a million donors' histories.
/// </summary>
internal static class DailyCounts
{
    public const string Collection = "daily_counts";

    /// <summary>
    /// Re-collections (a donor's second or later sample) with the day of the donor's first sample: with the
    /// first-sample counts they give the donors sampled in any period, without reading every sample.
    /// </summary>
    public const string RecollectionCollection = "recollections";

    /// <summary>The drive code of donors who came from no drive.</summary>
    public const string NoDrive = "";

    public static string Id(DateOnly day, DriveId? drive, string metric) => $"{day.DayNumber}|{drive?.Value ?? NoDrive}|{metric}";

    public static BsonDocument New(DateOnly day, DriveId? drive, string metric) => new()
    {
        ["_id"] = Id(day, drive, metric),
        ["day"] = day.DayNumber,
        ["drive"] = drive?.Value ?? NoDrive,
        ["metric"] = metric,
        ["n"] = 0,
    };
}
