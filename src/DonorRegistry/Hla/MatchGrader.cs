namespace DonorRegistry.Hla;

/// <summary>
/// Grades a donor's HLA typing against a patient's, position by position and locus by locus, the way
/// transplant registries do: exact allele, same G group, same P group, same antigen, mismatch.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A pair of alleles is an <see cref="PositionGrade.Allele"/> match when their first two fields (the protein) agree.
/// A low-resolution name (<c>A*02</c>) may be any allele of its family, so it grades from Allele (best) to Antigen (worst).</item>
/// <item>An ambiguous position grades over every combination: the best is the grade, and the worst shows whether the grade is definite.</item>
/// <item>A null allele is not expressed: null against expressed is a mismatch. A locus with one null and one expressed
/// position counts as homozygous for the expressed allele.</item>
/// <item>Each locus is graded in both orientations and the better one is kept: fewer definite mismatches, then fewer
/// potential mismatches, then better grades.</item>
/// <item>An untyped locus grades from Allele to Mismatch: it costs no definite mismatch but makes the match potential.</item>
/// </list>
/// </remarks>
public sealed class MatchGrader
{
    private readonly HlaReference _reference;

    /// <summary>Creates a grader.</summary>
    /// <param name="reference">G/P groups and serology; <see cref="HlaReference.None"/> grades on the fields alone.</param>
    public MatchGrader(HlaReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        _reference = reference;
    }

    /// <summary>Whether the grader has G and P group tables.</summary>
    internal bool UsesGroups => _reference.HasGroups;

    /// <summary>Grades a donor against a patient.</summary>
    /// <param name="patient">The patient's typing.</param>
    /// <param name="donor">The donor's typing.</param>
    /// <returns>The grade, locus by locus.</returns>
    public MatchGrade Grade(HlaTyping patient, HlaTyping donor)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(donor);
        var loci = Enum.GetValues<HlaLocus>().Select(l => GradeLocus(patient[l], donor[l])).ToList();
        return new MatchGrade(loci, _reference.HasGroups);
    }

    /// <summary>Grades one locus, choosing the better orientation.</summary>
    /// <param name="patient">The patient's typing of the locus.</param>
    /// <param name="donor">The donor's typing of the locus.</param>
    /// <returns>The locus match.</returns>
    public LocusMatch GradeLocus(LocusTyping patient, LocusTyping donor)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(donor);
        if (patient.Locus != donor.Locus)
        {
            throw new ArgumentException($"Cannot grade locus {donor.Locus} of the donor against locus {patient.Locus} of the patient; grade like with like.", nameof(donor));
        }

        if (patient.IsUntyped || donor.IsUntyped)
        {
            var who = patient.IsUntyped && donor.IsUntyped ? "either side" : patient.IsUntyped ? "the patient" : "the donor";
            var unknown = new PositionMatch(PositionGrade.Allele, PositionGrade.Mismatch, patient.First, donor.First, $"{patient.Locus} is not typed on {who}");
            var unknownSecond = unknown with { Patient = patient.Second, Donor = donor.Second };
            return new LocusMatch(patient.Locus, unknown, unknownSecond, Crossed: false);
        }

        var (p1, p2) = Expressed(patient);
        var (d1, d2) = Expressed(donor);
        var straight = new LocusMatch(patient.Locus, GradePosition(p1, d1), GradePosition(p2, d2), Crossed: false);
        var crossed = new LocusMatch(patient.Locus, GradePosition(p1, d2), GradePosition(p2, d1), Crossed: true);
        return Score(crossed).CompareTo(Score(straight)) < 0 ? crossed : straight;
    }

    private static (int Mismatches, int Potential, int Grades, int Worst) Score(LocusMatch m) =>
        (m.Mismatches, m.PotentialMismatches, (int)m.First.Grade + (int)m.Second.Grade, (int)m.First.Worst + (int)m.Second.Worst);

    /// <summary>A null allele opposite an expressed one: the locus expresses only the latter, so it counts twice.</summary>
    private static (TypedPosition, TypedPosition) Expressed(LocusTyping typing)
    {
        var (first, second) = (typing.First!, typing.Second!);
        return first.IsNull && !second.IsNull ? (second, second)
            : second.IsNull && !first.IsNull ? (first, first)
            : (first, second);
    }

    /// <summary>The best and worst grade of a donor position against a patient position, without reasons (for the search index).</summary>
    internal (PositionGrade Best, PositionGrade Worst) Range(TypedPosition patient, TypedPosition donor)
    {
        var best = PositionGrade.Mismatch;
        var worst = PositionGrade.Allele;
        foreach (var p in patient.Alleles)
        {
            foreach (var d in donor.Alleles)
            {
                var pair = GradePair(p, d, explain: false);
                best = pair.Best < best ? pair.Best : best;
                worst = pair.Worst > worst ? pair.Worst : worst;
            }
        }

        return (best, worst);
    }

    /// <summary>The effective positions of a typed locus: a null allele opposite an expressed one counts as the expressed one.</summary>
    internal static (TypedPosition First, TypedPosition Second) EffectivePositions(LocusTyping typing) => Expressed(typing);

    private PositionMatch GradePosition(TypedPosition patient, TypedPosition donor)
    {
        (PositionGrade Best, PositionGrade Worst, string Reason)? best = null;
        var worst = PositionGrade.Allele;
        foreach (var p in patient.Alleles)
        {
            foreach (var d in donor.Alleles)
            {
                var pair = GradePair(p, d, explain: true);
                if (best is null || pair.Best < best.Value.Best)
                {
                    best = pair;
                }

                if (pair.Worst > worst)
                {
                    worst = pair.Worst;
                }
            }
        }

        var reason = best!.Value.Reason;
        if (worst != best.Value.Best)
        {
            reason += $"; could be as poor as {worst} once the typings are resolved";
        }

        return new PositionMatch(best.Value.Best, worst, patient, donor, reason);
    }

    /// <summary>Grades two alleles; builds the reason only when <paramref name="explain"/> (the index grades thousands without them).</summary>
    private (PositionGrade Best, PositionGrade Worst, string Reason) GradePair(AlleleName p, AlleleName d, bool explain)
    {
        if (p.IsNull || d.IsNull)
        {
            return p.IsNull && d.IsNull
                ? (PositionGrade.Allele, PositionGrade.Allele, (explain ? $"{p} and {d} are both null alleles (neither expressed)" : string.Empty))
                : (PositionGrade.Mismatch, PositionGrade.Mismatch, (explain ? $"{(p.IsNull ? p : d)} is a null allele (not expressed) against the expressed {(p.IsNull ? d : p)}" : string.Empty));
        }

        var ps = _reference.Serology(p);
        var ds = _reference.Serology(d);
        var knownSerology = ps is { } patientAntigen && ds is { } donorAntigen && patientAntigen != "0" && donorAntigen != "0";
        if (p.Family != d.Family)
        {
            return knownSerology && ps == ds
                ? (PositionGrade.Antigen, PositionGrade.Antigen, (explain ? $"{p} and {d} are different families with the same serological antigen {ps}" : string.Empty))
                : (PositionGrade.Mismatch, PositionGrade.Mismatch, (explain ? $"{p} and {d} are different allele families" : string.Empty));
        }

        if (p.IsLowResolution || d.IsLowResolution)
        {
            return (PositionGrade.Allele, PositionGrade.Antigen, (explain ? $"{p} and {d} share the family {p.Locus}*{p.Family:D2}; the low-resolution typing may be this allele or another of the family" : string.Empty));
        }

        if (p.Field(2) == d.Field(2))
        {
            return (PositionGrade.Allele, PositionGrade.Allele, (explain ? $"{p} and {d} are the same allele (same protein)" : string.Empty));
        }

        // A name typed to fewer fields may be any of several full alleles, which can fall in different G groups:
        // grade every combination and keep the range.
        (PositionGrade Best, PositionGrade Worst, string Reason)? range = null;
        foreach (var a in _reference.Resolve(p))
        {
            foreach (var b in _reference.Resolve(d))
            {
                var (grade, reason) = GradeResolved(a, b, p, d, explain);
                range = range is null
                    ? (grade, grade, reason)
                    : (grade < range.Value.Best ? grade : range.Value.Best, grade > range.Value.Worst ? grade : range.Value.Worst, grade < range.Value.Best ? reason : range.Value.Reason);
            }
        }

        return range!.Value;
    }

    /// <summary>Grades two full alleles of one family with different proteins; names them as typed (<paramref name="p"/>, <paramref name="d"/>).</summary>
    private (PositionGrade Grade, string Reason) GradeResolved(AlleleName a, AlleleName b, AlleleName p, AlleleName d, bool explain)
    {
        if (_reference.GGroup(a) is { } ag && ag == _reference.GGroup(b))
        {
            return (PositionGrade.GGroup, (explain ? $"{p} and {d} are different alleles in the same G group {ag}" : string.Empty));
        }

        if (_reference.PGroup(a) is { } ap && ap == _reference.PGroup(b))
        {
            return (PositionGrade.PGroup, (explain ? $"{p} and {d} are different alleles in the same P group {ap}" : string.Empty));
        }

        var (sa, sb) = (_reference.Serology(a), _reference.Serology(b));
        return sa is { } x && sb is { } y && x != "0" && y != "0" && x != y
            ? (PositionGrade.Mismatch, (explain ? $"{p} and {d} share a family but are different serological antigens ({x} and {y})" : string.Empty))
            : (PositionGrade.Antigen, (explain ? $"{p} and {d} are different alleles of the same family (antigen match only)" : string.Empty));
    }
}
