using DonorRegistry.Hla;

namespace DonorRegistry.Benchmarks;

/// <summary>
/// The grader as it was at commit 37616f2 (before issue 10), kept here only as the speed reference of
/// <see cref="GraderBenchmarks"/>: the same algorithm (two-field names expanded to every full allele, the cross
/// product graded with string lookups and reasons built per pair), written against the public reference API.
/// It returns the definite mismatches at the five matched loci, counted its way (only Mismatch counts).
/// </summary>
internal sealed class PreviousGrader(HlaReference reference)
{
    private static readonly HlaLocus[] Matched = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1];

    public int Mismatches(HlaTyping patient, HlaTyping donor) => Matched.Sum(l => GradeLocus(patient[l], donor[l]));

    private int GradeLocus(LocusTyping patient, LocusTyping donor)
    {
        if (patient.IsUntyped || donor.IsUntyped)
        {
            _ = $"{patient.Locus} is not typed";
            return 0;
        }

        var (p1, p2) = Expressed(patient);
        var (d1, d2) = Expressed(donor);
        var straight = (GradePosition(p1, d1), GradePosition(p2, d2));
        var crossed = (GradePosition(p1, d2), GradePosition(p2, d1));
        return Math.Min(Count(straight), Count(crossed));
    }

    private static int Count(((PositionGrade Best, PositionGrade Worst, string) A, (PositionGrade Best, PositionGrade Worst, string) B) m) =>
        (m.A.Best == PositionGrade.Mismatch ? 1 : 0) + (m.B.Best == PositionGrade.Mismatch ? 1 : 0);

    private static (TypedPosition, TypedPosition) Expressed(LocusTyping typing)
    {
        var (first, second) = (typing.First!, typing.Second!);
        return first.IsNull && !second.IsNull ? (second, second) : second.IsNull && !first.IsNull ? (first, first) : (first, second);
    }

    private (PositionGrade Best, PositionGrade Worst, string Reason) GradePosition(TypedPosition patient, TypedPosition donor)
    {
        (PositionGrade Best, PositionGrade Worst, string Reason)? best = null;
        var worst = PositionGrade.Allele;
        foreach (var p in patient.Alleles)
        {
            foreach (var d in donor.Alleles)
            {
                var pair = GradePair(p, d);
                if (best is null || pair.Best < best.Value.Best)
                {
                    best = pair;
                }

                worst = pair.Worst > worst ? pair.Worst : worst;
            }
        }

        var reason = best!.Value.Reason;
        if (worst != best.Value.Best)
        {
            reason += $"; could be as poor as {worst} once the typings are resolved";
        }

        return (best.Value.Best, worst, reason);
    }

    private (PositionGrade Best, PositionGrade Worst, string Reason) GradePair(AlleleName p, AlleleName d)
    {
        if (p.IsNull || d.IsNull)
        {
            return p.IsNull && d.IsNull ? (PositionGrade.Allele, PositionGrade.Allele, $"{p} and {d} are both null") : (PositionGrade.Mismatch, PositionGrade.Mismatch, $"{p} against {d}");
        }

        var ps = reference.Serology(p);
        var ds = reference.Serology(d);
        if (p.Family != d.Family)
        {
            return ps is not null && ps == ds
                ? (PositionGrade.Antigen, PositionGrade.Antigen, $"{p} and {d} share the antigen {ps}")
                : (PositionGrade.Mismatch, PositionGrade.Mismatch, $"{p} and {d} are different allele families");
        }

        if (p.IsLowResolution || d.IsLowResolution)
        {
            return (PositionGrade.Allele, PositionGrade.Antigen, $"{p} and {d} share the family");
        }

        if (p.Field(2) == d.Field(2))
        {
            return (PositionGrade.Allele, PositionGrade.Allele, $"{p} and {d} are the same allele");
        }

        (PositionGrade Best, PositionGrade Worst, string Reason)? range = null;
        foreach (var a in reference.Resolve(p))
        {
            foreach (var b in reference.Resolve(d))
            {
                var (grade, reason) = GradeResolved(a, b, p, d);
                range = range is null
                    ? (grade, grade, reason)
                    : (grade < range.Value.Best ? grade : range.Value.Best, grade > range.Value.Worst ? grade : range.Value.Worst, grade < range.Value.Best ? reason : range.Value.Reason);
            }
        }

        return range!.Value;
    }

    private (PositionGrade Grade, string Reason) GradeResolved(AlleleName a, AlleleName b, AlleleName p, AlleleName d)
    {
        if (reference.GGroup(a) is { } ag && ag == reference.GGroup(b))
        {
            return (PositionGrade.GGroup, $"{p} and {d} are in the G group {ag}");
        }

        if (reference.PGroup(a) is { } ap && ap == reference.PGroup(b))
        {
            return (PositionGrade.PGroup, $"{p} and {d} are in the P group {ap}");
        }

        var (sa, sb) = (reference.Serology(a), reference.Serology(b));
        return sa is { } x && sb is { } y && x != y
            ? (PositionGrade.Mismatch, $"{p} and {d} are different antigens ({x} and {y})")
            : (PositionGrade.Antigen, $"{p} and {d} share a family");
    }
}
