using DonorRegistry.Donors;

namespace DonorRegistry.Care;

/// <summary>
/// One donation and the care that follows it: the collection's details, the follow-up schedule with what each
/// check found, the appreciation visits the branch's rules make due, and whether the donor can be reached.
/// </summary>
/// <param name="Id">The donation's number (DON-00000001).</param>
/// <param name="Donor">The donor.</param>
/// <param name="Details">The collection.</param>
/// <param name="FollowUps">The follow-up schedule, in due order.</param>
/// <param name="Visits">The appreciation visits, in due order.</param>
/// <param name="UnreachableSince">Since when the donor cannot be reached, or null; the schedule stays.</param>
/// <param name="UnreachableNote">Why, or how it was tried.</param>
/// <param name="RecordedAt">When the donation was recorded.</param>
/// <param name="Version">How many changes were stored; each has one audit record.</param>
public sealed record DonationRecord(
    string Id,
    DonorId Donor,
    DonationDetails Details,
    IReadOnlyList<FollowUp> FollowUps,
    IReadOnlyList<AppreciationVisit> Visits,
    DateOnly? UnreachableSince,
    string? UnreachableNote,
    DateTimeOffset RecordedAt,
    int Version) : Storage.IAggregate
{
    /// <summary>How many changes were stored; each has one audit record.</summary>
    public int Version { get; internal set; } = Version;

    int Storage.IAggregate.Version
    {
        get => Version;
        set => Version = value;
    }

    string Storage.IAggregate.Key => Id;

    /// <summary>Active while the donor can be reached for follow-up; Unreachable otherwise.</summary>
    string Storage.IAggregate.StateName => UnreachableSince is null ? "Active" : "Unreachable";

    void Storage.IAggregate.Touch(DateTimeOffset at, bool stateChanged)
    {
    }

    /// <summary>The follow-ups past due and not done on a day.</summary>
    /// <param name="day">The day.</param>
    /// <returns>The overdue follow-ups.</returns>
    public IReadOnlyList<FollowUp> OverdueOn(DateOnly day) => FollowUps.Where(f => f.IsOverdueOn(day)).ToList();

    /// <summary>One line a person can read: <c>DON-00000001 DR-00000042: Pbsc 2026-08-04 to 2026-08-05 at 北京协和医院采集中心 (Completed); 3 of 14 follow-ups done, 2 of 6 visits done</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Id} {Donor}: {Details.Product} {Readable.Day(Details.CollectionStart)} to {Readable.Day(Details.CollectionEnd)} at {Details.Centre} ({Details.Outcome}); "
        + $"{Readable.Number(FollowUps.Count(f => f.IsDone))} of {Readable.Count(FollowUps.Count, "follow-up")} done, {Readable.Number(Visits.Count(v => v.State != VisitState.Due))} of {Readable.Count(Visits.Count, "visit")} done or skipped"
        + (UnreachableSince is { } since ? $", unreachable since {Readable.Day(since)}" : string.Empty);
}
