using DonorRegistry.Donors;

namespace DonorRegistry.Drives;

/// <summary>What an organizer plans: the drive's code, name, kind, organizer, venue, days and target.</summary>
/// <param name="Id">The drive's code, unique in the registry (e.g. <c>PKU-2026-03</c>).</param>
/// <param name="Name">A name people recognise (1 to 200 characters).</param>
/// <param name="Kind">Campus or community.</param>
/// <param name="Organizer">Who runs it (1 to 200 characters).</param>
/// <param name="Venue">Where (1 to 200 characters).</param>
/// <param name="StartsOn">The first day.</param>
/// <param name="EndsOn">The last day: on or after <paramref name="StartsOn"/>, at most a year later.</param>
/// <param name="Target">How many volunteers the organizer hopes to enrol: 1 to 100,000.</param>
/// <param name="ListAutomatically">Whether typed donors from this drive are listed as searchable as soon as their typing arrives.</param>
public sealed record DrivePlan(
    DriveId Id,
    string Name,
    DriveKind Kind,
    string Organizer,
    string Venue,
    DateOnly StartsOn,
    DateOnly EndsOn,
    int Target,
    bool ListAutomatically = true)
{
    /// <summary>One line a person can read: <c>PKU-2026-11 北京大学秋季招募 (Campus, 海淀区红十字会) at 百年纪念讲堂, 2026-11-02 to 2026-11-04, target 200</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Id} {Name} ({Kind}, {Organizer}) at {Venue}, {Readable.Day(StartsOn)} to {Readable.Day(EndsOn)}, target {Readable.Number(Target)}{(ListAutomatically ? string.Empty : ", typed donors listed by hand")}";
}
