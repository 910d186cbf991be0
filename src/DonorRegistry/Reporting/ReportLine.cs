namespace DonorRegistry.Reporting;

/// <summary>One number of a report, with what it counts and what it means.</summary>
/// <param name="Section">The part of the work: recruitment, registry, matching, donation, care, recognition.</param>
/// <param name="Metric">The number's name, such as <c>samples_entered</c>.</param>
/// <param name="Counts">Events, people or places.</param>
/// <param name="Value">The number.</param>
/// <param name="Meaning">What it is, in a sentence.</param>
public sealed record ReportLine(string Section, string Metric, ReportCounts Counts, int Value, string Meaning)
{
    /// <summary>One line a person can read: <c>recruitment samples_entered: 1,036 events (samples entered into the registry)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => $"{Section} {Metric}: {Readable.Number(Value)} {Counts.ToString().ToLowerInvariant()} ({Meaning})";
}
