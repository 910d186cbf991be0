using System.Globalization;
using System.Text;
using DonorRegistry.Donors;

namespace DonorRegistry.FakeData;

/// <summary>Writes a typing lab's results file as labs send it: one row per tube barcode, one genotype column per locus.</summary>
public static class LabResults
{
    /// <summary>The loci a lab file carries, in column order.</summary>
    public static IReadOnlyList<string> Loci { get; } = ["A", "B", "C", "DRB1", "DQB1"];

    /// <summary>The CSV text: header <c>Barcode,TypedOn,HLA-A,...</c>, then a row per tube.</summary>
    /// <param name="rows">Each tube's barcode and typing.</param>
    /// <returns>The file's text.</returns>
    public static string Csv(IEnumerable<(string Barcode, TypingResult Typing)> rows)
    {
        var text = new StringBuilder("Barcode,TypedOn," + string.Join(",", Loci.Select(l => "HLA-" + l)) + "\n");
        foreach (var (barcode, typing) in rows)
        {
            text.Append(barcode).Append(',').Append(typing.TypedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var locus in Loci)
            {
                text.Append(',').Append(typing.Loci.TryGetValue(locus, out var genotype) ? genotype : string.Empty);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
