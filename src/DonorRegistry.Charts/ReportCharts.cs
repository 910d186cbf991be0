using System.Globalization;
using DonorRegistry.Drives;
using ScottPlot;

namespace DonorRegistry.Reporting;

/// <summary>
/// Reports as PNG charts (ScottPlot; renders headless). Titles, axes and labels are Chinese by default or English
/// (<see cref="ChartOptions.Culture"/>); Chinese needs a CJK font, found through fontconfig or given as a path
/// (<see cref="ChartOptions.FontPath"/>), and without one the chart falls back to English labels with a logged
/// warning. Count axes have whole-number ticks, both axes a title, and every bar its value. Options and arguments are
/// checked before anything is drawn; the PNG is written to a temporary file beside the target and then moved over it,
/// so a failed chart leaves no half-written file.
/// </summary>
public static class ReportCharts
{
    private const int Width = 900;
    private const int Height = 540;

    /// <summary>
    /// The recruitment funnel of a report: attendees, enrolled, sampled, entered, listed, donated, on a logarithmic
    /// axis so that every stage shows (attendees outnumber donations a hundredfold); each bar is labelled with its count
    /// and its share of the stage before.
    /// </summary>
    /// <param name="report">The report.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="options">Language and font; null for the defaults (Chinese, a CJK font from fontconfig).</param>
    /// <exception cref="RegistryValidationException">The path is blank, the culture unknown, or the font path not a font.</exception>
    public static void RecruitmentFunnel(RegistryReport report, string path, ChartOptions? options = null)
    {
        Guard.NotNull(report, nameof(report), "give a value; null is not allowed");
        var target = Target(path);
        var font = ChartFont.Resolve(options);
        var c = font.Culture;
        (string Label, int Value)[] stages =
        [
            (c.Pick("听众", "Attendees"), report.Attendees), (c.Pick("报名", "Enrolled"), report.Enrolled), (c.Pick("采样", "Donors sampled"), report.DonorsSampled),
            (c.Pick("血样入库", "Samples entered"), report.SamplesEntered), (c.Pick("志愿者入库", "Donors listed"), report.DonorsListed), (c.Pick("捐献", "Donated"), report.DonorsWhoDonated),
        ];
        var plot = new Plot();
        font.Apply(plot);
        var heights = stages.Select(s => s.Value > 0 ? Math.Log10(s.Value) : 0).ToArray();
        var bars = plot.Add.Bars(heights);
        for (var i = 0; i < stages.Length; i++)
        {
            var count = Count(stages[i].Value);
            bars.Bars[i].Label = i == 0 || stages[i - 1].Value == 0
                ? count
                : $"{count} ({(100.0 * stages[i].Value / stages[i - 1].Value).ToString(stages[i].Value * 1000 < stages[i - 1].Value ? "0.00" : "0.0", CultureInfo.InvariantCulture)}%)";
        }

        ValueLabels(bars, font);
        Categories(plot, stages.Select(s => s.Label).ToArray());

        // The log axis: a major tick at each power of ten, labelled with the count; minor ticks between.
        var top = Math.Max(1, (int)Math.Ceiling(heights.Max() + 0.35));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var power = 0; power <= top; power++)
        {
            ticks.AddMajor(power, Count((int)Math.Pow(10, power)));
            for (var m = 2; m <= 9 && power < top; m++)
            {
                ticks.AddMinor(power + Math.Log10(m));
            }
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(0, top);
        plot.Title(c.Pick("招募漏斗 ", "Recruitment funnel ") + report.Period + (report.Drive is { } d ? " - " + d.Value : string.Empty));
        plot.XLabel(c.Pick("环节（括号内为占上一环节的比例）", "stage (in brackets: share of the stage before)"));
        plot.YLabel(c.Pick("人数或份数（对数坐标）", "people or samples (log scale)"));
        Save(plot, target, Width, Height);
    }

    /// <summary>Collections per month of a year.</summary>
    /// <param name="year">The year.</param>
    /// <param name="perMonth">Twelve counts, January first.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="options">Language and font; null for the defaults (Chinese, a CJK font from fontconfig).</param>
    /// <exception cref="RegistryValidationException">Not twelve counts, a negative count, a blank path, an unknown culture, or a font path that is not a font.</exception>
    public static void DonationsPerMonth(int year, IReadOnlyList<int> perMonth, string path, ChartOptions? options = null)
    {
        Guard.NotNull(perMonth, nameof(perMonth), "give a value; null is not allowed");
        if (perMonth.Count != 12)
        {
            throw new RegistryValidationException(nameof(perMonth), perMonth.Count.ToString(CultureInfo.InvariantCulture), "is not twelve counts", "give one count per month, January first");
        }

        NotNegative(perMonth, nameof(perMonth));
        var target = Target(path);
        var font = ChartFont.Resolve(options);
        var c = font.Culture;
        var plot = new Plot();
        font.Apply(plot);
        var bars = plot.Add.Bars(perMonth.Select(n => (double)n).ToArray());
        for (var i = 0; i < 12; i++)
        {
            bars.Bars[i].Label = Count(perMonth[i]);
        }

        ValueLabels(bars, font);
        Categories(plot, Enumerable.Range(1, 12).Select(m => c.IsChinese ? m.ToString(CultureInfo.InvariantCulture) + "月" : CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(m)).ToArray());
        CountAxis(plot, plot.Axes.Left, perMonth.DefaultIfEmpty(0).Max());
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{(c.IsChinese ? $"{year} 年每月捐献" : $"Donations per month, {year}")}"));
        plot.XLabel(c.Pick("月份（按最后采集日）", "month (of the last collection day)"));
        plot.YLabel(c.Pick("捐献（次）", "donations"));
        Save(plot, target, Width, Height);
    }

    /// <summary>
    /// Drives compared by yield: donors listed per 100 enrolled, one horizontal bar per drive labelled with its name
    /// (its code when no CJK font draws the name) and its yield.
    /// </summary>
    /// <param name="drives">The drives' statistics (<see cref="ReportOperations.CompareDrives"/>).</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="options">Language and font; null for the defaults (Chinese, a CJK font from fontconfig).</param>
    /// <exception cref="RegistryValidationException">A blank path, an unknown culture, or a font path that is not a font.</exception>
    public static void DrivesByYield(IReadOnlyList<DriveStatistics> drives, string path, ChartOptions? options = null)
    {
        Guard.NotNull(drives, nameof(drives), "give a value; null is not allowed");
        var target = Target(path);
        var font = ChartFont.Resolve(options);
        var c = font.Culture;
        var plot = new Plot();
        font.Apply(plot);

        // The best yield on top: a horizontal chart lists from the bottom up.
        var ordered = drives.Reverse().ToList();
        var yields = ordered.Select(s => 100.0 * (s.Yield ?? 0)).ToArray();
        var bars = plot.Add.Bars(yields);
        bars.Horizontal = true;
        for (var i = 0; i < ordered.Count; i++)
        {
            bars.Bars[i].Label = ReportCulture.Percent(ordered[i].Yield) is { Length: > 0 } share ? share : "-";
        }

        ValueLabels(bars, font);
        plot.Axes.Left.SetTicks(Enumerable.Range(0, ordered.Count).Select(i => (double)i).ToArray(), ordered.Select(s => Short(font.Show(s.Plan?.Name, s.Drive.Value), 30)).ToArray());
        plot.Axes.Left.MinimumSize = 120;
        NoTickMarks(plot.Axes.Left);
        plot.Axes.Margins(left: 0);
        plot.Axes.SetLimitsX(0, 112);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [0, 20, 40, 60, 80, 100], ["0%", "20%", "40%", "60%", "80%", "100%"]);
        plot.Title(c.Pick("各招募活动的入库率（每 100 名报名者中入库的人数）", "Drives by yield (donors listed per 100 enrolled)"));
        plot.XLabel(c.Pick("入库 / 报名", "listed / enrolled"));
        plot.YLabel(c.Pick("招募活动", "drive"));
        Save(plot, target, Width, Math.Max(Height, 160 + (36 * ordered.Count)));
    }

    /// <summary>
    /// One report line compared across places over the years (the universities of a branch, say): a group of bars per
    /// year, a bar per place in its colour, each labelled with its value, and a legend of the places.
    /// </summary>
    /// <param name="metric">The report line's code, as <see cref="ReportLine.Metric"/> gives it (<c>samples_entered</c>); its label is the chart's title.</param>
    /// <param name="years">The years, in order.</param>
    /// <param name="places">The places, each with a value per year.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="options">Language and font; null for the defaults (Chinese, a CJK font from fontconfig).</param>
    /// <exception cref="RegistryValidationException">An unknown metric, no years, no places or more than eight, a place without a value per year or with a negative one, a blank path, an unknown culture, or a font path that is not a font.</exception>
    public static void PlacesByYear(string metric, IReadOnlyList<int> years, IReadOnlyList<PlaceSeries> places, string path, ChartOptions? options = null)
    {
        Guard.NotNull(years, nameof(years), "give a value; null is not allowed");
        Guard.NotNull(places, nameof(places), "give a value; null is not allowed");
        _ = ReportCulture.English.Label(metric);
        if (years.Count == 0)
        {
            throw new RegistryValidationException(nameof(years), "0", "holds no year", "give at least one year");
        }

        if (places.Count is 0 or > 8)
        {
            throw new RegistryValidationException(nameof(places), places.Count.ToString(CultureInfo.InvariantCulture), "is not 1 to 8 places", "give between one and eight places, each with a value per year");
        }

        foreach (var place in places)
        {
            Guard.NotNull(place, nameof(places), "give a place, not null");
            if (place.Values is null || place.Values.Count != years.Count)
            {
                throw new RegistryValidationException(nameof(places), place.Code, $"has {place.Values?.Count ?? 0} values for {years.Count} years", "give one value per year, in the years' order");
            }

            NotNegative(place.Values, nameof(places));
        }

        var target = Target(path);
        var font = ChartFont.Resolve(options);
        var c = font.Culture;
        var plot = new Plot();
        font.Apply(plot);
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (var y = 0; y < years.Count; y++)
        {
            for (var p = 0; p < places.Count; p++)
            {
                bars.Add(new Bar
                {
                    Position = (y * (places.Count + 1)) + p,
                    Value = places[p].Values[y],
                    FillColor = palette.GetColor(p),
                    Label = Count(places[p].Values[y]),
                });
            }
        }

        var plotted = plot.Add.Bars(bars);
        ValueLabels(plotted, font);
        plotted.ValueLabelStyle.FontSize = places.Count * years.Count > 24 ? 10 : 12;
        for (var p = 0; p < places.Count; p++)
        {
            var item = new LegendItem { LabelText = font.Show(places[p].Name, places[p].Code), FillColor = palette.GetColor(p) };
            item.LabelStyle.OffsetY = font.Cjk ? 4 : 0;
            plot.Legend.ManualItems.Add(item);
        }

        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.ShowLegend();
        plot.Axes.Bottom.SetTicks(
            years.Select((_, y) => (y * (places.Count + 1)) + ((places.Count - 1) / 2.0)).ToArray(),
            years.Select(y => y.ToString(CultureInfo.InvariantCulture)).ToArray());
        NoTickMarks(plot.Axes.Bottom);
        plot.Axes.Margins(bottom: 0);
        var max = places.SelectMany(p => p.Values).DefaultIfEmpty(0).Max();
        CountAxis(plot, plot.Axes.Left, max);

        // Room above the tallest bar for its label and for the legend.
        plot.Axes.SetLimitsY(0, Math.Max(1, max) * 1.3);
        var label = c.Label(metric);
        plot.Title(c.IsChinese ? $"{label}：各地点逐年对比" : $"{label} by place and year");
        plot.XLabel(c.Pick("年份", "year"));
        plot.YLabel(label);
        Save(plot, target, Math.Max(Width, 120 + (years.Count * (places.Count + 1) * 22)), Height);
    }

    private static void ValueLabels(ScottPlot.Plottables.BarPlot bars, ChartFont font)
    {
        bars.ValueLabelStyle.FontSize = 13;
        if (font.Name is { } name)
        {
            bars.ValueLabelStyle.FontName = name;
        }
    }

    private static void Categories(Plot plot, string[] labels)
    {
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), labels);
        NoTickMarks(plot.Axes.Bottom);
        plot.Axes.Margins(bottom: 0);
    }

    // A category axis needs no tick marks: they would cross its labels.
    private static void NoTickMarks(IAxis axis)
    {
        axis.MajorTickStyle.Length = 0;
        axis.MinorTickStyle.Length = 0;
    }

    // Whole-number ticks on a count axis, with room above the tallest bar for its label.
    private static void CountAxis(Plot plot, IAxis axis, int max)
    {
        var step = NiceStep(Math.Max(1, max));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var v = 0; v <= max + step; v += step)
        {
            ticks.AddMajor(v, Count(v));
        }

        axis.TickGenerator = ticks;
        plot.Axes.SetLimitsY(0, (max + step) * 1.05);
    }

    // 1, 2 or 5 times a power of ten, giving at most about eight ticks.
    private static int NiceStep(int max)
    {
        for (var power = 1; ; power *= 10)
        {
            foreach (var m in new[] { 1, 2, 5 })
            {
                if (max / (m * power) <= 8)
                {
                    return m * power;
                }
            }
        }
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Short(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static void NotNegative(IReadOnlyList<int> values, string field)
    {
        if (values.FirstOrDefault(v => v < 0) is var negative and < 0)
        {
            throw new RegistryValidationException(field, negative.ToString(CultureInfo.InvariantCulture), "is a negative count", "give counts of zero or more");
        }
    }

    private static string Target(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new RegistryValidationException(nameof(path), path, "is blank", "give the PNG file's path");
        }

        return Path.GetFullPath(path);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temporary, plot.GetImageBytes(width, height, ImageFormat.Png));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
