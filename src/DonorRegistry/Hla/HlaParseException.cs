namespace DonorRegistry.Hla;

/// <summary>Thrown when an HLA string (an allele name, a list, a genotype or a reference file line) cannot be read.</summary>
public sealed class HlaParseException : DonorRegistryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="text">The text that was being read.</param>
    /// <param name="position">The zero-based position in <paramref name="text"/> where reading failed.</param>
    /// <param name="expected">What was expected there.</param>
    public HlaParseException(string text, int position, string expected)
        : base($"'{Around(text, position)}' is not a valid HLA name at position {position + 1}: expected {expected}.")
    {
        Text = text;
        Position = position;
        Expected = expected;
    }

    /// <summary>The text that was being read.</summary>
    public string Text { get; }

    /// <summary>The zero-based position where reading failed.</summary>
    public int Position { get; }

    /// <summary>What was expected at <see cref="Position"/>.</summary>
    public string Expected { get; }

    /// <summary>The text for the message: whole when short, else the 40 characters around the position (a message never echoes a long value whole).</summary>
    private static string? Around(string? text, int position)
    {
        if (text is null || text.Length <= Guard.MaxShown)
        {
            return Guard.Prefix(text);
        }

        var start = Math.Clamp(position - (Guard.MaxShown / 2), 0, text.Length - Guard.MaxShown);
        return (start > 0 ? "…" : string.Empty) + Guard.Prefix(text[start..]);
    }
}
