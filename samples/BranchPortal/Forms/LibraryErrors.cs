using System.Text.RegularExpressions;
using DonorRegistry;
using DonorRegistry.Access;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.CampusDrive;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

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

    /// <summary>
    /// A refusal of the library, in the page's language: a validation by its code, the others by their type. The
    /// storage's failures (<see cref="RegistryStorageException"/>, <see cref="RegistryUnavailableException"/>,
    /// <see cref="RegistryDamagedException"/>) and a workflow's time-out say so in general words: their English detail
    /// is for the operator, and goes to the log when the strings are the portal's (<see cref="PortalStrings"/>). A
    /// drive workflow's refusal says its case by its code (<see cref="DriveRefusal"/>), or in general words without
    /// one. An exception the portal has no words for keeps the library's English.
    /// </summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="error">The refusal.</param>
    /// <returns>The translated message, or the library's English one for a refusal the portal has no words for.</returns>
    public static string Message(IStringLocalizer t, Exception error)
    {
        if (error is RegistryStorageException or RegistryUnavailableException or RegistryDamagedException or TimeoutException && t is PortalStrings { Log: var log })
        {
            log.LibraryFailed(error.GetType().Name, error.Message, error);
        }

        return Translated(t, error);
    }

    private static string Translated(IStringLocalizer t, Exception error) => error switch
    {
        RegistryValidationException e => Translate(t, e.Code, e.Field, e.Value, e.Arguments) ?? e.Message,
        UserAccountException { Code: ValidationCode.LastAdministrator } e => Translate(t, e.Code, "UserName", e.UserName, new Dictionary<string, string>()) ?? e.Message,
        DuplicateDonorException { ExistingDonorId: { } existing } e => Known(t, "Library.DuplicateDonor", e.Message, e.MaskedNationalId, existing.ToString()),
        DuplicateDonorException e => Known(t, "Library.DuplicateInBatch", e.Message, e.MaskedNationalId),
        DuplicateUserException e => Known(t, "Library.DuplicateUser", e.Message, e.UserName),
        InvalidTransitionException e => Transition(t, e),
        ConcurrentUpdateException e => Known(t, "Library.ConcurrentUpdate", e.Message, e.Id),
        NotFoundException e => Known(t, "Library.NotFound", e.Message, e.Id),
        TypingImportException e => TypingFile(t, e) ?? e.Message,
        DonorRegistry.Hla.HlaParseException e => Known(t, "Library.HlaParse", e.Message, e.Text.Length > 40 ? e.Text[..40] + "…" : e.Text, e.Position + 1),
        DriveWorkflowException e => DriveWorkflow(t, e) ?? Known(t, "Library.DriveWorkflow", e.Message, e.Drive.ToString()),
        DonorRegistry.Workflows.DonorCare.CareWorkflowException e => Known(t, "Library.CareWorkflow", e.Message, e.Donation),
        DonorRegistry.Care.CareRuleException e => Known(t, "Library.CareRule", e.Message),
        PersonalDataErasedException e => Known(t, "Library.PersonalDataErased", e.Message, e.DonorId.ToString()),
        AuditTrailFullException e => Known(t, "Library.AuditTrailFull", e.Message, Named(t, "AggregateKind.", e.Kind.ToString()), e.Id, e.MaxVersion),
        RegistryStorageException or RegistryUnavailableException or RegistryDamagedException => Known(t, "Library.StorageFailed", error.Message),
        DonorRegistry.Search.SearchRequestException e => Known(t, "Library.SearchRequest", e.Message, FieldName(t, e.Field)),
        TimeoutException => Known(t, "Library.Timeout", error.Message),
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

    /// <summary>
    /// A refused lifecycle step in the page's language: the kind of record (<c>AggregateKind.{Kind}</c>), its state
    /// (<c>DonorState.</c>, <c>SampleState.</c>, <c>CaseState.</c>, <c>DriveState.</c>), the refused step and the steps
    /// allowed now (<c>Trigger.</c> for donors, <c>SampleTrigger.</c>, <c>CaseTrigger.</c>, <c>DriveTrigger.</c>), each
    /// by the name the exception carries; a name without a translation is shown as the library gives it. The guards not
    /// met are named by their codes (<see cref="Guard"/>); when one has no code or no words, the message leaves the
    /// guards out (they stay in the library's English message).
    /// </summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="error">The refusal.</param>
    /// <returns>The message.</returns>
    public static string Transition(IStringLocalizer t, InvalidTransitionException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (states, triggers) = TransitionKeys(error.Kind);
        var allowed = error.PermittedNames.Count == 0
            ? t["Library.NothingAllowed"].Value
            : string.Join(t["Log.ListSeparator"].Value, error.PermittedNames.Select(p => Named(t, triggers, p)));
        var kind = Named(t, "AggregateKind.", error.Kind.ToString());
        var state = Named(t, states, error.StateName);
        var trigger = Named(t, triggers, error.TriggerName);
        var guards = error.Guards.Select(g => Guard(t, g)).ToList();
        return guards.Count > 0 && guards.All(g => g is not null)
            ? Known(t, "Library.InvalidTransitionGuards", error.Message, kind, error.Id, state, trigger, allowed, string.Join(t["Guard.Separator"].Value, guards))
            : Known(t, "Library.InvalidTransition", error.Message, kind, error.Id, state, trigger, allowed);
    }

    /// <summary>The resource key of a guard's words.</summary>
    /// <param name="code">The guard.</param>
    /// <returns><c>Guard.{code}</c>.</returns>
    public static string GuardKey(GuardCode code) => "Guard." + code;

    /// <summary>An unmet guard in the page's language (<c>Guard.{Code}</c> with its arguments), or null without a code or words for it.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="guard">The guard.</param>
    /// <returns>The words, or null.</returns>
    public static string? Guard(IStringLocalizer t, UnmetGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return guard.Code == GuardCode.Unspecified || t[GuardKey(guard.Code)] is not { ResourceNotFound: false } template
            ? null
            : Fill(template.Value, name => guard.Arguments.TryGetValue(name, out var value) ? value : null);
    }

    /// <summary>Why a step is greyed out, in the page's language: each guard by its code, or the library's words for one without.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="guards">The unmet guards (<see cref="PermittedAction.Guards"/>).</param>
    /// <returns>The text (<c>Guard.Blocked</c>), or empty when there is no guard.</returns>
    public static string Blocked(IStringLocalizer t, IEnumerable<UnmetGuard> guards)
    {
        ArgumentNullException.ThrowIfNull(t);
        var words = guards.Select(g => Guard(t, g) ?? g.Text).ToList();
        return words.Count == 0 ? string.Empty : t["Guard.Blocked", string.Join(t["Guard.Separator"].Value, words)].Value;
    }

    /// <summary>The resource key of a drive workflow's refusal.</summary>
    /// <param name="code">The refusal.</param>
    /// <returns><c>DriveRefusal.{code}</c>.</returns>
    public static string DriveRefusalKey(DriveRefusal code) => "DriveRefusal." + code;

    /// <summary>
    /// A drive workflow's refusal in the page's language, by its code (<c>DriveRefusal.{Code}</c>): states, events and
    /// the shipment in the page's words; null without a code or words for it.
    /// </summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="error">The refusal.</param>
    /// <returns>The message, or null.</returns>
    public static string? DriveWorkflow(IStringLocalizer t, DriveWorkflowException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Code == DonorRegistry.Workflows.CampusDrive.DriveRefusal.Unspecified || t[DriveRefusalKey(error.Code)] is not { ResourceNotFound: false } template)
        {
            return null;
        }

        var states = error.Code == DonorRegistry.Workflows.CampusDrive.DriveRefusal.EnrolmentNotOpen ? "DriveState." : "SampleState.";
        return Fill(template.Value, name => (name, error.Arguments.TryGetValue(name, out var value) ? value : null) switch
        {
            (_, null) => null,
            (DriveRefusalArgument.State, var state) => Named(t, states, state),
            (DriveRefusalArgument.Event or DriveRefusalArgument.Expected, "") => t["DriveRefusal.NoEvent"].Value,
            (DriveRefusalArgument.Event or DriveRefusalArgument.Expected, var e) => Named(t, "Event.", e),
            (DriveRefusalArgument.Other, "") => t["DriveRefusal.NoDrive"].Value,
            (DriveRefusalArgument.Shipment, "") => string.Empty,
            (DriveRefusalArgument.Shipment, var shipment) => t["DriveRefusal.InShipment", shipment].Value,
            (_, var other) => other,
        });
    }

    private static string Fill(string template, Func<string, string?> argument) =>
        NamedPlaceholder().Replace(template, m => argument(m.Groups[1].Value) ?? m.Value);

    /// <summary>The resource key of a typing file's refusal as a whole: <c>TypingFile.{Field}.{Code}</c>.</summary>
    /// <param name="field">The part of the file (<see cref="TypingImportException.Field"/>).</param>
    /// <param name="code">The rule broken.</param>
    /// <returns>The key.</returns>
    public static string TypingFileKey(string field, ValidationCode code) => $"TypingFile.{field}.{code}";

    /// <summary>
    /// A typing-results file the library cannot read at all, in the page's language, by its part of the file and code
    /// (<c>TypingFile.{Field}.{Code}</c>, with <c>{file}</c>, <c>{value}</c> and the arguments); null for a refusal
    /// without a code (a path that cannot be opened: not something a page uploads) or one the portal has no words for.
    /// </summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="error">The refusal.</param>
    /// <returns>The message, or null.</returns>
    public static string? TypingFile(IStringLocalizer t, TypingImportException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.Code == ValidationCode.Unspecified || t[TypingFileKey(error.Field, error.Code)] is not { ResourceNotFound: false } template)
        {
            return null;
        }

        return Placeholder().Replace(template.Value, m => m.Groups[1].Value switch
        {
            "file" => error.FileName,
            "value" => error.Value ?? string.Empty,
            var name => error.Arguments.TryGetValue(name, out var argument) ? argument : m.Value,
        });
    }

    /// <summary>The resource prefixes of a kind of record's states and steps (null for a kind without them).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The prefixes.</returns>
    public static (string? States, string? Triggers) TransitionKeys(AggregateKind kind) => kind switch
    {
        AggregateKind.Donor => ("DonorState.", "Trigger."),
        AggregateKind.Sample => ("SampleState.", "SampleTrigger."),
        AggregateKind.Case => ("CaseState.", "CaseTrigger."),
        AggregateKind.Drive => ("DriveState.", "DriveTrigger."),
        _ => (null, null),
    };

    private static string Named(IStringLocalizer t, string? prefix, string name) =>
        prefix is not null && t[prefix + name] is { ResourceNotFound: false } found ? found.Value : name;

    private static string Known(IStringLocalizer t, string key, string english, params object[] arguments)
    {
        var message = t[key, arguments];
        return message.ResourceNotFound ? english : message.Value;
    }

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{([a-zA-Z]+)\}")]
    private static partial Regex NamedPlaceholder();

    [GeneratedRegex(@"^requests\[\d+\]\.")]
    private static partial Regex Indexed();
}
