namespace DonorRegistry.Care;

/// <summary>Something that went wrong for the donor: bone pain after G-CSF, a low platelet count, a vasovagal reaction.</summary>
/// <param name="Description">What happened (1 to 500 characters).</param>
/// <param name="Severity">How severe.</param>
/// <param name="OnDay">The day it began.</param>
public sealed record AdverseEvent(string Description, AdverseEventSeverity Severity, DateOnly OnDay)
{
    /// <summary>One line a person can read: <c>Mild from 2026-08-03: G-CSF 后骨痛 bone pain</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Severity} from {Readable.Day(OnDay)}: {Description}";
}
