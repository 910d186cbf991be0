using System.Globalization;

namespace DonorRegistry;

/// <summary>
/// The pieces of the one-line <c>ToString</c> of the records a host prints: days and instants in ISO form, numbers
/// and shares in the invariant culture, counted nouns, and lists cut short. Personal data is never shown whole.
/// </summary>
internal static class Readable
{
    /// <summary>A day as <c>2026-06-01</c>.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An instant in UTC as <c>2026-06-01T08:00:00Z</c>.</summary>
    public static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A whole number with thousands separators: <c>1,036</c>.</summary>
    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A count and its noun: <c>1 tube</c>, <c>3 tubes</c> (the plural given when it is not noun + s).</summary>
    public static string Count(int count, string noun, string? plural = null) => $"{Number(count)} {(count == 1 ? noun : plural ?? noun + "s")}";

    /// <summary>A share as a percentage with one decimal (<c>57.1%</c>), or <c>n/a</c> when there is nothing to divide by.</summary>
    public static string Share(double? share) => share is { } s ? s.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", string.Empty, StringComparison.Ordinal) : "n/a";

    /// <summary>The first <paramref name="max"/> items, comma-separated, then how many more: <c>T-1, T-2, T-3 and 7 more</c>.</summary>
    public static string List(IReadOnlyCollection<string> items, int max = 5) =>
        items.Count <= max ? string.Join(", ", items) : $"{string.Join(", ", items.Take(max))} and {Number(items.Count - max)} more";

    /// <summary>A name reduced to its first character and a star per further character: <c>王*</c>.</summary>
    public static string MaskName(string? name) =>
        string.IsNullOrEmpty(name) ? string.Empty : name[..1] + new string('*', Math.Min(name.Length, 40) - 1);
}
