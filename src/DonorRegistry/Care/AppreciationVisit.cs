namespace DonorRegistry.Care;

/// <summary>An appreciation visit (慰问) that a rule makes due, and what happened to it.</summary>
/// <param name="Key">Its key for the donor: the occasion, and the year for calendar occasions (SpringFestival-2027).</param>
/// <param name="Occasion">The occasion.</param>
/// <param name="DueOn">The day it is due.</param>
/// <param name="DueBy">The last day it is on time.</param>
/// <param name="State">Due, visited or skipped.</param>
/// <param name="On">The day it was visited or skipped.</param>
/// <param name="By">Who visited (or skipped it).</param>
/// <param name="Gifts">What was given.</param>
/// <param name="Notes">Notes, or the reason it was skipped.</param>
public sealed record AppreciationVisit(
    string Key,
    AppreciationOccasion Occasion,
    DateOnly DueOn,
    DateOnly DueBy,
    VisitState State = VisitState.Due,
    DateOnly? On = null,
    string? By = null,
    string? Gifts = null,
    string? Notes = null)
{
    /// <summary>One line a person can read: <c>SpringFestival-2027 due 2027-02-06 (on time until 2027-02-13): Visited on 2027-02-07 by coordinator.wang</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Key} due {Readable.Day(DueOn)} (on time until {Readable.Day(DueBy)}): {State}{(On is { } on ? $" on {Readable.Day(on)}" : string.Empty)}{(By is null ? string.Empty : $" by {By}")}";
}
