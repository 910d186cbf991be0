namespace DonorRegistry;

/// <summary>Input checks shared by the operation classes; each throws an <see cref="ArgumentException"/> that names the parameter and what is allowed.</summary>
internal static class Guard
{
    public const int MaxTextLength = 500;
    private const int MaxActorLength = 200;

    /// <summary>Who acts, for the audit trail: 1 to 200 printable characters.</summary>
    public static string Actor(string by)
    {
        if (string.IsNullOrWhiteSpace(by) || by.Length > MaxActorLength || by.Any(char.IsControl))
        {
            throw new ArgumentException($"'by' names who acts, for the audit trail: give 1 to {MaxActorLength} printable characters (got '{by}').", nameof(by));
        }

        return by;
    }

    /// <summary>Whether a value is a code: 1 to <paramref name="maxLength"/> ASCII letters, digits, '-', '_' or '.'.</summary>
    public static bool IsCode(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>A reason or note: 1 to 500 characters, not blank.</summary>
    public static string Text(string text, string name)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            throw new ArgumentException($"'{name}' must be 1 to {MaxTextLength} characters and not blank (got {(text is null ? "null" : $"{text.Length} characters")}).", name);
        }

        return text;
    }

    /// <summary>The longest name accepted (of a venue, centre, organizer, speaker, drive).</summary>
    public const int MaxNameLength = 200;

    /// <summary>A name of a place, person or event: 1 to 200 printable characters, else <see cref="DonorValidationException"/> naming the field.</summary>
    public static string Name(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxNameLength || value.Any(char.IsControl))
        {
            throw new DonorValidationException(field, value, "is blank, too long or has control characters", $"give 1 to {MaxNameLength} printable characters");
        }

        return value;
    }

    /// <summary>A day that must have come: throws <see cref="DonorValidationException"/> naming the field, the day and today.</summary>
    public static void NotAfterToday(DateOnly day, DateOnly today, string field, string allowed)
    {
        if (day > today)
        {
            throw new DonorValidationException(field, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"is after today ({today:yyyy-MM-dd})", allowed);
        }
    }

    /// <summary>A period of days, both included: throws <see cref="ArgumentException"/> when it ends before it starts.</summary>
    public static void Period(DateOnly from, DateOnly to, string what = "period")
    {
        if (to < from)
        {
            throw new ArgumentException(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The {what} ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}); give an end on or after the start."),
                nameof(to));
        }
    }
}
