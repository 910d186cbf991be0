namespace DonorRegistry.Donors;

/// <summary>A change the calendar made to a donor (a deferral or recovery ended, the leaving age was reached).</summary>
/// <param name="DonorId">The donor.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="Trigger">The trigger that was fired.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record CalendarChange(DonorId DonorId, DonorState From, DonorState To, DonorTrigger Trigger, string Reason)
{
    /// <summary>One line a person can read: <c>DR-00000042 TemporarilyUnavailable -> Available (EndDeferral: the deferral ended on 2026-09-01)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{DonorId} {From} -> {To} ({Trigger}: {Reason})";
}
