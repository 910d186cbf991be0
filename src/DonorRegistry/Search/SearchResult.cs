namespace DonorRegistry.Search;

/// <summary>The ranked donors of a search and what the search rested on.</summary>
/// <param name="Matches">The donors, best first, at most the request's limit.</param>
/// <param name="Candidates">How many donors met every filter before the limit was applied.</param>
/// <param name="Scanned">How many donors' typings were graded.</param>
/// <param name="Basis">What the grades rest on (IMGT/HLA tables, or the allele fields alone).</param>
public sealed record SearchResult(IReadOnlyList<MatchResult> Matches, int Candidates, int Scanned, string Basis);
