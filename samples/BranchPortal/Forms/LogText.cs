using System.Globalization;
using System.Text.RegularExpressions;
using DonorRegistry.Workflows.Persistence;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Forms;

/// <summary>
/// An execution log entry's detail (a workflow's notice, what a step run waits for) in the page's language: the library
/// stores each entry's <see cref="StepRun.Code"/> and named <see cref="StepRun.Arguments"/> beside its English
/// <see cref="StepRun.Detail"/>, and the resources say the code (<c>LogCode.{Code}</c>) with <c>{name}</c> placeholders
/// filled from the arguments. An entry written before codes, a code the portal has no words for, and a failed step's
/// own message keep the library's English.
/// </summary>
public static partial class LogText
{
    /// <summary>The resource key of a code's words.</summary>
    /// <param name="code">The code.</param>
    /// <returns><c>LogCode.{code}</c>.</returns>
    public static string Key(LogCode code) => "LogCode." + code;

    /// <summary>An entry's detail in the page's language, or its English detail.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="run">The entry.</param>
    /// <returns>The text to show (empty when the entry has none).</returns>
    public static string Detail(IStringLocalizer t, StepRun run)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Code == LogCode.Unspecified || t[Key(run.Code)] is not { ResourceNotFound: false } template)
        {
            return run.Detail ?? string.Empty;
        }

        return Placeholder().Replace(template.Value, m => Argument(t, run, m.Groups[1].Value) ?? m.Value);
    }

    private static string? Argument(IStringLocalizer t, StepRun run, string name) => name switch
    {
        "within" or "for" => run.Arguments.TryGetValue(name, out var span) ? Duration(t, span) : null,
        "list" => Samples(t, run.Arguments),
        "event" => run.Arguments.TryGetValue(name, out var e) ? Translated(t, "Event." + e, e) : null,
        "detail" => run.Detail is { } detail && run.Arguments.TryGetValue("error", out var error) && detail.StartsWith(error + ": ", StringComparison.Ordinal) ? detail[(error.Length + 2)..] : run.Detail,
        _ => run.Arguments.TryGetValue(name, out var value) ? value : null,
    };

    /// <summary>A duration as the library writes it (invariant <c>c</c>), in whole days, hours or minutes when it is one.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="invariant">The duration, such as <c>3.00:00:00</c>.</param>
    /// <returns>The text, or the value as given when it is not a duration.</returns>
    public static string Duration(IStringLocalizer t, string invariant)
    {
        if (!TimeSpan.TryParseExact(invariant, "c", CultureInfo.InvariantCulture, out var span))
        {
            return invariant;
        }

        return span switch
        {
            { Ticks: > 0 } when span.Ticks % TimeSpan.TicksPerDay == 0 => t["Duration.Days", span.Days].Value,
            { Ticks: > 0 } when span.Ticks % TimeSpan.TicksPerHour == 0 => t["Duration.Hours", (long)span.TotalHours].Value,
            { Ticks: > 0 } when span.Ticks % TimeSpan.TicksPerMinute == 0 => t["Duration.Minutes", (long)span.TotalMinutes].Value,
            _ => invariant,
        };
    }

    private static string? Samples(IStringLocalizer t, IReadOnlyDictionary<string, string> arguments)
    {
        if (!arguments.TryGetValue("barcodes", out var barcodes) || !arguments.TryGetValue("states", out var states))
        {
            return null;
        }

        var named = barcodes.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Zip(states.Split(',', StringSplitOptions.RemoveEmptyEntries), (barcode, state) => barcode + " " + Translated(t, "SampleState." + state, state));
        var text = string.Join(t["Log.ListSeparator"].Value, named);
        return arguments.TryGetValue("more", out var more) && more != "0" ? text + t["Log.ListSeparator"].Value + t["Log.More"].Value : text;
    }

    private static string Translated(IStringLocalizer t, string key, string fallback) => t[key] is { ResourceNotFound: false } found ? found.Value : fallback;

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();
}
