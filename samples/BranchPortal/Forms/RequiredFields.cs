using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Forms;

/// <summary>The one "required" check of the forms: a missing value gets the page's "required" message beside its field.</summary>
public static class RequiredFields
{
    /// <summary>Adds the "required" message beside <paramref name="field"/> when <paramref name="value"/> is missing (null, or blank text).</summary>
    /// <param name="state">The page's model state.</param>
    /// <param name="t">The page's strings.</param>
    /// <param name="field">The input's name.</param>
    /// <param name="value">What was posted.</param>
    public static void Require(this ModelStateDictionary state, IStringLocalizer t, string field, object? value)
    {
        if (value is null || (value is string text && string.IsNullOrWhiteSpace(text)))
        {
            state.AddModelError(field, t["Error.Required"]);
        }
    }
}
