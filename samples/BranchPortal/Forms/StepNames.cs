using Microsoft.Extensions.Localization;

namespace BranchPortal.Forms;

/// <summary>The drive workflow's step names (its execution log, notices and errors) in the page's language.</summary>
public static class StepNames
{
    /// <summary>The resource key of a step: <c>WorkflowStep.</c> and the name without spaces (<c>WorkflowStep.OpenEnrolment</c>).</summary>
    /// <param name="step">The step's name as the workflow gives it ("Open enrolment").</param>
    /// <returns>The key.</returns>
    public static string Key(string step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return "WorkflowStep." + step.Replace(" ", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>A step's name translated, or the workflow's own name when the resources have none (a step added later).</summary>
    /// <param name="t">The strings.</param>
    /// <param name="step">The step's name, or null.</param>
    /// <returns>The name to show.</returns>
    public static string Of(IStringLocalizer t, string? step)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (string.IsNullOrWhiteSpace(step))
        {
            return string.Empty;
        }

        var translated = t[Key(step)];
        return translated.ResourceNotFound ? step : translated.Value;
    }
}
