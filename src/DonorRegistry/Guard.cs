using System.Globalization;
using System.Text;

namespace DonorRegistry;

/// <summary>
/// Input checks shared by the operation classes; each throws a <see cref="RegistryValidationException"/> that names the
/// field, quotes a short prefix of the value and says what is allowed. Text is refused when it holds a control
/// character (C0, DEL or C1) or a lone surrogate, and is returned in Unicode normalization form C, the form stored.
/// </summary>
internal static class Guard
{
    public const int MaxTextLength = 500;
    private const int MaxActorLength = 200;

    /// <summary>The longest part of a value a message quotes.</summary>
    public const int MaxShown = 40;

    /// <summary>The first day any verb accepts.</summary>
    public static readonly DateOnly MinDay = new(1900, 1, 1);

    /// <summary>The last day any verb accepts (a day beyond it is a typing error, or a hostile value).</summary>
    public static readonly DateOnly MaxDay = new(2199, 12, 31);

    /// <summary>Who acts, for the audit trail: 1 to 200 printable characters.</summary>
    public static string Actor(string by)
    {
        if (string.IsNullOrWhiteSpace(by) || by.Length > MaxActorLength || Unprintable(by, newlines: false) is not null)
        {
            var position = 0;
            _ = by is null ? null : Unprintable(by, newlines: false, out position);
            throw new RegistryValidationException(
                "by",
                by,
                Unprintable(by, newlines: false) ?? "does not name who acts",
                $"give 1 to {MaxActorLength} printable characters, for the audit trail",
                string.IsNullOrWhiteSpace(by) ? ValidationCode.Required : by.Length > MaxActorLength ? ValidationCode.TooLong : ValidationCode.ControlCharacters,
                string.IsNullOrWhiteSpace(by) ? null : by.Length > MaxActorLength ? Args((ValidationArgument.Max, MaxActorLength), (ValidationArgument.Length, by.Length)) : Args((ValidationArgument.Position, position)));
        }

        return Nfc(by);
    }

    /// <summary>Who acts, for the audit trail and the access check: a given actor whose name is 1 to 200 printable characters.</summary>
    public static string Actor([System.Diagnostics.CodeAnalysis.NotNull] Access.Actor? by) =>
        by is null ? throw new RegistryValidationException("by", null, "is missing", $"give who acts: Actor.For(name, roles), or a name of 1 to {MaxActorLength} printable characters", ValidationCode.Required) : Actor(by.Name);

    /// <summary>A required argument: throws <see cref="RegistryValidationException"/> naming it when it is null.</summary>
    public static T NotNull<T>([System.Diagnostics.CodeAnalysis.NotNull] T? value, string field, string allowed)
        where T : class =>
        value ?? throw new RegistryValidationException(field, null, "is missing", allowed, ValidationCode.Required);

    /// <summary>A page of a query: skip 0 or more, take 1 to 100,000.</summary>
    public static void Page(int skip, int limit)
    {
        if (skip < 0)
        {
            throw new RegistryValidationException(nameof(skip), skip.ToString(CultureInfo.InvariantCulture), "is negative", "skip 0 or more", ValidationCode.OutOfRange, Args((ValidationArgument.Min, 0)));
        }

        if (limit is < 1 or > MaxPage)
        {
            throw new RegistryValidationException(nameof(limit), limit.ToString(CultureInfo.InvariantCulture), "is out of range", $"take 1 to {MaxPage:N0} at a time", ValidationCode.OutOfRange, Args((ValidationArgument.Min, 1), (ValidationArgument.Max, MaxPage)));
        }
    }

    /// <summary>The largest page a query returns.</summary>
    public const int MaxPage = 100_000;

    /// <summary>
    /// The first characters of a value, for a message: a message never echoes a long value whole. Control characters
    /// and lone surrogates are shown as <c>\uXXXX</c>, and a surrogate pair is never cut in two.
    /// </summary>
    public static string? Prefix(string? value, int length = MaxShown)
    {
        if (value is null)
        {
            return null;
        }

        var cut = value.Length <= length ? value.Length : char.IsHighSurrogate(value[length - 1]) ? length - 1 : length;
        var shown = value.AsSpan(0, cut);
        if (Unprintable(shown, newlines: false) is null)
        {
            return cut < value.Length ? string.Concat(shown, "…") : shown.ToString();
        }

        var (text, whole) = Escape(shown, length);
        return whole && cut == value.Length ? text : text + "…";
    }

    /// <summary>Whether a value is a code: 1 to <paramref name="maxLength"/> ASCII letters, digits, '-', '_' or '.'.</summary>
    public static bool IsCode(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>A reason or note: 1 to 500 characters, not blank, no control characters; returned in NFC.</summary>
    public static string Text(string text, string name)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            throw new RegistryValidationException(name, text, text is null ? "is missing" : $"is blank or has {text.Length} characters", $"give 1 to {MaxTextLength} characters, not blank", LengthCode(text, MaxTextLength), LengthArguments(text, MaxTextLength));
        }

        return Printable(text, name, $"give 1 to {MaxTextLength} characters, without control characters");
    }

    /// <summary>The longest name accepted (of a venue, centre, organizer, speaker, drive).</summary>
    public const int MaxNameLength = 200;

    /// <summary>A name of a place, person or event: 1 to 200 printable characters, else <see cref="RegistryValidationException"/> naming the field; returned in NFC.</summary>
    public static string Name(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxNameLength)
        {
            throw new RegistryValidationException(field, value, value is null ? "is missing" : $"is blank or has {value.Length} characters", $"give 1 to {MaxNameLength} printable characters", LengthCode(value, MaxNameLength), LengthArguments(value, MaxNameLength));
        }

        return Printable(value, field, $"give 1 to {MaxNameLength} printable characters");
    }

    /// <summary>
    /// Refuses text with a control character (C0, DEL, C1; tab, CR and LF too unless <paramref name="newlines"/>) or a
    /// lone surrogate, naming the first one and its position; returns the text in Unicode normalization form C.
    /// </summary>
    public static string Printable(string value, string field, string allowed, bool newlines = false)
    {
        if (Unprintable(value, newlines, out var position) is { } problem)
        {
            throw new RegistryValidationException(field, value, problem, allowed, ValidationCode.ControlCharacters, Args((ValidationArgument.Position, position)));
        }

        return Nfc(value);
    }

    /// <summary>The text in Unicode normalization form C (checked first: most text already is).</summary>
    public static string Nfc(string value) =>
        IsNfcByQuickCheck(value) || value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);

    /// <summary>
    /// True when every character is below U+0300 or a CJK unified ideograph (U+3400-U+4DBF, U+4E00-U+9FFF): each has
    /// canonical combining class 0 and NFC quick check Yes, so the text is in form C without asking ICU (UAX #15's quick
    /// check; most names and addresses are such text). False says nothing: the caller asks ICU.
    /// </summary>
    internal static bool IsNfcByQuickCheck(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c >= '\u0300' && c is not (>= '\u4E00' and <= '\u9FFF') && c is not (>= '\u3400' and <= '\u4DBF'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What makes text unprintable (the first control character, lone surrogate or noncharacter and its position), or null.</summary>
    public static string? Unprintable(ReadOnlySpan<char> value, bool newlines) => Unprintable(value, newlines, out _);

    /// <summary>What makes text unprintable, or null; <paramref name="position"/> is the 1-based position of the first bad character (0 when none).</summary>
    public static string? Unprintable(ReadOnlySpan<char> value, bool newlines, out int position)
    {
        position = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var pair = char.ConvertToUtf32(c, value[i + 1]);
                if (IsNoncharacter(pair))
                {
                    position = i + 1;
                    return $"has the noncharacter U+{pair:X} at position {i + 1}";
                }

                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                position = i + 1;
                return $"has a lone surrogate U+{(int)c:X4} at position {i + 1}";
            }

            if (char.IsControl(c) && !(newlines && c is '\n' or '\r' or '\t'))
            {
                position = i + 1;
                return $"has a control character U+{(int)c:X4} at position {i + 1}";
            }

            if (IsNoncharacter(c))
            {
                position = i + 1;
                return $"has the noncharacter U+{(int)c:X4} at position {i + 1}";
            }
        }

        return null;
    }

    // Unicode's 66 noncharacters (U+FDD0..U+FDEF and the last two code points of every plane): never text, and the
    // runtime's normalization refuses some of them with an exception of its own.
    private static bool IsNoncharacter(int codePoint) => codePoint is >= 0xFDD0 and <= 0xFDEF || (codePoint & 0xFFFE) == 0xFFFE;

    /// <summary>A day that must have come, and not before 1900: throws <see cref="RegistryValidationException"/> naming the field, the day and the range.</summary>
    public static void NotAfterToday(DateOnly day, DateOnly today, string field, string allowed)
    {
        if (day > today)
        {
            throw new RegistryValidationException(field, Day(day), $"is after today ({Day(today)})", allowed, ValidationCode.DateInFuture, Args((ValidationArgument.Today, Day(today))));
        }

        InRange(day, field, MinDay, today, allowed);
    }

    /// <summary>A day between <paramref name="first"/> and <paramref name="last"/>, both included, else <see cref="RegistryValidationException"/> naming the range.</summary>
    public static void InRange(DateOnly day, string field, DateOnly first, DateOnly last, string? allowed = null)
    {
        if (day < first || day > last)
        {
            throw new RegistryValidationException(field, Day(day), $"is outside {Day(first)} to {Day(last)}", allowed is null ? $"give a day from {Day(first)} to {Day(last)}" : $"{allowed}, from {Day(first)} to {Day(last)}", ValidationCode.OutOfRange, Args((ValidationArgument.Min, Day(first)), (ValidationArgument.Max, Day(last))));
        }
    }

    /// <summary>A day <paramref name="years"/> after <paramref name="day"/>, or <see cref="MaxDay"/> when that is later (never an overflow).</summary>
    public static DateOnly YearsAfter(DateOnly day, int years) =>
        day.Year + years > MaxDay.Year ? MaxDay : day.AddYears(years);

    /// <summary>
    /// A period of days, both included: throws <see cref="RegistryValidationException"/> when it ends before it starts,
    /// or reaches outside 1900-01-01 to 2199-12-31.
    /// </summary>
    public static void Period(DateOnly from, DateOnly to, string what = "period")
    {
        if (to < from)
        {
            throw new RegistryValidationException(
                what, $"{Day(from)}..{Day(to)}", $"ends ({Day(to)}) before it starts ({Day(from)})", "give an end on or after the start", ValidationCode.EndBeforeStart);
        }

        if (from < MinDay || to > MaxDay)
        {
            throw new RegistryValidationException(
                what, $"{Day(from)}..{Day(to)}", $"reaches outside {Day(MinDay)} to {Day(MaxDay)}", $"give days from {Day(MinDay)} to {Day(MaxDay)}", ValidationCode.OutOfRange, Args((ValidationArgument.Min, Day(MinDay)), (ValidationArgument.Max, Day(MaxDay))));
        }
    }

    /// <summary>The arguments of a code, each value as invariant text.</summary>
    public static IReadOnlyDictionary<string, string> Args(params (string Name, object Value)[] values)
    {
        var arguments = new Dictionary<string, string>(values.Length, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            arguments[name] = value switch
            {
                DateOnly day => Day(day),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value?.ToString() ?? string.Empty,
            };
        }

        return arguments;
    }

    /// <summary>The code of a text that is missing, blank or longer than <paramref name="max"/>.</summary>
    public static ValidationCode LengthCode(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? ValidationCode.Required : value.Length > max ? ValidationCode.TooLong : ValidationCode.Unspecified;

    /// <summary>The arguments of <see cref="LengthCode"/>'s code: the maximum and the length when too long.</summary>
    public static IReadOnlyDictionary<string, string>? LengthArguments(string? value, int max) =>
        value is not null && !string.IsNullOrWhiteSpace(value) && value.Length > max ? Args((ValidationArgument.Max, max), (ValidationArgument.Length, value.Length)) : null;

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The value with control characters and lone surrogates as <c>\uXXXX</c>, at most <paramref name="max"/> characters of it (whole escapes only).</summary>
    private static (string Text, bool Whole) Escape(ReadOnlySpan<char> value, int max)
    {
        var text = new StringBuilder(max + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            var escaped = !pair && (char.IsControl(c) || char.IsSurrogate(c));
            var width = pair ? 2 : escaped ? 6 : 1;
            if (text.Length + width > max)
            {
                return (text.ToString(), false);
            }

            if (pair)
            {
                text.Append(c).Append(value[++i]);
            }
            else if (escaped)
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return (text.ToString(), true);
    }
}
