using DonorRegistry.Care;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BranchPortal.Pages.Coordinator.Care;

/// <summary>
/// Donor care today: the follow-ups due or overdue, and the appreciation visits (慰问) due. The care workflows
/// (<c>CareWorkflows</c>) raise reminders but offer no due lists, so the lists come from <see cref="CareOperations"/>.
/// </summary>
/// <param name="care">The registry's donor care.</param>
/// <param name="context">The process.</param>
/// <param name="time">The clock.</param>
public sealed class IndexModel(CareOperations care, PortalContext context, TimeProvider time) : PageModel
{
    /// <summary>Today in the branch.</summary>
    public DateOnly Today => context.DayOf(time.GetUtcNow());

    /// <summary>Each follow-up due today or before and not done, with its donation, earliest first.</summary>
    public IReadOnlyList<(DonationRecord Donation, FollowUp FollowUp)> FollowUps { get; private set; } = [];

    /// <summary>The visits due and not made or skipped.</summary>
    public IReadOnlyList<DueVisit> Visits { get; private set; } = [];

    /// <summary>Reads the lists.</summary>
    public void OnGet()
    {
        var today = Today;
        FollowUps = [.. care.FindOverdueFollowUps(today.AddDays(1))
            .SelectMany(r => r.FollowUps.Where(f => !f.IsDone && f.DueOn <= today).Select(f => (r, f)))
            .OrderBy(x => x.f.DueOn)];
        Visits = care.FindDueVisits(today);
    }
}
