using Microsoft.Extensions.Logging;

namespace DonorRegistry;

/// <summary>The library's log messages, generated at compile time. Personal data is never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Enrolled {Count} donor(s), first {FirstDonor}, by {Actor}")]
    public static partial void DonorsEnrolled(this ILogger logger, int count, string firstDonor, string actor);

    [LoggerMessage(2, LogLevel.Debug, "Donor {Donor} {Action}: {From} -> {To} (v{Version}) by {Actor}")]
    public static partial void DonorChanged(this ILogger logger, Donors.DonorId donor, string action, Donors.DonorState from, Donors.DonorState to, int version, string actor);

    [LoggerMessage(3, LogLevel.Information, "Donor {Donor} withdrew consent; data key destroyed")]
    public static partial void DonorWithdrew(this ILogger logger, string donor);

    [LoggerMessage(4, LogLevel.Information, "Calendar as of {Day}: {Count} change(s)")]
    public static partial void CalendarApplied(this ILogger logger, DateOnly day, int count);
}
