using System.Globalization;
using System.Text.RegularExpressions;

namespace DonorRegistry.Hla;

/// <summary>
/// How a DPB1 pairing fares by T-cell-epitope (TCE) groups (<c>dpb_tce.csv</c>, version 2 assignment), as the
/// open-source reference engine grades it. Groups run from 1 (most immunogenic) to 3 (least); what decides is the
/// strongest group each side carries.
/// </summary>
public enum Dpb1TceGrade
{
    /// <summary>The loaded release has no <c>dpb_tce.csv</c> (3.24.0 has none): TCE grading is not available, and nothing is guessed.</summary>
    Unavailable = 0,

    /// <summary>An allele of either side has no TCE group (not assigned, a null allele on both positions, or a typing whose alleles span groups).</summary>
    Unknown = 1,

    /// <summary>Both sides carry the same strongest TCE group: a mismatch here is tolerated.</summary>
    Permissive = 2,

    /// <summary>The patient carries a stronger (lower) TCE group than the donor: the donor's T cells may attack the patient (graft versus host).</summary>
    NonPermissiveGvH = 3,

    /// <summary>The donor carries a stronger (lower) TCE group than the patient: the patient's T cells may reject the graft (host versus graft).</summary>
    NonPermissiveHvG = 4,
}

/// <summary>The DPB1 TCE grade of a patient–donor pair, with the groups that decided it.</summary>
/// <param name="Grade">The grade.</param>
/// <param name="PatientGroups">The patient's two TCE groups, such as <c>3+3</c>, or null when unknown or unavailable.</param>
/// <param name="DonorGroups">The donor's two TCE groups, or null when unknown or unavailable.</param>
/// <param name="Reason">Which alleles carry which groups, and why the grade follows.</param>
public sealed record Dpb1TceMatch(Dpb1TceGrade Grade, string? PatientGroups, string? DonorGroups, string Reason)
{
    /// <summary>Whether the pairing is non-permissive in either direction.</summary>
    public bool IsNonPermissive => Grade is Dpb1TceGrade.NonPermissiveGvH or Dpb1TceGrade.NonPermissiveHvG;

    /// <inheritdoc />
    public override string ToString() => PatientGroups is null ? $"DPB1 TCE {Grade}" : $"DPB1 TCE {Grade} (patient {PatientGroups}, donor {DonorGroups})";
}

/// <summary>
/// The TCE groups of <c>dpb_tce.csv</c>: <c>#</c> header lines, then a header row naming the columns
/// (<c>Allele,Protein,V1_Assignment,V2_Assignment,Comments</c> in 3.58.0), then one row per allele. The version 2
/// assignment is used, as the reference engine does. A value is empty (not assigned), <c>0</c> (a null allele, no
/// group), or a group 1 to 3 with an optional sub-group letter (<c>2a</c>, graded as group 2) and an optional
/// <c>$</c> (assigned from sequence motifs or functional distance scores, graded as assigned).
/// </summary>
internal sealed partial class Dpb1TceTable
{
    internal const string File = "dpb_tce.csv";
    private const string Layout = "expected the header row Allele,...,V2_Assignment,... then rows of DPB1*allele and assignments, each empty, 0 (null allele) or a group 1 to 3 with an optional sub-group letter and '$' (as '2a$')";

    /// <summary>Per name (full names with and without suffix, and every shorter name whose expressed alleles share one group; 0 when they do not).</summary>
    private readonly Dictionary<string, Entry> _groups;

    private Dpb1TceTable(Dictionary<string, Entry> groups) => _groups = groups;

    /// <summary>How many allele rows the file holds.</summary>
    public int Count { get; private init; }

    /// <summary>A TCE group of a name: 1 to 3, 0 for a name known but without one (null, unassigned, or spanning groups).</summary>
    public (int Group, string Why)? Lookup(AlleleName allele) =>
        _groups.TryGetValue(allele.FieldsText(), out var entry) || _groups.TryGetValue(allele.FieldsText(withSuffix: false), out entry)
            ? (entry.Group, entry.Why)
            : null;

    [GeneratedRegex(@"^(?:0|[1-3][a-z]?\$?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    /// <summary>Reads the file; a malformed line gives <see cref="HlaReferenceException"/> naming the file, the line and the layout.</summary>
    public static Dpb1TceTable Read(TextReader reader, ref string? release)
    {
        var exact = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, Entry>(StringComparer.Ordinal);
        int allele = -1, v2 = -1, columns = 0, rows = 0;
        foreach (var (line, number) in HlaReference.Lines(reader))
        {
            if (HlaReference.TryHeader(line, File, number, ref release))
            {
                continue;
            }

            var parts = line.Split(',');
            if (columns == 0)
            {
                allele = Array.IndexOf(parts, "Allele");
                v2 = Array.IndexOf(parts, "V2_Assignment");
                if (allele < 0 || v2 < 0)
                {
                    throw new HlaReferenceException(File, number, line, Layout);
                }

                columns = parts.Length;
                continue;
            }

            if (parts.Length != columns || !parts[allele].StartsWith("DPB1*", StringComparison.Ordinal) || !Assignment().IsMatch(parts[v2]))
            {
                throw new HlaReferenceException(File, number, line, $"{Layout}; this row has {parts.Length} column(s) where the header has {columns}, allele '{(parts.Length > allele ? parts[allele] : string.Empty)}' and V2 assignment '{(parts.Length > v2 ? parts[v2] : string.Empty)}'");
            }

            AlleleName name;
            try
            {
                name = AlleleName.Parse(parts[allele]);
            }
            catch (HlaParseException e)
            {
                throw new HlaReferenceException(File, number, line, $"{Layout}; '{parts[allele]}' is not a WHO DPB1 allele name ({e.Expected})");
            }

            rows++;
            var value = parts[v2];
            var group = value.Length == 0 || value == "0" ? 0 : value[0] - '0';
            var why = $"{File} line {number} '{line}' gives {name} {(value.Length == 0 ? "no V2 assignment" : value == "0" ? "0 (a null allele, no group)" : $"V2 assignment {value}")}";
            exact[name.FieldsText()] = new Entry(group, why);
            if (name.IsNull)
            {
                continue; // a shorter name means an expressed allele
            }

            for (var fields = 1; fields < name.FieldCount; fields++)
            {
                var key = name.FieldsText(fields, withSuffix: false);
                prefixes[key] = prefixes.TryGetValue(key, out var seen) && seen.Group != group
                    ? new Entry(0, $"the expressed alleles of DPB1*{key} span TCE groups ({seen.Why}; {why})")
                    : seen.Why is null ? new Entry(group, why) : seen;
            }
        }

        if (columns == 0)
        {
            throw new HlaReferenceException(File, 0, string.Empty, $"has no header row; {Layout}");
        }

        foreach (var (key, entry) in prefixes)
        {
            exact.TryAdd(key, entry);
        }

        return new Dpb1TceTable(exact) { Count = rows };
    }

    /// <summary>Grades a DPB1 pairing; the direction flips when patient and donor swap.</summary>
    public Dpb1TceMatch Grade(LocusTyping patient, LocusTyping donor)
    {
        var p = Groups(patient, "patient");
        var d = Groups(donor, "donor");
        if (p.Groups is null || d.Groups is null)
        {
            return new Dpb1TceMatch(Dpb1TceGrade.Unknown, p.Groups is { } pk ? Text(pk) : null, d.Groups is { } dk ? Text(dk) : null, $"{p.Why}; {d.Why}: no TCE grade without a group on both sides");
        }

        var (pg, dg) = (Math.Min(p.Groups.Value.First, p.Groups.Value.Second), Math.Min(d.Groups.Value.First, d.Groups.Value.Second));
        var (grade, rule) = pg == dg
            ? (Dpb1TceGrade.Permissive, $"both sides' strongest TCE group is {pg}: permissive")
            : pg < dg
                ? (Dpb1TceGrade.NonPermissiveGvH, $"the patient's strongest TCE group {pg} is more immunogenic than the donor's {dg}: non-permissive, graft versus host")
                : (Dpb1TceGrade.NonPermissiveHvG, $"the donor's strongest TCE group {dg} is more immunogenic than the patient's {pg}: non-permissive, host versus graft");
        return new Dpb1TceMatch(grade, Text(p.Groups.Value), Text(d.Groups.Value), $"{p.Why}; {d.Why}; {rule}");
    }

    /// <summary>The grade when the release has no TCE groups.</summary>
    public static Dpb1TceMatch Unavailable(string? release) => new(Dpb1TceGrade.Unavailable, null, null,
        $"{release ?? "the loaded reference"} has no {File}: DPB1 TCE grading is unavailable (not guessed)");

    private static string Text((int First, int Second) groups) =>
        string.Create(CultureInfo.InvariantCulture, $"{groups.First}+{groups.Second}");

    /// <summary>A side's two groups: a null allele beside an expressed one takes the expressed one's group (homozygous), as in the reference engine.</summary>
    private ((int First, int Second)? Groups, string Why) Groups(LocusTyping typing, string side)
    {
        var (first, second) = (typing.First!, typing.Second!);
        if (first.IsNull && second.IsNull)
        {
            return (null, $"the {side}'s DPB1 {first} and {second} are both null alleles (no TCE group)");
        }

        var (a, b) = first.IsNull ? (second, second) : second.IsNull ? (first, first) : (first, second);
        var (ga, wa) = Group(a);
        var (gb, wb) = ReferenceEquals(a, b) ? (ga, wa) : Group(b);
        var why = ReferenceEquals(a, b) && !ReferenceEquals(first, second)
            ? $"the {side}'s {(first.IsNull ? first : second)} is null, so the {side} carries {a} twice: {wa}"
            : ReferenceEquals(a, b) ? $"the {side}: {wa}" : $"the {side}: {wa}; {wb}";
        return ga > 0 && gb > 0 ? ((ga, gb), why) : (null, why);
    }

    /// <summary>The one group all names of a position share (0 when unknown, absent or spanning groups).</summary>
    private (int Group, string Why) Group(TypedPosition position)
    {
        var group = -1;
        var reasons = new List<string>();
        foreach (var name in position.Alleles.Where(n => !n.IsNull))
        {
            if (Lookup(name) is not { } found)
            {
                return (0, $"{name} is not in {File}");
            }

            if (found.Group == 0)
            {
                return (0, found.Why);
            }

            if (group > 0 && found.Group != group)
            {
                return (0, $"{position} spans TCE groups ({string.Join("; ", reasons)}; {found.Why})");
            }

            group = found.Group;
            if (reasons.Count < 2)
            {
                reasons.Add(found.Why);
            }
        }

        return group > 0 ? (group, $"{position} is TCE {group} ({string.Join("; ", reasons)}{(position.Alleles.Count > 2 ? "; ..." : string.Empty)})") : (0, $"{position} has no expressed allele");
    }

    private readonly record struct Entry(int Group, string Why);
}
