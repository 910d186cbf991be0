namespace DonorRegistry.Care;

/// <summary>One scheduled health check after a donation, and what was found when it was done.</summary>
/// <param name="Key">Its key in the schedule: D2, W1, M1, M6, Y1 ... Y10.</param>
/// <param name="Label">What people call it: "day 2", "week 1", "month 1", "month 6", "year 1" ...</param>
/// <param name="DueOn">The day it is due.</param>
/// <param name="DoneOn">The day it was done, or null.</param>
/// <param name="DoneBy">Who did it.</param>
/// <param name="Health">The donor's health then.</param>
/// <param name="AdverseEvents">Adverse events reported at it.</param>
/// <param name="Notes">Notes.</param>
public sealed record FollowUp(
    string Key,
    string Label,
    DateOnly DueOn,
    DateOnly? DoneOn = null,
    string? DoneBy = null,
    DonorHealth? Health = null,
    IReadOnlyList<AdverseEvent>? AdverseEvents = null,
    string? Notes = null)
{
    /// <summary>Whether it was done.</summary>
    public bool IsDone => DoneOn is not null;

    /// <summary>Whether it is past due and not done on a day.</summary>
    /// <param name="day">The day.</param>
    /// <returns>True when overdue.</returns>
    public bool IsOverdueOn(DateOnly day) => !IsDone && DueOn < day;

    /// <summary>One line a person can read: <c>month 1 (M1) due 2026-09-05, done 2026-09-06 by nurse.zhao: Well, no adverse events</c>, or <c>... due 2026-09-05, not done</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Label} ({Key}) due {Readable.Day(DueOn)}, "
        + (DoneOn is { } done ? $"done {Readable.Day(done)} by {DoneBy}: {Health?.ToString() ?? "health not recorded"}, {(AdverseEvents is { Count: > 0 } events ? Readable.Count(events.Count, "adverse event") : "no adverse events")}" : "not done");
}
