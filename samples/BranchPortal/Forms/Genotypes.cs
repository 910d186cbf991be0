using DonorRegistry.Hla;

namespace BranchPortal.Forms;

/// <summary>A typing typed into a form (genotypes such as <c>A*02:01+A*11:01</c> separated by spaces or lines) as the per-locus strings a <see cref="DonorRegistry.Donors.TypingResult"/> holds.</summary>
public static class Genotypes
{
    /// <summary>Splits the text into genotypes by locus (the name before the first '*').</summary>
    /// <param name="text">The text.</param>
    /// <returns>Locus name to genotype.</returns>
    /// <exception cref="HlaParseException">The text is not a typing the library reads (its message says why).</exception>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        _ = HlaTyping.Parse(text); // the library's own check and message
        var loci = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var genotype in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var star = genotype.IndexOf('*', StringComparison.Ordinal);
            var locus = star > 0 ? genotype[..star] : genotype;
            loci[locus.StartsWith("HLA-", StringComparison.OrdinalIgnoreCase) ? locus[4..] : locus] = genotype;
        }

        return loci;
    }
}
