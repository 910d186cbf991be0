using DonorRegistry.Hla;

namespace DonorRegistry.Search;

/// <summary>The ranked donors of a search and what the search rested on.</summary>
/// <param name="Matches">The donors, best first, at most the request's limit.</param>
/// <param name="Candidates">How many donors met every filter before the limit was applied.</param>
/// <param name="Scanned">How many donors' typings were graded.</param>
/// <param name="Basis">What the grades rest on (IMGT/HLA tables, or the allele fields alone).</param>
/// <param name="Loci">The loci counted.</param>
/// <param name="LeftOut">Loci of A, B, C, DRB1, DQB1 left out because the patient is not typed there (the request named no loci).</param>
/// <param name="Threshold">The poorest grade that counted as matched.</param>
public sealed record SearchResult(
    IReadOnlyList<MatchResult> Matches,
    int Candidates,
    int Scanned,
    string Basis,
    IReadOnlyList<HlaLocus> Loci,
    IReadOnlyList<HlaLocus> LeftOut,
    MatchThreshold Threshold)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var leftOut = LeftOut.Count == 0 ? string.Empty : $"; {string.Join(", ", LeftOut)} left out (the patient is not typed there)";
        var best = Matches.Count == 0 ? "no donor" : $"best {Matches[0]}";
        return $"{Candidates} donor(s) within the limits of {Scanned} graded at {string.Join(", ", Loci)} at {Threshold}{leftOut}; {best}";
    }
}
