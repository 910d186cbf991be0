using System.Reflection;
using System.Text.RegularExpressions;
using DonorRegistry.Access;
using DonorRegistry.Audit;
using DonorRegistry.Donors;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Forms;

/// <summary>
/// What the library and the portal write on audit trails and the access log, in the page's language: a donor audit
/// record's reason when the library wrote it (<see cref="AuditReasons"/>, matched by the step that writes it), an access
/// log entry's action (<c>RegistryAction.{Action}</c>) and a refusal's reason (<see cref="AccessReasons"/> and the
/// portal's own, <see cref="PortalReasons"/>), and a user account's history step (<c>UserStep.{Step}</c>). A reason a
/// person typed (a screening note, a deferral's or removal's note, why personal data was read) is shown as typed.
/// </summary>
public static partial class AuditText
{
    /// <summary>The library's reasons each donor step may carry, by the names of <see cref="AuditReasons"/>' constants.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> DonorReasons = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [nameof(DonorTrigger.RecordTyping)] = [nameof(AuditReasons.TypedBySample), nameof(AuditReasons.TypedBy)],
        [nameof(DonorTrigger.List)] = [nameof(AuditReasons.ListedByDrive)],
        [nameof(DonorTrigger.Reserve)] = [nameof(AuditReasons.ReservedForCase)],
        [nameof(DonorTrigger.Release)] = [nameof(AuditReasons.CaseEnded)],
        [nameof(DonorTrigger.RecordDonation)] = [nameof(AuditReasons.DonationCollectedAt), nameof(AuditReasons.DonationCollected)],
        [nameof(DonorTrigger.Defer)] = [nameof(AuditReasons.DeferredUntil)],
        [nameof(DonorTrigger.EndDeferral)] = [nameof(AuditReasons.DeferralEndedEarly), nameof(AuditReasons.DeferralEnded)],
        [nameof(DonorTrigger.EndRecovery)] = [nameof(AuditReasons.RecoveryEnded)],
        [nameof(DonorTrigger.Remove)] = [nameof(AuditReasons.ReachedLeavingAge)],
        [nameof(DonorTrigger.Withdraw)] = [nameof(AuditReasons.ConsentWithdrawn)],
        ["UpdatePersonalData"] = [nameof(AuditReasons.PersonalDataUpdated)],
    };

    private static readonly IReadOnlyDictionary<string, Regex> Patterns = Formats(typeof(AuditReasons)).Concat(Formats(typeof(AccessReasons))).Concat(Formats(typeof(PortalReasons)))
        .ToDictionary(f => f.Name, f => Pattern(f.Format), StringComparer.Ordinal);

    private static readonly HashSet<string> RemovalCodes = [.. RemovalReason.All.Select(r => r.Code!)];

    /// <summary>The resource key of a library's or the portal's reason.</summary>
    /// <param name="name">The constant's name.</param>
    /// <returns><c>Reason.{name}</c>.</returns>
    public static string Key(string name) => "Reason." + name;

    /// <summary>The public constants of a class of reasons, by name.</summary>
    /// <param name="reasons">The class (<see cref="AuditReasons"/>, <see cref="AccessReasons"/>, <see cref="PortalReasons"/>).</param>
    /// <returns>Each constant's name and text.</returns>
    public static IEnumerable<(string Name, string Format)> Formats(Type reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        return reasons.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!));
    }

    /// <summary>
    /// A donor audit record's reason in the page's language when the library wrote it for the record's step; a
    /// removal's WMDA code is kept and its note translated when the library wrote it; anything else as recorded.
    /// </summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="action">The record's step.</param>
    /// <param name="reason">The reason as stored.</param>
    /// <returns>The text to show (empty for none).</returns>
    public static string DonorReason(IStringLocalizer t, string action, string? reason)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (string.IsNullOrEmpty(reason) || !DonorReasons.TryGetValue(action, out var names))
        {
            return reason ?? string.Empty;
        }

        if (action == nameof(DonorTrigger.Remove))
        {
            // "DO" or "DO: note": the code is WMDA's, the note a person's or the calendar's.
            var code = reason.Length >= 2 ? reason[..2] : reason;
            if (!RemovalCodes.Contains(code) || (reason.Length > 2 && !reason[2..].StartsWith(": ", StringComparison.Ordinal)))
            {
                return reason;
            }

            return reason.Length == 2 ? reason : code + t["Reason.NoteSeparator"].Value + (Known(t, names, reason[4..]) ?? reason[4..]);
        }

        return Known(t, names, reason) ?? reason;
    }

    /// <summary>
    /// An access log entry's reason in the page's language when the library or the portal wrote it; a reader's reason
    /// as given. A refused page (<see cref="RegistryAction.OpenHostPage"/>) keeps its path and translates the portal's
    /// reason after it (<see cref="AccessReasons.HostPageRefused"/>).
    /// </summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="action">The entry's action.</param>
    /// <param name="reason">The reason as stored.</param>
    /// <returns>The text to show.</returns>
    public static string AccessReason(IStringLocalizer t, RegistryAction action, string reason)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(reason);
        if (action == RegistryAction.OpenHostPage && Patterns[nameof(AccessReasons.HostPageRefused)].Match(reason) is { Success: true } refused)
        {
            var page = refused.Groups[1].Value;
            var why = refused.Groups[2].Value;
            return string.Format(System.Globalization.CultureInfo.CurrentCulture, t[Key(nameof(AccessReasons.HostPageRefused))].Value, page, AccessReason(t, RegistryAction.Search, why));
        }

        return Known(t, [.. Formats(typeof(AccessReasons)).Concat(Formats(typeof(PortalReasons))).Select(f => f.Name).Where(n => n != nameof(AccessReasons.HostPageRefused))], reason) ?? reason;
    }

    /// <summary>An access log entry's action in the page's language (<c>RegistryAction.{Action}</c>), or its name.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="action">The action.</param>
    /// <returns>The name to show.</returns>
    public static string Action(IStringLocalizer t, RegistryAction action)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t["RegistryAction." + action] is { ResourceNotFound: false } found ? found.Value : action.ToString();
    }

    /// <summary>A user account's history step in the page's language (<c>UserStep.{Step}</c>), or as recorded.</summary>
    /// <param name="t">The page's strings.</param>
    /// <param name="step">The step as recorded (<c>Add</c>, <c>SetRoles</c>, <c>FailedSignIn</c>, ...).</param>
    /// <returns>The name to show.</returns>
    public static string UserStep(IStringLocalizer t, string step)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t["UserStep." + step] is { ResourceNotFound: false } found ? found.Value : step;
    }

    private static string? Known(IStringLocalizer t, IEnumerable<string> names, string reason)
    {
        foreach (var name in names)
        {
            if (Patterns[name].Match(reason) is { Success: true } match && t[Key(name)] is { ResourceNotFound: false } template)
            {
                var values = match.Groups.Cast<Group>().Skip(1).Select(g => (object)Value(t, name, g.Value)).ToArray();
                return string.Format(System.Globalization.CultureInfo.CurrentCulture, template.Value, values);
            }
        }

        return null;
    }

    // The values the library wrote: a product and roles by their names, the rest (days, ids, a lab, a note) as written.
    private static string Value(IStringLocalizer t, string name, string value) => name switch
    {
        nameof(AuditReasons.DonationCollected) or nameof(AuditReasons.DonationCollectedAt) when t["Product." + value] is { ResourceNotFound: false } product => product.Value,
        nameof(AccessReasons.RolesDoNotAllow) => Roles(t, value),
        nameof(PortalReasons.PageNeedsRole) => string.Join(t["Reason.Or"].Value, value.Split(" or ").Select(r => t["Role." + r] is { ResourceNotFound: false } role ? role.Value : r)),
        _ => value,
    };

    private static string Roles(IStringLocalizer t, string roles) => roles switch
    {
        "no role" => t["Admin.NoRole"].Value,
        "host" => t["AccessLog.Host"].Value,
        _ => string.Join(t["Log.ListSeparator"].Value, roles.Split(", ").Select(r => t["Role." + r] is { ResourceNotFound: false } role ? role.Value : r)),
    };

    // A composite format as a whole-text pattern: a day as yyyy-MM-dd, anything else as one or more characters.
    private static Regex Pattern(string format)
    {
        var pattern = FormatItem().Replace(Regex.Escape(format).Replace(@"\{", "{", StringComparison.Ordinal), m => m.Groups[2].Value == "yyyy-MM-dd" ? @"(\d{4}-\d{2}-\d{2})" : "(.+?)");
        return new Regex("^" + pattern + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    [GeneratedRegex(@"\{(\d+)(?::([^}]*))?\}")]
    private static partial Regex FormatItem();
}

/// <summary>The reasons the portal itself writes on the access log (a page its policy refused, a page that shows personal data).</summary>
public static class PortalReasons
{
    /// <summary>A page shows a donor's personal data.</summary>
    public const string ShownOnAPage = "shown on a page of the branch portal";

    /// <summary>A page's policy refused the user, without a role to name.</summary>
    public const string PolicyRefused = "the portal's policy for this page refused the user";

    /// <summary>A page needs a role the user lacks: <c>{0}</c> the roles, joined by " or ".</summary>
    public const string PageNeedsRole = "the portal's page needs the role {0}";
}
