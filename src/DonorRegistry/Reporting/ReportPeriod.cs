using System.Globalization;

namespace DonorRegistry.Reporting;

/// <summary>The days a report covers, both included.</summary>
public sealed record ReportPeriod
{
    /// <summary>Creates a period.</summary>
    /// <param name="from">The first day.</param>
    /// <param name="to">The last day: on or after <paramref name="from"/>.</param>
    /// <exception cref="RegistryValidationException">The period ends before it starts.</exception>
    public ReportPeriod(DateOnly from, DateOnly to)
    {
        Guard.Period(from, to, "report period");

        From = from;
        To = to;
    }

    /// <summary>The first day.</summary>
    public DateOnly From { get; }

    /// <summary>The last day.</summary>
    public DateOnly To { get; }

    /// <summary>A calendar year.</summary>
    /// <param name="year">The year.</param>
    /// <returns>1 January to 31 December.</returns>
    public static ReportPeriod Year(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    /// <summary>Whether a day falls in the period.</summary>
    /// <param name="day">The day.</param>
    /// <returns>True inside.</returns>
    public bool Contains(DateOnly day) => day >= From && day <= To;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{From:yyyy-MM-dd}..{To:yyyy-MM-dd}");
}
