namespace DonorRegistry;

/// <summary>Input checks shared by the operation classes; each throws a <see cref="RegistryValidationException"/> that names the field, quotes a short prefix of the value and says what is allowed.</summary>
internal static class Guard
{
    public const int MaxTextLength = 500;
    private const int MaxActorLength = 200;

    /// <summary>Who acts, for the audit trail: 1 to 200 printable characters.</summary>
    public static string Actor(string by)
    {
        if (string.IsNullOrWhiteSpace(by) || by.Length > MaxActorLength || by.Any(char.IsControl))
        {
            throw new RegistryValidationException("by", Prefix(by), "does not name who acts", $"give 1 to {MaxActorLength} printable characters, for the audit trail");
        }

        return by;
    }

    /// <summary>A required argument: throws <see cref="RegistryValidationException"/> naming it when it is null.</summary>
    public static T NotNull<T>([System.Diagnostics.CodeAnalysis.NotNull] T? value, string field, string allowed)
        where T : class =>
        value ?? throw new RegistryValidationException(field, null, "is missing", allowed);

    /// <summary>A page of a query: skip 0 or more, take 1 to 100,000.</summary>
    public static void Page(int skip, int limit)
    {
        if (skip < 0)
        {
            throw new RegistryValidationException(nameof(skip), skip.ToString(System.Globalization.CultureInfo.InvariantCulture), "is negative", "skip 0 or more");
        }

        if (limit is < 1 or > MaxPage)
        {
            throw new RegistryValidationException(nameof(limit), limit.ToString(System.Globalization.CultureInfo.InvariantCulture), "is out of range", $"take 1 to {MaxPage:N0} at a time");
        }
    }

    /// <summary>The largest page a query returns.</summary>
    public const int MaxPage = 100_000;

    /// <summary>The first characters of a value, for a message: a message never echoes a long value whole.</summary>
    public static string? Prefix(string? value, int length = 40) =>
        value is null ? null : value.Length <= length ? value : string.Concat(value.AsSpan(0, length), "…");

    /// <summary>Whether a value is a code: 1 to <paramref name="maxLength"/> ASCII letters, digits, '-', '_' or '.'.</summary>
    public static bool IsCode(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>A reason or note: 1 to 500 characters, not blank.</summary>
    public static string Text(string text, string name)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            throw new RegistryValidationException(name, Prefix(text), text is null ? "is missing" : $"is blank or has {text.Length} characters", $"give 1 to {MaxTextLength} characters, not blank");
        }

        return text;
    }

    /// <summary>The longest name accepted (of a venue, centre, organizer, speaker, drive).</summary>
    public const int MaxNameLength = 200;

    /// <summary>A name of a place, person or event: 1 to 200 printable characters, else <see cref="RegistryValidationException"/> naming the field.</summary>
    public static string Name(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxNameLength || value.Any(char.IsControl))
        {
            throw new RegistryValidationException(field, value, "is blank, too long or has control characters", $"give 1 to {MaxNameLength} printable characters");
        }

        return value;
    }

    /// <summary>A day that must have come: throws <see cref="RegistryValidationException"/> naming the field, the day and today.</summary>
    public static void NotAfterToday(DateOnly day, DateOnly today, string field, string allowed)
    {
        if (day > today)
        {
            throw new RegistryValidationException(field, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), $"is after today ({today:yyyy-MM-dd})", allowed);
        }
    }

    /// <summary>A period of days, both included: throws <see cref="RegistryValidationException"/> when it ends before it starts.</summary>
    public static void Period(DateOnly from, DateOnly to, string what = "period")
    {
        if (to < from)
        {
            throw new RegistryValidationException(
                what, $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}", $"ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd})", "give an end on or after the start");
        }
    }
}
