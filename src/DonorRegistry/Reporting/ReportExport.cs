using System.Globalization;
using CsvHelper;
using DonorRegistry.Drives;

namespace DonorRegistry.Reporting;

/// <summary>Reports as CSV (CsvHelper; UTF-8, comma-separated, a header row, formula-like text escaped).</summary>
public static class ReportExport
{
    /// <summary>Writes a report, a line per number: section, metric, what it counts, value, meaning.</summary>
    /// <param name="report">The report.</param>
    /// <param name="destination">Where to write; left open.</param>
    public static void WriteCsv(RegistryReport report, Stream destination)
    {
        Guard.NotNull(report, nameof(report), "give a value; null is not allowed");
        Guard.NotNull(destination, nameof(destination), "give a value; null is not allowed");
        using var csv = CsvWriter.Create(destination, Options(), leaveOpen: true);
        csv.WriteHeader(["period", "drive", "section", "metric", "counts", "value", "meaning"]);
        foreach (var line in report.Lines())
        {
            csv.WriteRecord([report.Period.ToString(), report.Drive?.Value ?? "(registry)", line.Section, line.Metric, line.Counts.ToString().ToLowerInvariant(), line.Value.ToString(CultureInfo.InvariantCulture), line.Meaning]);
        }
    }

    /// <summary>Writes drives side by side: each drive's funnel and conversions.</summary>
    /// <param name="drives">The drives' statistics.</param>
    /// <param name="destination">Where to write; left open.</param>
    public static void WriteDrivesCsv(IEnumerable<DriveStatistics> drives, Stream destination)
    {
        Guard.NotNull(drives, nameof(drives), "give a value; null is not allowed");
        Guard.NotNull(destination, nameof(destination), "give a value; null is not allowed");
        using var csv = CsvWriter.Create(destination, Options(), leaveOpen: true);
        csv.WriteHeader(["drive", "lectures", "attendees", "enrolled", "samples", "donors_sampled", "samples_rejected", "donors_typed", "donors_listed", "enrolled_per_attendee", "listed_per_enrolled"]);
        foreach (var s in drives)
        {
            csv.WriteRecord(
            [
                s.Drive.Value, N(s.Lectures), N(s.Attendees), N(s.Enrolled), N(s.Samples), N(s.DonorsSampled), N(s.SamplesRejected), N(s.DonorsTyped), N(s.DonorsListed),
                Ratio(s.AttendeesToEnrolled), Ratio(s.Enrolled == 0 ? null : (double)s.DonorsListed / s.Enrolled),
            ]);
        }
    }

    /// <summary>
    /// Writes publishable recognitions (see <see cref="Care.CareOperations.FindPublishableRecognitions"/>): only donors who
    /// consent to publicity are in them, and inside the anonymity period the collection day and centre are empty.
    /// </summary>
    /// <param name="recognitions">The entries.</param>
    /// <param name="destination">Where to write; left open.</param>
    public static void WriteRecognitionsCsv(IEnumerable<Care.RecognitionEntry> recognitions, Stream destination)
    {
        Guard.NotNull(recognitions, nameof(recognitions), "give a value; null is not allowed");
        Guard.NotNull(destination, nameof(destination), "give a value; null is not allowed");
        using var csv = CsvWriter.Create(destination, Options(), leaveOpen: true);
        csv.WriteHeader(["recognition", "donor", "kind", "title", "on", "donation_year", "product", "collected_on", "centre", "anonymous_until"]);
        foreach (var e in recognitions)
        {
            var r = e.Recognition;
            csv.WriteRecord(
            [
                r.Id, r.Donor.ToString(), r.Kind.ToString(), r.Title, Day(r.On), N(e.DonationYear), e.Product.ToString(),
                e.CollectedOn is { } day ? Day(day) : string.Empty, e.Centre ?? string.Empty, Day(e.AnonymousUntil),
            ]);
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static CsvWriterOptions Options() => new() { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture };

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Ratio(double? r) => r is { } v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : string.Empty;
}
