namespace DonorRegistry.Hla;

/// <summary>Whether a grade is certain or depends on how an ambiguity resolves.</summary>
public enum MatchConfidence
{
    /// <summary>Every way the typings can resolve gives the same grade.</summary>
    Definite = 0,

    /// <summary>An ambiguity (an allele list, a low-resolution typing, an untyped locus) could go either way; the grade is the best possible.</summary>
    Potential = 1,
}
