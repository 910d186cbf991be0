namespace DonorRegistry.Donors;

/// <summary>
/// An HLA typing as the lab reported it: per locus, the genotype string the lab wrote
/// (for example <c>A*02:01+A*24:02</c>).
/// </summary>
/// <param name="Lab">The typing lab.</param>
/// <param name="TypedOn">The day the lab reported the typing.</param>
/// <param name="Loci">Locus name (A, B, C, DRB1, DQB1, DPB1) to genotype string.</param>
public sealed record TypingResult(string Lab, DateOnly TypedOn, IReadOnlyDictionary<string, string> Loci)
{
    /// <summary>The loci a typing may name.</summary>
    public static IReadOnlyList<string> KnownLoci { get; } = ["A", "B", "C", "DRB1", "DQB1", "DPB1"];

    /// <summary>The loci a typing must name to list the donor.</summary>
    public static IReadOnlyList<string> RequiredLoci { get; } = ["A", "B", "DRB1"];

    /// <summary>Records are equal when lab, date and every locus are equal.</summary>
    /// <param name="other">The other record.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(TypingResult? other) =>
        other is not null
        && Lab == other.Lab
        && TypedOn == other.TypedOn
        && Loci.Count == other.Loci.Count
        && Loci.All(kv => other.Loci.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Lab, TypedOn, Loci.Count);

    /// <summary>One line a person can read: <c>HLA lab 2026-06-01: A*11:01+A*24:02 B*46:01+B*40:01 DRB1*09:01+DRB1*15:01</c>, loci in the registry's order.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        $"{Lab} {Readable.Day(TypedOn)}: {string.Join(" ", Loci.OrderBy(kv => OrderOf(kv.Key)).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value))}";

    private static int OrderOf(string locus)
    {
        for (var i = 0; i < KnownLoci.Count; i++)
        {
            if (KnownLoci[i] == locus)
            {
                return i;
            }
        }

        return KnownLoci.Count;
    }
}
