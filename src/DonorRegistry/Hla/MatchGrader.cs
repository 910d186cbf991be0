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
/// potential mismatches (both at the threshold), then better grades.</item>
/// <item>An untyped locus grades from Allele to Mismatch: it costs no definite mismatch, makes the match potential, and
/// is reported as not compared (<see cref="MatchGrade.Count10"/>).</item>
/// <item>Totals, limits and labels count at the <see cref="Threshold"/> (default <see cref="MatchThreshold.PGroup"/>).</item>
/// </list>
/// </remarks>
public sealed class MatchGrader
{
    private readonly HlaReference _reference;

    /// <summary>Creates a grader.</summary>
    /// <param name="reference">G/P groups and serology; <see cref="HlaReference.None"/> grades on the fields alone.</param>
    /// <param name="threshold">The poorest grade that counts as matched. Default <see cref="MatchThreshold.PGroup"/>, as registries count.</param>
    /// <exception cref="HlaGradingException">The threshold is not defined.</exception>
    public MatchGrader(HlaReference reference, MatchThreshold threshold = MatchThreshold.PGroup)
    {
        ArgumentNullException.ThrowIfNull(reference);
        _reference = reference;
        Threshold = Counting.Checked(threshold);
    }

    /// <summary>The poorest grade that counts as matched.</summary>
    public MatchThreshold Threshold { get; }

    /// <summary>Whether the grader has G and P group tables.</summary>
    internal bool UsesGroups => _reference.HasGroups;

    /// <summary>A grader with the same tables counting at another threshold.</summary>
    /// <param name="threshold">The threshold.</param>
    /// <returns>This grader when the threshold is the same, else a new one.</returns>
    /// <exception cref="HlaGradingException">The threshold is not defined.</exception>
    public MatchGrader WithThreshold(MatchThreshold threshold) =>
        Counting.Checked(threshold) == Threshold ? this : new MatchGrader(_reference, threshold);

    /// <summary>Grades a donor against a patient.</summary>
    /// <param name="patient">The patient's typing.</param>
    /// <param name="donor">The donor's typing.</param>
    /// <returns>The grade, locus by locus.</returns>
    public MatchGrade Grade(HlaTyping patient, HlaTyping donor)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(donor);
        var loci = Enum.GetValues<HlaLocus>().Select(l => GradeLocus(patient[l], donor[l])).ToList();
        return new MatchGrade(loci, _reference.HasGroups, Threshold);
    }

    /// <summary>Grades one locus, choosing the better orientation.</summary>
    /// <param name="patient">The patient's typing of the locus.</param>
    /// <param name="donor">The donor's typing of the locus.</param>
    /// <returns>The locus match.</returns>
    /// <exception cref="HlaGradingException">The two typings are of different loci.</exception>
    public LocusMatch GradeLocus(LocusTyping patient, LocusTyping donor)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(donor);
        if (patient.Locus != donor.Locus)
        {
            throw new HlaGradingException($"locus {donor.Locus} of the donor against locus {patient.Locus} of the patient", "grade like with like (the same locus on both sides)");
        }

        if (patient.IsUntyped || donor.IsUntyped)
        {
            var who = patient.IsUntyped && donor.IsUntyped ? "either side" : patient.IsUntyped ? "the patient" : "the donor";
            var unknown = new PositionMatch(PositionGrade.Allele, PositionGrade.Mismatch, patient.First, donor.First, $"{patient.Locus} is not typed on {who}", MatchConfidence.Potential);
            var unknownSecond = unknown with { Patient = patient.Second, Donor = donor.Second };
            return new LocusMatch(patient.Locus, unknown, unknownSecond, Crossed: false, Threshold);
        }

        var (p1, p2) = Expressed(patient);
        var (d1, d2) = Expressed(donor);
        var straight = new LocusMatch(patient.Locus, GradePosition(p1, d1), GradePosition(p2, d2), Crossed: false, Threshold);
        var crossed = new LocusMatch(patient.Locus, GradePosition(p1, d2), GradePosition(p2, d1), Crossed: true, Threshold);
        return Score(crossed.First.Grade, crossed.First.Worst, crossed.Second.Grade, crossed.Second.Worst)
            .CompareTo(Score(straight.First.Grade, straight.First.Worst, straight.Second.Grade, straight.Second.Worst)) < 0 ? crossed : straight;
    }

    /// <summary>
    /// How good an orientation is, smaller being better: definite mismatches, then potential mismatches (both at the
    /// threshold), then the grades, then the worst grades. The search index orients with the same score.
    /// </summary>
    internal (int Mismatches, int Potential, int Grades, int Worst) Score(PositionGrade best1, PositionGrade worst1, PositionGrade best2, PositionGrade worst2) =>
        (Counting.Mismatched(best1, Threshold) + Counting.Mismatched(best2, Threshold),
         Counting.Mismatched(worst1, Threshold) + Counting.Mismatched(worst2, Threshold),
         (int)best1 + (int)best2,
         (int)worst1 + (int)worst2);

    /// <summary>A null allele opposite an expressed one: the locus expresses only the latter, so it counts twice.</summary>
    private static (TypedPosition, TypedPosition) Expressed(LocusTyping typing)
    {
        var (first, second) = (typing.First!, typing.Second!);
        return first.IsNull && !second.IsNull ? (second, second)
            : second.IsNull && !first.IsNull ? (first, first)
            : (first, second);
    }

    /// <summary>The best and worst grade of a donor position against a patient position and its confidence, without reasons (for the search index).</summary>
    internal (PositionGrade Best, PositionGrade Worst, MatchConfidence Confidence) Range(TypedPosition patient, TypedPosition donor)
    {
        var (best, worst, _) = Pairs(patient, donor, explain: false);
        return (best, worst, ConfidenceOf(best, worst, patient, donor));
    }

    /// <summary>The effective positions of a typed locus: a null allele opposite an expressed one counts as the expressed one.</summary>
    internal static (TypedPosition First, TypedPosition Second) EffectivePositions(LocusTyping typing) => Expressed(typing);

    private PositionMatch GradePosition(TypedPosition patient, TypedPosition donor)
    {
        var (best, worst, reason) = Pairs(patient, donor, explain: true);
        if (worst != best)
        {
            reason += $"; could be as poor as {worst} once the typings are resolved";
        }

        return new PositionMatch(best, worst, patient, donor, reason, ConfidenceOf(best, worst, patient, donor));
    }

    /// <summary>The range over every pair of alternatives of two positions; the reason is that of the best pair.</summary>
    private (PositionGrade Best, PositionGrade Worst, string Reason) Pairs(TypedPosition patient, TypedPosition donor, bool explain)
    {
        (PositionGrade Best, PositionGrade Worst, string Reason)? best = null;
        var worst = PositionGrade.Allele;
        foreach (var p in patient.Alleles)
        {
            foreach (var d in donor.Alleles)
            {
                var pair = GradePair(p, d, explain);
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

        return (best!.Value.Best, worst, best.Value.Reason);
    }

    /// <summary>The four levels of <see cref="MatchConfidence"/>, at this grader's threshold.</summary>
    private MatchConfidence ConfidenceOf(PositionGrade best, PositionGrade worst, TypedPosition patient, TypedPosition donor)
    {
        var limit = Counting.Limit(Threshold);
        if (best > limit)
        {
            return MatchConfidence.Mismatch;
        }

        if (worst > limit)
        {
            return MatchConfidence.Potential;
        }

        if (patient.IsSingleAllele && donor.IsSingleAllele)
        {
            return MatchConfidence.Definite;
        }

        return _reference.SinglePGroup(patient) is { } p && _reference.SinglePGroup(donor) is { } d && p.Length > 0 && d.Length > 0
            ? MatchConfidence.Exact
            : MatchConfidence.Potential;
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
