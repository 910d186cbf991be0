using Bogus;
using DonorRegistry.Donors;

namespace DonorRegistry.FakeData;

/// <summary>
/// Synthetic HLA typings skewed like a Han Chinese donor population: a few alleles common (A*11:01,
/// A*24:02, A*02:07, B*46:01, DRB1*09:01 ...), a long tail rare. The frequency tables are illustrative,
/// written for this project from the shape of published Chinese registry data, not copied from a
/// dataset. Reproducible from a seed. Shared by samples, tests and benchmarks (linked, not copied).
/// </summary>
internal sealed class SyntheticHla
{
    private static readonly Dictionary<string, (string Allele, double Weight)[]> Frequencies = new()
    {
        ["A"] = Table("A", ("11:01", 240), ("24:02", 160), ("02:07", 100), ("02:01", 100), ("33:03", 80), ("30:01", 50), ("02:06", 40),
            ("31:01", 30), ("02:03", 20), ("01:01", 20), ("26:01", 20), ("03:01", 15), ("29:01", 10), ("32:01", 10), ("11:02", 10),
            ("68:01", 5), ("24:07", 4), ("02:10", 3), ("30:02", 2), ("34:01", 2), ("24:08", 1), ("02:11", 1), ("33:01", 1), ("26:02", 1)),
        ["B"] = Table("B", ("46:01", 130), ("40:01", 120), ("58:01", 70), ("13:02", 60), ("15:01", 50), ("51:01", 50), ("38:02", 40),
            ("35:01", 40), ("13:01", 30), ("54:01", 30), ("15:02", 20), ("44:03", 20), ("52:01", 20), ("55:02", 20), ("40:02", 20),
            ("48:01", 20), ("07:02", 15), ("27:05", 10), ("57:01", 10), ("39:01", 10), ("40:06", 5), ("15:11", 3), ("56:01", 2), ("67:01", 1), ("59:01", 1)),
        ["C"] = Table("C", ("01:02", 180), ("07:02", 170), ("03:04", 100), ("08:01", 90), ("03:02", 70), ("06:02", 70), ("03:03", 50),
            ("04:01", 40), ("14:02", 40), ("12:02", 30), ("15:02", 30), ("07:01", 20), ("08:02", 10), ("01:03", 10), ("07:04", 5), ("16:02", 2), ("14:03", 1)),
        ["DRB1"] = Table("DRB1", ("09:01", 150), ("15:01", 100), ("12:02", 80), ("07:01", 70), ("08:03", 70), ("04:05", 60), ("11:01", 50),
            ("03:01", 50), ("14:01", 40), ("12:01", 40), ("15:02", 30), ("16:02", 30), ("13:02", 30), ("14:54", 20), ("04:06", 20),
            ("01:01", 20), ("11:04", 10), ("10:01", 10), ("08:02", 5), ("04:03", 4), ("13:12", 2), ("14:05", 2), ("08:09", 1), ("11:06", 1)),
        ["DQB1"] = Table("DQB1", ("03:01", 190), ("03:03", 150), ("06:01", 100), ("03:02", 90), ("02:02", 70), ("05:02", 70), ("06:02", 60),
            ("02:01", 60), ("04:01", 50), ("05:01", 40), ("05:03", 40), ("06:03", 30), ("06:09", 20), ("04:02", 20), ("06:04", 5), ("03:05", 2), ("05:04", 1)),
    };

    private readonly Faker _faker;

    public SyntheticHla(int seed) => _faker = new Faker { Random = new Randomizer(seed) };

    /// <summary>The share of donors typed at A, B and DRB1 only (older, lower-resolution typings). Default 0.1.</summary>
    public double ThreeLocusShare { get; init; } = 0.1;

    /// <summary>A lab report for one donor: two alleles per locus drawn by frequency.</summary>
    public TypingResult Next(DateOnly typedOn)
    {
        var threeLocus = _faker.Random.Double() < ThreeLocusShare;
        var loci = new Dictionary<string, string>();
        foreach (var (locus, table) in Frequencies)
        {
            if (threeLocus && locus is "C" or "DQB1")
            {
                continue;
            }

            loci[locus] = $"{Draw(table)}+{Draw(table)}";
        }

        return new TypingResult("synthetic", typedOn, loci);
    }

    /// <summary>The alleles of a locus, most frequent first (the tables are written in that order).</summary>
    public static IReadOnlyList<string> Common(string locus) => Frequencies[locus].Select(a => a.Allele).ToList();

    private string Draw((string Allele, double Weight)[] table)
    {
        var roll = _faker.Random.Double() * table[^1].Weight;
        var i = Array.FindIndex(table, t => t.Weight >= roll);
        return table[i].Allele;
    }

    /// <summary>Turns weights into a cumulative table of full names.</summary>
    private static (string Allele, double Weight)[] Table(string locus, params (string Allele, double Weight)[] alleles)
    {
        var total = 0.0;
        return alleles.Select(a => ($"{locus}*{a.Allele}", total += a.Weight)).ToArray();
    }
}
