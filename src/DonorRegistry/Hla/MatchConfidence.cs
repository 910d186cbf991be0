namespace DonorRegistry.Hla;

/// <summary>
/// How sure a position's match is, with the four levels of the open-source reference engine (best last). The
/// same levels are used for positions, loci, grades and search results; a locus or grade takes the lowest of
/// its positions.
/// </summary>
public enum MatchConfidence
{
    /// <summary>The position is mismatched at the threshold: even its best grade is poorer than the threshold allows.</summary>
    Mismatch = 0,

    /// <summary>
    /// A match that rests on an ambiguity: an allele list, a low-resolution name, a multiple-allele code, an untyped
    /// locus, or a match at the threshold only for some of the ways the typings can resolve.
    /// </summary>
    Potential = 1,

    /// <summary>Both typings are molecular and each resolves to a single P group, and they match at the threshold however they resolve.</summary>
    Exact = 2,

    /// <summary>Both typings are single alleles (one name of two or more fields, no list or code) and they match at the threshold.</summary>
    Definite = 3,
}
