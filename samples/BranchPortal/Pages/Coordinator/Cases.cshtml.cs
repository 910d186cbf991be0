using DonorRegistry.Cases;
using DonorRegistry.Donors;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BranchPortal.Pages.Coordinator;

/// <summary>
/// The case board: the cases in progress by stage. The library lists cases per donor only, so the board reads the
/// cases of the donors a case can hold (reserved, donated, temporarily unavailable).
/// </summary>
/// <param name="donors">The registry's donors.</param>
/// <param name="cases">The registry's cases.</param>
/// <param name="context">The process.</param>
public sealed class CasesModel(DonorOperations donors, CaseOperations cases, PortalContext context) : PageModel
{
    /// <summary>The cases by stage, in board order; stages without a case left out.</summary>
    public IReadOnlyList<(CaseState Stage, IReadOnlyList<MatchCase> Cases)> Stages { get; private set; } = [];

    /// <summary>An instant in the branch's time.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public string Local(DateTimeOffset at) => context.Local(at);

    /// <summary>Reads the cases.</summary>
    public void OnGet()
    {
        var all = new[] { DonorState.Reserved, DonorState.Donated, DonorState.TemporarilyUnavailable }
            .SelectMany(s => donors.FindByState(s))
            .SelectMany(d => cases.FindByDonor(d.Id))
            .DistinctBy(c => c.Id)
            .ToLookup(c => c.State);
        Stages = [.. CaseSteps.Board.Where(s => all[s].Any()).Select(s => (s, (IReadOnlyList<MatchCase>)[.. all[s].OrderBy(c => c.OpenedAt)]))];
    }
}
