namespace DonorRegistry.Hla;

/// <summary>
/// The poorest grade a position may have and still count as matched in the x/10, x/8 and x/6 totals, the
/// per-locus mismatch limits and the labels. Every position keeps its own grade whatever the threshold.
/// </summary>
/// <remarks>
/// Registries and the WMDA-approved open-source engine count at <see cref="PGroup"/> (the default): a 10/10 donor
/// carries, at all ten positions, the same protein in the antigen-binding domain as the patient. Counting at
/// <see cref="Antigen"/> calls two alleles that differ in the binding domain but share serology a match, which is
/// only fit for low-resolution searches.
/// </remarks>
public enum MatchThreshold
{
    /// <summary>Only the same allele (same protein) counts as matched.</summary>
    Allele = 0,

    /// <summary>The same allele or the same G group counts as matched.</summary>
    GGroup = 1,

    /// <summary>The same allele, G group or P group counts as matched (the default and what registries report).</summary>
    PGroup = 2,

    /// <summary>Any grade from the same allele down to a serological match (split, associated or broad) counts as matched.</summary>
    Antigen = 3,
}
