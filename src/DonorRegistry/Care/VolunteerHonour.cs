using DonorRegistry.Donors;

namespace DonorRegistry.Care;

/// <summary>
/// An outstanding drive volunteer (an organizer's helper, not a donor) named for festival visits, as the branch
/// visits them at festivals and special occasions, with the visits the appreciation policy makes due
/// (<see cref="AppreciationPolicy.VolunteerOccasions"/>). Recorded apart from donors: no donor record, no donor
/// figure of any report counts a volunteer.
/// </summary>
/// <param name="Id">Its number (VOL-00000001).</param>
/// <param name="Name">The volunteer's name as the branch publishes it (1 to 100 characters).</param>
/// <param name="Drive">The drive they helped, or null.</param>
/// <param name="Reason">Why they are named (1 to 500 characters).</param>
/// <param name="NamedOn">The day they were named.</param>
/// <param name="Visits">The festival visits, in due order.</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="Version">How many changes were stored; each has one audit record.</param>
public sealed record VolunteerHonour(
    string Id,
    string Name,
    DriveId? Drive,
    string Reason,
    DateOnly NamedOn,
    IReadOnlyList<AppreciationVisit> Visits,
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

    /// <summary>Open while a visit is due; Done when every visit was made or skipped.</summary>
    string Storage.IAggregate.StateName => Visits.Any(v => v.State == VisitState.Due) ? "Open" : "Done";

    void Storage.IAggregate.Touch(DateTimeOffset at, bool stateChanged)
    {
    }

    /// <summary>One line a person can read: <c>VOL-00000001 王芳 (BISU-20220314) named 2022-03-20: 组织校园宣讲; 1 of 2 visits done or skipped</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Id} {Name}{(Drive is { } d ? $" ({d})" : string.Empty)} named {Readable.Day(NamedOn)}: {Reason}; {Readable.Number(Visits.Count(v => v.State != VisitState.Due))} of {Readable.Count(Visits.Count, "visit")} done or skipped";
}
