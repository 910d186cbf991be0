using System.Globalization;

namespace DonorRegistry.Care;

/// <summary>
/// The days appreciation visits are tied to: Spring Festival (lunar 1/1) and Mid-Autumn Festival (lunar 8/15)
/// from the Chinese lunisolar calendar, and World Marrow Donor Day (the third Saturday of September).
/// </summary>
public static class ObservanceCalendar
{
    private static readonly ChineseLunisolarCalendar Lunar = new();

    /// <summary>The first day of the first lunar month that falls in a Gregorian year.</summary>
    /// <param name="year">1902 to 2100.</param>
    /// <returns>The day, such as 2026-02-17.</returns>
    /// <exception cref="RegistryValidationException">The year is outside the calendar's range.</exception>
    public static DateOnly SpringFestival(int year) => LunarDay(year, 1, 1);

    /// <summary>The fifteenth day of the eighth lunar month of a year (after a leap month, the month after it).</summary>
    /// <param name="year">1902 to 2100.</param>
    /// <returns>The day, such as 2025-10-06.</returns>
    /// <exception cref="RegistryValidationException">The year is outside the calendar's range.</exception>
    public static DateOnly MidAutumnFestival(int year) => LunarDay(year, 8, 15);

    /// <summary>World Marrow Donor Day: the third Saturday of September.</summary>
    /// <param name="year">The year.</param>
    /// <returns>The day, such as 2026-09-19.</returns>
    public static DateOnly WorldMarrowDonorDay(int year)
    {
        var first = new DateOnly(year, 9, 1);
        var firstSaturday = first.AddDays(((int)DayOfWeek.Saturday - (int)first.DayOfWeek + 7) % 7);
        return firstSaturday.AddDays(14);
    }

    /// <summary>The day of an occasion in a year, or null for occasions that are not tied to the calendar.</summary>
    /// <param name="occasion">The occasion.</param>
    /// <param name="year">The year.</param>
    /// <returns>The day, or null.</returns>
    public static DateOnly? DayOf(AppreciationOccasion occasion, int year) => occasion switch
    {
        AppreciationOccasion.SpringFestival => SpringFestival(year),
        AppreciationOccasion.MidAutumnFestival => MidAutumnFestival(year),
        AppreciationOccasion.WorldMarrowDonorDay => WorldMarrowDonorDay(year),
        _ => null,
    };

    private static DateOnly LunarDay(int year, int month, int day)
    {
        var min = Lunar.MinSupportedDateTime.Year + 1;
        var max = Lunar.MaxSupportedDateTime.Year - 1;
        if (year < min || year > max)
        {
            throw new RegistryValidationException(nameof(year), year.ToString(System.Globalization.CultureInfo.InvariantCulture), "is out of range", $"the Chinese lunisolar calendar here covers {min} to {max}", $"Year {year} is out of range: the Chinese lunisolar calendar here covers {min} to {max}.");
        }

        // A leap month takes a month index of its own: from it on, lunar month m sits at index m + 1.
        var leap = Lunar.GetLeapMonth(year);
        var index = leap != 0 && leap <= month ? month + 1 : month;
        return DateOnly.FromDateTime(Lunar.ToDateTime(year, index, day, 0, 0, 0, 0));
    }
}
