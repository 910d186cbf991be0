using System.Globalization;
using DonorRegistry.Drives;
using ScottPlot;

namespace DonorRegistry.Reporting;

/// <summary>Reports as PNG charts (ScottPlot; renders headless). Labels are in English so that any font renders them.</summary>
public static class ReportCharts
{
    private const int Width = 900;
    private const int Height = 540;

    /// <summary>The recruitment funnel of a report: attendees, enrolled, sampled, entered, listed, donated.</summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The PNG file to write.</param>
    public static void RecruitmentFunnel(RegistryReport report, string path)
    {
        Guard.NotNull(report, nameof(report), "give a value; null is not allowed");
        Bars(
            $"Recruitment funnel {report.Period}{(report.Drive is { } d ? " - " + d.Value : string.Empty)}",
            [("Attendees", report.Attendees), ("Enrolled", report.Enrolled), ("Donors sampled", report.DonorsSampled), ("Samples entered", report.SamplesEntered), ("Donors listed", report.DonorsListed), ("Donated", report.DonorsWhoDonated)],
            "people / samples",
            path);
    }

    /// <summary>Collections per month of a year.</summary>
    /// <param name="year">The year.</param>
    /// <param name="perMonth">Twelve counts, January first.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <exception cref="RegistryValidationException">Not twelve counts.</exception>
    public static void DonationsPerMonth(int year, IReadOnlyList<int> perMonth, string path)
    {
        Guard.NotNull(perMonth, nameof(perMonth), "give a value; null is not allowed");
        if (perMonth.Count != 12)
        {
            throw new RegistryValidationException(nameof(perMonth), perMonth.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "is not twelve counts", "give one count per month, January first");
        }

        Bars(
            string.Create(CultureInfo.InvariantCulture, $"Donations per month, {year}"),
            perMonth.Select((n, i) => (CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(i + 1), n)).ToList(),
            "donations",
            path);
    }

    /// <summary>Drives compared by yield: donors listed per volunteer enrolled.</summary>
    /// <param name="drives">The drives' statistics.</param>
    /// <param name="path">The PNG file to write.</param>
    public static void DrivesByYield(IReadOnlyList<DriveStatistics> drives, string path)
    {
        Guard.NotNull(drives, nameof(drives), "give a value; null is not allowed");
        var plot = new Plot();
        var yields = drives.Select(s => s.Enrolled == 0 ? 0 : 100.0 * s.DonorsListed / s.Enrolled).ToArray();
        plot.Add.Bars(yields);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, drives.Count).Select(i => (double)i).ToArray(), drives.Select(s => s.Drive.Value).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 100;
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsY(0, 100);
        plot.Title("Drives by yield (donors listed per 100 enrolled)");
        plot.YLabel("% of enrolled");
        Save(plot, path);
    }

    private static void Bars(string title, IReadOnlyList<(string Label, int Value)> bars, string unit, string path)
    {
        var plot = new Plot();
        var added = plot.Add.Bars(bars.Select(b => (double)b.Value).ToArray());
        foreach (var bar in added.Bars)
        {
            bar.Label = bar.Value.ToString("N0", CultureInfo.InvariantCulture);
        }

        added.ValueLabelStyle.FontSize = 14;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, bars.Count).Select(i => (double)i).ToArray(), bars.Select(b => b.Label).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(unit);
        Save(plot, path);
    }

    private static void Save(Plot plot, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RegistryValidationException(nameof(path), path, "is blank", "give the PNG file's path");
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        plot.SavePng(path, Width, Height);
    }
}
