using DonorRegistry.Care;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Care;

public sealed class ObservanceCalendarTests
{
    [TestCase(2024, "2024-02-10")]
    [TestCase(2025, "2025-01-29")]
    [TestCase(2026, "2026-02-17")]
    [TestCase(2027, "2027-02-06")]
    public void SpringFestival_IsLunarNewYear(int year, string expected) =>
        ObservanceCalendar.SpringFestival(year).Should().Be(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [TestCase(2023, "2023-09-29")] // leap 2nd month before it
    [TestCase(2024, "2024-09-17")] // no leap month
    [TestCase(2025, "2025-10-06")] // leap 6th month before it
    [TestCase(2026, "2026-09-25")]
    public void MidAutumnFestival_IsTheFifteenthOfTheEighthLunarMonthEvenAfterALeapMonth(int year, string expected) =>
        ObservanceCalendar.MidAutumnFestival(year).Should().Be(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [TestCase(2024, "2024-09-21")]
    [TestCase(2025, "2025-09-20")]
    [TestCase(2026, "2026-09-19")]
    public void WorldMarrowDonorDay_IsTheThirdSaturdayOfSeptember(int year, string expected) =>
        ObservanceCalendar.WorldMarrowDonorDay(year).Should().Be(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Test]
    public void WorldMarrowDonorDay_IsAlwaysASaturdayBetweenThe15thAndThe21st()
    {
        for (var year = 1990; year <= 2100; year++)
        {
            var day = ObservanceCalendar.WorldMarrowDonorDay(year);
            day.DayOfWeek.Should().Be(DayOfWeek.Saturday);
            day.Day.Should().BeInRange(15, 21);
        }
    }

    [Test]
    public void LunarDays_OutsideTheCalendar_AreRejectedWithTheRange()
    {
        var act = () => ObservanceCalendar.SpringFestival(1800);

        act.Should().Throw<RegistryValidationException>().WithMessage("*covers*");
    }
}
