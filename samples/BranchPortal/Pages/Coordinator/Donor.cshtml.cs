using BranchPortal.Forms;
using BranchPortal.Security;
using DonorRegistry;
using DonorRegistry.Audit;
using DonorRegistry.Care;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace BranchPortal.Pages.Coordinator;

/// <summary>
/// One donor: the person (through <see cref="PersonalDataDisplay"/>), the state with its WMDA code, the permitted
/// actions from <see cref="DonorOperations.GetPermittedActions"/> that the user's roles may take as buttons (the blocked ones with the library's
/// reasons), and the audit trail. The actions without input are taken here; withdrawal has its own confirmation page.
/// </summary>
/// <param name="registry">The registry (its policy decides which actions are offered).</param>
/// <param name="donors">The registry's donors.</param>
/// <param name="cases">The registry's cases.</param>
/// <param name="care">The registry's donor care.</param>
/// <param name="people">Names for the pages.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
/// <param name="t">The strings.</param>
public sealed class DonorModel(Registry registry, DonorOperations donors, CaseOperations cases, CareOperations care, PersonalDataDisplay people, PortalContext context, TimeProvider time, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The actions this page takes itself (no input beyond the donor).</summary>
    public static readonly IReadOnlySet<DonorTrigger> TakenHere = new HashSet<DonorTrigger> { DonorTrigger.List, DonorTrigger.EndDeferral, DonorTrigger.Reactivate, DonorTrigger.Rescreen };

    /// <summary>The actions this page takes with a reason (and a day, or a WMDA removal code).</summary>
    public static readonly IReadOnlySet<DonorTrigger> WithReason = new HashSet<DonorTrigger> { DonorTrigger.Defer, DonorTrigger.Remove, DonorTrigger.ScreenOut };

    /// <summary>The donor.</summary>
    public Donor? Donor { get; private set; }

    /// <summary>Today in the branch.</summary>
    public DateOnly Today => context.DayOf(time.GetUtcNow());

    /// <summary>The person as shown.</summary>
    public ShownPerson? Person { get; private set; }

    /// <summary>The actions the state knows, allowed or blocked, that the user's roles may take (the registry's policy).</summary>
    public IReadOnlyList<PermittedAction> Actions { get; private set; } = [];

    /// <summary>The donor's match cases.</summary>
    public IReadOnlyList<MatchCase> Cases { get; private set; } = [];

    /// <summary>The donor's donations.</summary>
    public IReadOnlyList<DonationRecord> Donations { get; private set; } = [];

    /// <summary>The audit trail, newest first.</summary>
    public IReadOnlyList<AuditRecord> History { get; private set; } = [];

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>A name the library records (an audit entry's step or state) in the page's language, or as recorded when it has no translation.</summary>
    /// <param name="prefix">The resources' prefix (<c>Trigger.</c>, <c>DonorState.</c>).</param>
    /// <param name="name">The name as recorded.</param>
    /// <returns>The name to show.</returns>
    public string Named(string prefix, string name) => t[prefix + name] is { ResourceNotFound: false } found ? found.Value : name;

    /// <summary>Reads the donor.</summary>
    /// <param name="id">The donor's number.</param>
    /// <returns>The page, or 404.</returns>
    public IActionResult OnGet(string id) => Load(id) ? Page() : NotFound();

    /// <summary>Takes an action that needs no input (list, end a deferral, reactivate, rescreen).</summary>
    /// <param name="id">The donor's number.</param>
    /// <param name="action">The trigger.</param>
    /// <param name="version">The version the page showed.</param>
    /// <returns>The donor's page.</returns>
    public IActionResult OnPostAct(string id, DonorTrigger action, int version)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        if (!TakenHere.Contains(action))
        {
            return BadRequest();
        }

        var by = PortalActor.Of(User);
        try
        {
            _ = action switch
            {
                DonorTrigger.List => donors.List(Donor!.Id, by, version),
                DonorTrigger.EndDeferral => donors.EndDeferral(Donor!.Id, by, version),
                DonorTrigger.Reactivate => donors.Reactivate(Donor!.Id, by, version),
                _ => donors.Rescreen(Donor!.Id, by, version),
            };
            TempData["Message"] = t["Donor.ActionDone", t["Trigger." + action]].Value;
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            TempData["Problem"] = LibraryErrors.Message(t, e);
        }

        return Redirect($"/Coordinator/Donor/{Donor!.Id}");
    }

    /// <summary>Takes an action with a reason: defer (until a day), remove (a WMDA code and a note), screen out.</summary>
    /// <param name="id">The donor's number.</param>
    /// <param name="action">The trigger.</param>
    /// <param name="version">The version the page showed.</param>
    /// <param name="reason">Why (the note, for a removal).</param>
    /// <param name="until">The deferral's last day.</param>
    /// <param name="removal">The WMDA removal code.</param>
    /// <returns>The donor's page, or this one with the problem beside the action.</returns>
    public IActionResult OnPostReasoned(string id, DonorTrigger action, int version, string? reason, DateOnly? until, string? removal)
    {
        if (!Load(id))
        {
            return NotFound();
        }

        if (!WithReason.Contains(action))
        {
            return BadRequest();
        }

        if (action == DonorTrigger.Defer && until is null)
        {
            ModelState.AddModelError("Action:" + action, t["Donor.UntilRequired"]);
            return Page();
        }

        var by = PortalActor.Of(User);
        try
        {
            _ = action switch
            {
                DonorTrigger.Defer => donors.Defer(Donor!.Id, until!.Value, reason!, by, version),
                DonorTrigger.Remove => donors.Remove(Donor!.Id, RemovalReason.FromCode(removal!), string.IsNullOrWhiteSpace(reason) ? null : reason, by, version),
                _ => donors.ScreenOut(Donor!.Id, reason!, by, version),
            };
            TempData["Message"] = t["Donor.ActionDone", t["Trigger." + action]].Value;
            return Redirect($"/Coordinator/Donor/{Donor!.Id}");
        }
        catch (DonorRegistryException e) when (e is not DonorRegistry.Access.AccessDeniedException)
        {
            ModelState.AddModelError("Action:" + action, LibraryErrors.Message(t, e));
        }

        return Page();
    }

    private bool Load(string id)
    {
        if (!DonorId.TryParse(id, out var donorId) || !donors.TryGet(donorId, out var donor))
        {
            return false;
        }

        Donor = donor;
        Person = people.Show(User, donor.Id);
        Actions = [.. donors.GetPermittedActions(donor.Id).Where(a => PortalPermissions.May(registry, User, a.Trigger))];
        History = [.. donors.GetHistory(donor.Id).Reverse()];
        Cases = cases.FindByDonor(donor.Id);
        Donations = care.FindByDonor(donor.Id);
        return true;
    }
}
