using System.Text.RegularExpressions;
using DonorRegistry;
using DonorRegistry.Access;
using DonorRegistry.Samples;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Forms;

/// <summary>
/// Puts the library's own validation messages beside the form field they are about, in the page's language. The library
/// names the field (<see cref="RegistryValidationException.Field"/>, <see cref="FormProblem.Field"/>) and the rule
/// (<see cref="ValidationCode"/> with its arguments); the page says which of its inputs that is, and the resources say
/// the rule (<c>Validation.{Code}</c>) and the field's name (<c>Field.{Field}</c>) in Chinese or English. A code the
/// portal has no words for, and a refusal the library has not coded, keep the library's English message. A field the
/// page does not show goes to the form as a whole (key "").
/// </summary>
public static partial class LibraryErrors
{
    /// <summary>The resource key of a code's message.</summary>
    /// <param name="code">The code.</param>
    /// <returns><c>Validation.{code}</c>.</returns>
    public static string Key(ValidationCode code) => "Validation." + code;

    /// <summary>Adds a problem the library found before a verb ran (<see cref="FormChecks"/>).</summary>
    /// <param name="state">The page's model state.</param>
    /// <param name="t">The page's strings.</param>
    /// <param name="problem">The problem.</param>
    /// <param name="input">The page's input.</param>
    public static void Add(ModelStateDictionary state, IStringLocalizer t, FormProblem problem, string input) => state.AddModelError(input, Message(t, problem));

    /// <summary>Adds a verb's refusal beside its field.</summary>
    /// <param name="state">The page's model state.</param>
    /// <param name="t">The page's strings.</param>
    /// <param name="error">The refusal.</param>
    /// <param name="inputs">The library's field names mapped to the page's inputs.</param>
    public static void Add(ModelStateDictionary state, IStringLocalizer t, RegistryValidationException error, IReadOnlyDictionary<string, string> inputs) =>
        state.AddModelError(inputs.TryGetValue(error.Field, out var input) ? input : string.Empty, Message(t, error));

    /// <summary>A problem a form check found, in the page's language.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="problem">The problem.</param>
    /// <returns>The translated message, or the library's English one for a problem without a code the portal knows.</returns>
    public static string Message(IStringLocalizer t, FormProblem problem) =>
        Translate(t, problem.Code, problem.Field, problem.Value, problem.Arguments) ?? problem.Message;

    /// <summary>A row a typing upload refused, in the page's language.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="error">The row's problem.</param>
    /// <returns>The translated reason, or the library's English one for a problem without a code the portal knows.</returns>
    public static string Message(IStringLocalizer t, TypingImportError error) =>
        Translate(t, error.Code, error.Field, error.Field == "Barcode" ? error.Barcode : null, error.Arguments) ?? error.Reason;

    /// <summary>A refusal of the library, in the page's language: a validation by its code, the others by their type.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="error">The refusal.</param>
    /// <returns>The translated message, or the library's English one for a refusal the portal has no words for.</returns>
    public static string Message(IStringLocalizer t, Exception error) => error switch
    {
        RegistryValidationException e => Translate(t, e.Code, e.Field, e.Value, e.Arguments) ?? e.Message,
        UserAccountException { Code: ValidationCode.LastAdministrator } e => Translate(t, e.Code, "UserName", e.UserName, new Dictionary<string, string>()) ?? e.Message,
        DuplicateDonorException { ExistingDonorId: { } existing } e => Known(t, "Library.DuplicateDonor", e.Message, e.MaskedNationalId, existing.ToString()),
        DuplicateDonorException e => Known(t, "Library.DuplicateInBatch", e.Message, e.MaskedNationalId),
        DuplicateUserException e => Known(t, "Library.DuplicateUser", e.Message, e.UserName),
        InvalidTransitionException e => Known(t, "Library.InvalidTransition", e.Message, e.Id, e.StateName, e.TriggerName),
        ConcurrentUpdateException e => Known(t, "Library.ConcurrentUpdate", e.Message, e.Id),
        NotFoundException e => Known(t, "Library.NotFound", e.Message, e.Id),
        DonorRegistry.Hla.HlaParseException e => Known(t, "Library.HlaParse", e.Message, e.Text.Length > 40 ? e.Text[..40] + "…" : e.Text, e.Position + 1),
        _ => error.Message,
    };

    /// <summary>The library's name of a field in the page's language (<c>Field.{name}</c>; a row's index and a locus are kept as they are), or the name itself.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="field">The library's name of the field.</param>
    /// <returns>The field's name to show.</returns>
    public static string FieldName(IStringLocalizer t, string field)
    {
        var bare = Indexed().Replace(field, string.Empty);
        if (bare.StartsWith("Typing.", StringComparison.Ordinal) && bare.Length > "Typing.".Length && t["Field." + bare] is { ResourceNotFound: true })
        {
            return "HLA-" + bare["Typing.".Length..];
        }

        var name = t["Field." + bare];
        if (name.ResourceNotFound && bare.Length > 0 && char.IsLower(bare[0]))
        {
            name = t["Field." + char.ToUpperInvariant(bare[0]) + bare[1..]]; // a parameter's name (userName) as the property's (UserName)
        }

        return name.ResourceNotFound ? field : name.Value;
    }

    private static string? Translate(IStringLocalizer t, ValidationCode code, string field, string? value, IReadOnlyDictionary<string, string> arguments)
    {
        if (code == ValidationCode.Unspecified)
        {
            return null;
        }

        var template = t[Key(code)];
        if (template.ResourceNotFound)
        {
            return null;
        }

        // A message without the value (a row's genotype, say) drops its quotes too.
        var text = string.IsNullOrEmpty(value) ? template.Value.Replace("“{value}”", string.Empty, StringComparison.Ordinal).Replace(" '{value}'", string.Empty, StringComparison.Ordinal) : template.Value;
        return Placeholder().Replace(text, m => m.Groups[1].Value switch
        {
            "field" => FieldName(t, field),
            "value" => value ?? string.Empty,
            var name => arguments.TryGetValue(name, out var argument) ? argument : m.Value,
        });
    }

    private static string Known(IStringLocalizer t, string key, string english, params object[] arguments)
    {
        var message = t[key, arguments];
        return message.ResourceNotFound ? english : message.Value;
    }

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^requests\[\d+\]\.")]
    private static partial Regex Indexed();
}
