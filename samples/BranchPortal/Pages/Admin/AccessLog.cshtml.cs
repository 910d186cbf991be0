using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Access;
using DonorRegistry.Donors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Admin;

/// <summary>
/// The registry's access log (<see cref="AccessOperations.History"/>), read as the signed-in administrator, newest first:
/// refusals, reads of personal data and masked reads, each with its reason. Filters: who (the actor's name as recorded),
/// a donor's number, and a period of days in the branch's time. A read-only GET form.
/// </summary>
/// <param name="registry">The registry.</param>
/// <param name="context">The process.</param>
/// <param name="t">The strings.</param>
public sealed class AccessLogModel(Registry registry, PortalContext context, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The most entries one page shows.</summary>
    public const int Limit = 500;

    /// <summary>Whose entries (the actor's name as recorded), or all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    /// <summary>A donor's number (DR-00000042 or 42), or all.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Donor { get; set; }

    /// <summary>The first day, or none.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    /// <summary>The last day, or none.</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    /// <summary>The entries, newest first.</summary>
    public IReadOnlyList<AccessRecord> Entries { get; private set; } = [];

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>Reads the log.</summary>
    public void OnGet()
    {
        if (!ModelState.IsValid)
        {
            return;
        }

        DonorId? donor = null;
        if (!string.IsNullOrWhiteSpace(Donor))
        {
            if (!DonorId.TryParse(Donor.Trim(), out var id))
            {
                ModelState.AddModelError(nameof(Donor), t["AccessLog.BadDonor"]);
                return;
            }

            donor = id;
        }

        if (From is { } from && To is { } to && from > to)
        {
            ModelState.AddModelError(nameof(To), t["AccessLog.BadPeriod"]);
            return;
        }

        var query = new AccessQuery(
            Actor: string.IsNullOrWhiteSpace(Actor) ? null : Actor.Trim(),
            Kind: donor is null ? null : AggregateKind.Donor,
            Id: donor?.ToString(),
            From: From is { } first ? Start(first) : null,
            Until: To is { } last ? Start(last.AddDays(1)).AddTicks(-1) : null,
            Limit: Limit);
        try
        {
            Entries = registry.Access.History(query, PortalActor.Of(User));
        }
        catch (RegistryValidationException e)
        {
            ModelState.AddModelError(e.Field == nameof(AccessQuery.Actor) ? nameof(Actor) : string.Empty, LibraryErrors.Message(t, e));
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            ModelState.AddModelError(string.Empty, LibraryErrors.Message(t, e));
        }
    }

    // The start of a day in the branch's time zone.
    private DateTimeOffset Start(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, context.TimeZone.GetUtcOffset(local));
    }
}
