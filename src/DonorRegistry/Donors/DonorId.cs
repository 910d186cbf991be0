using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DonorRegistry.Donors;

/// <summary>
/// A donor's registry id: a number the registry hands out in enrolment order, written <c>DR-00000042</c>.
/// It carries no personal data and is the only donor reference other records hold.
/// </summary>
/// <param name="Value">The number, at least 1.</param>
public readonly record struct DonorId(long Value)
{
    private const string Prefix = "DR-";

    /// <summary>Parses the written form (<c>DR-00000042</c>) or the bare number.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The id.</returns>
    /// <exception cref="FormatException">The text is neither form.</exception>
    public static DonorId Parse(string text) =>
        TryParse(text, out var id)
            ? id
            : throw new FormatException($"'{text}' is not a donor id; write it as DR-00000042 or as a positive number.");

    /// <summary>Parses the written form (<c>DR-00000042</c>) or the bare number.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="id">The id, when parsed.</param>
    /// <returns>Whether the text was a donor id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out DonorId id)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            span = span[Prefix.Length..];
        }

        if (!long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            return false;
        }

        id = new DonorId(value);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Prefix + Value.ToString("D8", CultureInfo.InvariantCulture);
}
