using DonorRegistry.Donors;
using DonorRegistry.Hla;

namespace DonorRegistry.Samples;

/// <summary>
/// One import's memory of the genotypes it has checked. A lab's file repeats the same genotypes on many rows (common
/// alleles pair the same way), and checking one (its shape, then the release's parser) costs far more than finding
/// it again: each distinct locus and genotype is checked once, and a refused one throws the same refusal each time it
/// recurs. The check depends only on the locus, the genotype and the release, which an import holds fixed. At most
/// <see cref="Capacity"/> outcomes are kept, so memory stays bounded whatever the file; past that, new genotypes are
/// checked every time.
/// </summary>
internal sealed class GenotypeChecks(HlaReference release)
{
    /// <summary>The most outcomes kept.</summary>
    public const int Capacity = 50_000;

    private readonly Dictionary<(string Locus, string Genotype), Exception?> _outcomes = [];

    /// <summary>How many checks were answered from memory (for tests and the benchmark's phases).</summary>
    public int Remembered { get; private set; }

    /// <summary>Checks one locus's genotype as <see cref="DonorInputs.Genotype"/> does, from memory when it was checked before.</summary>
    /// <param name="locus">The locus, as the row names it.</param>
    /// <param name="genotype">The genotype, as the row gives it.</param>
    /// <exception cref="RegistryValidationException">The genotype's shape is wrong.</exception>
    /// <exception cref="HlaParseException">The parser refuses it, at a position.</exception>
    /// <exception cref="HlaNameException">The release does not name an allele.</exception>
    public void Check(string locus, string genotype)
    {
        var key = (locus, genotype);
        if (_outcomes.TryGetValue(key, out var refusal))
        {
            Remembered++;
            if (refusal is not null)
            {
                throw refusal;
            }

            return;
        }

        try
        {
            DonorInputs.Genotype(locus, genotype, release);
        }
        catch (Exception e) when (e is RegistryValidationException or HlaParseException or HlaNameException)
        {
            Remember(key, e);
            throw;
        }

        Remember(key, null);
    }

    private void Remember((string, string) key, Exception? refusal)
    {
        if (_outcomes.Count < Capacity)
        {
            _outcomes[key] = refusal;
        }
    }
}
