using System.Runtime.CompilerServices;

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
    private readonly AlleleCatalog _catalog;

    /// <summary>Creates a grader.</summary>
    /// <param name="reference">G/P groups and serology; <see cref="HlaReference.None"/> grades on the fields alone.</param>
    /// <param name="threshold">The poorest grade that counts as matched. Default <see cref="MatchThreshold.PGroup"/>, as registries count.</param>
    /// <exception cref="HlaGradingException">The threshold is not defined.</exception>
    public MatchGrader(HlaReference reference, MatchThreshold threshold = MatchThreshold.PGroup)
    {
        ArgumentNullException.ThrowIfNull(reference);
        _reference = reference;
        _catalog = reference.Catalog;
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    public MatchGrade Grade(HlaTyping patient, HlaTyping donor)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(donor);
        var loci = new LocusGrade[All.Length];
        for (var i = 0; i < loci.Length; i++)
        {
            loci[i] = Slot(patient[All[i]], donor[All[i]]);
        }

        var dpb1 = patient[HlaLocus.DPB1].IsUntyped || donor[HlaLocus.DPB1].IsUntyped ? null : GradeDpb1Tce(patient[HlaLocus.DPB1], donor[HlaLocus.DPB1]);
        return new MatchGrade(loci, this, _reference.HasGroups, Threshold, dpb1);
    }

    private static readonly HlaLocus[] Ten = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1, HlaLocus.DQB1];
    private static readonly HlaLocus[] All = Enum.GetValues<HlaLocus>();

    /// <summary>
    /// The definite mismatches at A, B, C, DRB1 and DQB1 (the x/10 count's mismatches, <see cref="MatchGrade.TotalMismatches"/>)
    /// of many pairs at once, without reasons or per-position results: the bulk path for screening. Each locus is
    /// oriented as <see cref="GradeLocus"/> orients it, so every count equals the full grade's.
    /// </summary>
    /// <param name="pairs">The patient and donor typings.</param>
    /// <returns>The mismatches of each pair, in order.</returns>
    /// <exception cref="HlaGradingException">A pair holds a null typing.</exception>
    public int[] CountMismatches(IReadOnlyList<(HlaTyping Patient, HlaTyping Donor)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var counts = new int[pairs.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            var (patient, donor) = pairs[i];
            if (patient is null || donor is null)
            {
                throw new HlaGradingException($"pair {i} with a null {(patient is null ? "patient" : "donor")} typing", "give a patient and a donor typing in every pair");
            }

            var total = 0;
            foreach (var locus in Ten)
            {
                total += LocusMismatches(patient[locus], donor[locus]);
            }

            counts[i] = total;
        }

        return counts;
    }

    /// <summary>The definite mismatches of one locus at the threshold, as <see cref="GradeLocus"/> counts them, without building it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    private int LocusMismatches(LocusTyping patient, LocusTyping donor)
    {
        if (patient.IsUntyped || donor.IsUntyped)
        {
            return 0;
        }

        if (OneExpressed(patient) is not null || OneExpressed(donor) is not null)
        {
            return GradeLocus(patient, donor).Mismatches;
        }

        var (p1, p2) = Expressed(patient);
        var (d1, d2) = Expressed(donor);
        var (s1, s2, c1, c2) = (Pairs(p1, d1), Pairs(p2, d2), Pairs(p1, d2), Pairs(p2, d1));
        var straight = Score(s1.Best, s1.Worst, s2.Best, s2.Worst);
        var cross = Score(c1.Best, c1.Worst, c2.Best, c2.Worst);
        return cross.CompareTo(straight) < 0 ? cross.Mismatches : straight.Mismatches;
    }

    /// <summary>
    /// Grades a DPB1 pairing by T-cell-epitope groups (<c>dpb_tce.csv</c>), as the reference engine does: each side's
    /// strongest (lowest-numbered) group decides. The same strongest group is <see cref="Dpb1TceGrade.Permissive"/>;
    /// a stronger group on the patient's side is <see cref="Dpb1TceGrade.NonPermissiveGvH"/>, on the donor's
    /// <see cref="Dpb1TceGrade.NonPermissiveHvG"/>; an allele without a group makes it <see cref="Dpb1TceGrade.Unknown"/>.
    /// A null allele beside an expressed one counts as that one twice. The grade does not depend on the threshold and
    /// never counts in the totals; <see cref="LocusMatch"/> of DPB1 says whether the alleles match.
    /// </summary>
    /// <param name="patient">The patient's DPB1 typing.</param>
    /// <param name="donor">The donor's DPB1 typing.</param>
    /// <returns>The grade, <see cref="Dpb1TceGrade.Unavailable"/> when the release has no <c>dpb_tce.csv</c>.</returns>
    /// <exception cref="HlaGradingException">A typing is not of DPB1, or is untyped.</exception>
    public Dpb1TceMatch GradeDpb1Tce(LocusTyping patient, LocusTyping donor)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(donor);
        if (patient.Locus != HlaLocus.DPB1 || donor.Locus != HlaLocus.DPB1)
        {
            throw new HlaGradingException($"locus {patient.Locus} of the patient and {donor.Locus} of the donor", "TCE groups grade DPB1 typings only");
        }

        if (patient.IsUntyped || donor.IsUntyped)
        {
            throw new HlaGradingException($"DPB1 {(patient.IsUntyped ? "of the patient" : "of the donor")}, untyped", "TCE groups grade DPB1 typed on both sides");
        }

        return _reference.Dpb1Tce is { } table
            ? table.Grade(patient, donor)
            : Dpb1TceTable.Unavailable(_reference.Release);
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

        return Build(Slot(patient, donor));
    }

    /// <summary>Grades one locus of like typings into its compact form, choosing the better orientation; no strings, no objects but a rare null-beside-ambiguous locus.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    private LocusGrade Slot(LocusTyping patient, LocusTyping donor)
    {
        if (patient.IsUntyped || donor.IsUntyped)
        {
            var unknown = (PositionGrade.Allele, PositionGrade.Mismatch, MatchConfidence.Potential);
            return new LocusGrade(patient, donor, crossed: false, unknown, unknown);
        }

        var (p1, p2) = Expressed(patient);
        var (d1, d2) = Expressed(donor);
        var (patientOne, donorOne) = (OneExpressed(patient), OneExpressed(donor));
        if (patientOne is null && donorOne is null)
        {
            // Orient on the ranges; reasons are written for the chosen orientation only, when read.
            var (s1, s2, c1, c2) = (Pairs(p1, d1), Pairs(p2, d2), Pairs(p1, d2), Pairs(p2, d1));
            var cross = Score(c1.Best, c1.Worst, c2.Best, c2.Worst).CompareTo(Score(s1.Best, s1.Worst, s2.Best, s2.Worst)) < 0;
            return cross
                ? new LocusGrade(patient, donor, crossed: true, (c1.Best, c1.Worst, ConfidenceOf(c1.Best, c1.Worst, p1, d2)), (c2.Best, c2.Worst, ConfidenceOf(c2.Best, c2.Worst, p2, d1)))
                : new LocusGrade(patient, donor, crossed: false, (s1.Best, s1.Worst, ConfidenceOf(s1.Best, s1.Worst, p1, d1)), (s2.Best, s2.Worst, ConfidenceOf(s2.Best, s2.Worst, p2, d2)));
        }

        var built = GradeOneExpressed(patient.Locus, p1, p2, d1, d2, patientOne, donorOne);
        return new LocusGrade(
            patient,
            donor,
            built.Crossed,
            (built.First.Grade, built.First.Worst, built.First.Confidence),
            (built.Second.Grade, built.Second.Worst, built.Second.Confidence),
            built);
    }

    /// <summary>The locus match of a compact locus grade: its positions, whose reasons are written when first read.</summary>
    internal LocusMatch Build(in LocusGrade slot)
    {
        if (slot.Built is { } built)
        {
            return built;
        }

        var (patient, donor) = (slot.Patient, slot.Donor);
        if (!slot.IsTyped)
        {
            var who = patient.IsUntyped && donor.IsUntyped ? "either side" : patient.IsUntyped ? "the patient" : "the donor";
            var unknown = new PositionMatch(PositionGrade.Allele, PositionGrade.Mismatch, patient.First, donor.First, $"{patient.Locus} is not typed on {who}", MatchConfidence.Potential);
            var unknownSecond = unknown with { Patient = patient.Second, Donor = donor.Second };
            return new LocusMatch(patient.Locus, unknown, unknownSecond, Crossed: false, Threshold);
        }

        var (p1, p2) = Expressed(patient);
        var (d1, d2) = Expressed(donor);
        var (first, second) = slot.Crossed ? (d2, d1) : (d1, d2);
        return new LocusMatch(
            patient.Locus,
            new PositionMatch(slot.Best1, slot.Worst1, p1, first, slot.Confidence, this),
            new PositionMatch(slot.Best2, slot.Worst2, p2, second, slot.Confidence2, this),
            slot.Crossed,
            Threshold);
    }

    /// <summary>
    /// A null allele beside an ambiguous partner (<c>B*07:49N+B*35</c>): the locus carries one and the same expressed
    /// allele at both positions, so the two positions are graded for each allele it may be, together, and the best
    /// such allele is kept. The worst grade of each position is the worst over those alleles.
    /// </summary>
    private LocusMatch GradeOneExpressed(HlaLocus locus, TypedPosition p1, TypedPosition p2, TypedPosition d1, TypedPosition d2, TypedPosition? patientOne, TypedPosition? donorOne)
    {
        var patientChoices = patientOne is null ? [(p1, p2)] : Singles(patientOne).Select(x => (x, x)).ToList();
        var donorChoices = donorOne is null ? [(d1, d2)] : Singles(donorOne).Select(x => (x, x)).ToList();
        // The side with one expressed allele carries it at both positions, so the orientation changes nothing: grade straight.
        (TypedPosition, TypedPosition, TypedPosition, TypedPosition, bool)? best = null;
        (int, int, int, int) bestScore = default;
        PositionGrade worst1 = PositionGrade.Allele, worst2 = PositionGrade.Allele;
        foreach (var (a1, a2) in patientChoices)
        {
            foreach (var (b1, b2) in donorChoices)
            {
                var (r1, r2) = (Range(a1, b1), Range(a2, b2));
                var score = Score(r1.Best, r1.Worst, r2.Best, r2.Worst);
                if (best is null || score.CompareTo(bestScore) < 0)
                {
                    (best, bestScore) = ((a1, a2, b1, b2, false), score);
                }

                worst1 = r1.Worst > worst1 ? r1.Worst : worst1;
                worst2 = r2.Worst > worst2 ? r2.Worst : worst2;
            }
        }

        var (q1, q2, e1, e2, cross) = best!.Value;
        var note = $"; {(patientOne is not null ? $"the patient's null allele leaves one expressed allele ({patientOne}), graded as {q1.Alleles[0]}" : string.Empty)}"
            + $"{(patientOne is not null && donorOne is not null ? "; " : string.Empty)}{(donorOne is not null ? $"the donor's null allele leaves one expressed allele ({donorOne}), graded as {e1.Alleles[0]}" : string.Empty)}";
        PositionMatch Position(TypedPosition patientTyped, TypedPosition donorTyped, TypedPosition patientAs, TypedPosition donorAs, PositionGrade worst)
        {
            var graded = GradePosition(patientAs, donorAs, Pairs(patientAs, donorAs));
            var reason = graded.Reason + note + (worst != graded.Grade && graded.Worst == graded.Grade ? $"; could be as poor as {worst} once the typings are resolved" : string.Empty);
            return new PositionMatch(graded.Grade, worst, patientTyped, donorTyped, reason, ConfidenceOf(graded.Grade, worst, patientTyped, donorTyped));
        }

        var (t1, t2) = cross ? (d2, d1) : (d1, d2);
        return new LocusMatch(locus, Position(p1, t1, q1, e1, worst1), Position(p2, t2, q2, e2, worst2), cross, Threshold);
    }

    /// <summary>The expressed position of a locus typed as a null allele beside an ambiguous expressed one, else null.</summary>
    private TypedPosition? OneExpressed(LocusTyping typing)
    {
        var (first, second) = (typing.First!, typing.Second!);
        var expressed = first.IsNull && !second.IsNull ? second : second.IsNull && !first.IsNull ? first : null;
        // A serology antigen is one expressed antigen already: the locus carries it twice, graded as it is.
        return expressed is not null && !expressed.IsSerology && (expressed.Alleles.Count > 1 || expressed.Alleles[0].IsLowResolution || Resolved(expressed)[0].Alleles.Length > 1) ? expressed : null;
    }

    /// <summary>The single alleles a position may be: the release's alleles its names resolve to, or the names themselves.</summary>
    private List<TypedPosition> Singles(TypedPosition position) =>
        position.Alleles.SelectMany(name => _catalog.Resolve(name) is { Alleles.Length: > 0 } typed ? typed.Alleles.Select(id => _catalog[id].Name) : [name])
            .Distinct().Select(a => new TypedPosition([a])).ToList();

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

    /// <summary>Whether a locus typing is a null allele beside an ambiguous partner, which the index grades through <see cref="GradeLocus"/>.</summary>
    internal bool HasOneExpressed(LocusTyping typing) => !typing.IsUntyped && OneExpressed(typing) is not null;

    /// <summary>The best and worst grade of a donor position against a patient position and its confidence, without reasons (for the search index).</summary>
    internal (PositionGrade Best, PositionGrade Worst, MatchConfidence Confidence) Range(TypedPosition patient, TypedPosition donor)
    {
        var (best, worst) = Pairs(patient, donor);
        return (best, worst, ConfidenceOf(best, worst, patient, donor));
    }

    /// <summary>The effective positions of a typed locus: a null allele opposite an expressed one counts as the expressed one.</summary>
    internal static (TypedPosition First, TypedPosition Second) EffectivePositions(LocusTyping typing) => Expressed(typing);

    /// <summary>The one P group all alternatives of a position share, or null.</summary>
    private int? SinglePGroup(TypedPosition position)
    {
        var names = Resolved(position);
        var group = names[0].SinglePGroup;
        for (var i = 1; i < names.Length; i++)
        {
            if (names[i].SinglePGroup != group)
            {
                return null;
            }
        }

        return group >= 0 ? group : null;
    }

    /// <summary>A position's grade from its range; the reason is written when first read (<see cref="ReasonFor"/>).</summary>
    private PositionMatch GradePosition(TypedPosition patient, TypedPosition donor, (PositionGrade Best, PositionGrade Worst) range) =>
        new(range.Best, range.Worst, patient, donor, ConfidenceOf(range.Best, range.Worst, patient, donor), this);

    /// <summary>Why a position has its grade, naming the typed names and the group or antigens that decide it, and how poor it could be.</summary>
    internal string ReasonFor(TypedPosition patient, TypedPosition donor, PositionGrade best, PositionGrade worst)
    {
        var reason = WriteReason(patient, donor, best);
        return worst != best ? reason + $"; could be as poor as {worst} once the typings are resolved" : reason;
    }

    /// <summary>
    /// The range over every pair of alternatives of two positions, from the per-release cache of name pairs. A
    /// multiple-allele code or a low-resolution name (<c>A*02</c>, <c>A*02:XX</c>) grades at most GGroup, as in the
    /// reference engine, even when it contains the other allele.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    private (PositionGrade Best, PositionGrade Worst) Pairs(TypedPosition patient, TypedPosition donor)
    {
        var best = PositionGrade.Mismatch;
        var worst = PositionGrade.Allele;
        var donorNames = Resolved(donor);
        foreach (var typed in Resolved(patient))
        {
            foreach (var d in donorNames)
            {
                var (b, w) = _catalog.Range(typed, d);
                best = b < best ? b : best;
                worst = w > worst ? w : worst;
            }
        }

        if (best == PositionGrade.Allele && (IsCode(patient) || IsCode(donor)) && !(patient.IsNull && donor.IsNull))
        {
            best = PositionGrade.GGroup;
            worst = worst < PositionGrade.GGroup ? PositionGrade.GGroup : worst;
        }

        return (best, worst);
    }

    /// <summary>A position's names resolved against this release, kept on the position for the next grade.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    private AlleleCatalog.Typed[] Resolved(TypedPosition position)
    {
        if (position.Resolved is { } kept && ReferenceEquals(kept[0].Catalog, _catalog))
        {
            return kept;
        }

        var alleles = position.Alleles;
        AlleleCatalog.Typed[] names;
        if (position.IsSerology)
        {
            names = _catalog.ResolveSerology(position.Locus, position.AntigenNumber!).One;
        }
        else if (alleles.Count == 1)
        {
            names = _catalog.Resolve(alleles[0]).One;
        }
        else
        {
            names = new AlleleCatalog.Typed[alleles.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = _catalog.Resolve(alleles[i]);
            }
        }

        position.Resolved = names; // one reference write: safe to race
        return names;
    }

    private static bool IsCode(TypedPosition position) => position.IsCodeOrLowResolution;

    private string WriteReason(TypedPosition patient, TypedPosition donor, PositionGrade grade)
    {
        if (patient.IsSerology || donor.IsSerology)
        {
            return SerologyReason(patient, donor, grade);
        }

        foreach (var p in patient.Alleles)
        {
            foreach (var d in donor.Alleles)
            {
                var (typedP, typedD) = (_catalog.Resolve(p), _catalog.Resolve(d));
                var (b, _) = _catalog.Range(typedP, typedD);
                var capped = grade == PositionGrade.GGroup && b == PositionGrade.Allele && (IsCode(patient) || IsCode(donor));
                if (b != grade && !capped)
                {
                    continue;
                }

                var witness = _catalog.Witness(typedP, typedD, b);
                var (x, y) = witness is { } w ? (w.Patient.Name, w.Donor.Name) : (p, d);
                return capped ? $"{p} and {d} may be the same allele, but a multiple-allele code or low-resolution name grades at most GGroup"
                    : grade switch
                {
                    PositionGrade.Allele when p.IsNull && d.IsNull => $"{p} and {d} are both null alleles (neither expressed)",
                    PositionGrade.Allele => p.IsLowResolution || d.IsLowResolution
                        ? $"{p} and {d} share the family {p.Locus}*{p.Family:D2}; the low-resolution typing may be this allele or another of the family"
                        : $"{p} and {d} are the same allele (same protein)",
                    PositionGrade.GGroup => $"{p} and {d} are different alleles in the same G group {_reference.GGroup(x)}",
                    PositionGrade.PGroup => $"{p} and {d} are different alleles in the same P group {_reference.PGroup(x)}",
                    PositionGrade.Associated => $"{p} and {d} are serologically associated antigens ({_reference.Serology(x)} and {_reference.Serology(y)})",
                    PositionGrade.Antigen => witness is not null && _reference.Serology(x) is { } antigen && _reference.Serology(y) is not null
                        ? $"{p} and {d} are different proteins with the same serological antigen ({_reference.Serology(x)} and {_reference.Serology(y)})"
                        : $"{p} and {d} are different alleles of the same family (antigen match only)",
                    PositionGrade.Broad => $"{p} and {d} are a split and its broad antigen ({_reference.Serology(x)} and {_reference.Serology(y)})",
                    PositionGrade.ExpressingVsNull => $"{(p.IsNull ? p : d)} is a null allele (not expressed) against the expressed {(p.IsNull ? d : p)}",
                    _ => witness is not null && _reference.Serology(x) is { } sx && _reference.Serology(y) is { } sy
                        ? $"{p} and {d} are different serological antigens ({sx} and {sy}){(p.Family == d.Family ? ", though of one family" : string.Empty)}"
                        : $"{p} and {d} are different allele families",
                };
            }
        }

        return $"{patient} and {donor}: {grade}";
    }

    /// <summary>Why a position typed by serology on one side or both has its grade, naming the antigens that decide it.</summary>
    private string SerologyReason(TypedPosition patient, TypedPosition donor, PositionGrade grade)
    {
        var (serology, other) = patient.IsSerology ? (patient, donor) : (donor, patient);
        var antigen = Resolved(serology)[0];
        string otherSide;
        if (other.IsSerology)
        {
            otherSide = other.ToString();
        }
        else
        {
            AlleleName? witness = null;
            foreach (var name in Resolved(other))
            {
                witness ??= _catalog.SerologyWitness(antigen.Antigen, name, grade);
            }

            otherSide = witness is { } w
                ? $"{other}{(other.IsSingleAllele && w == other.Alleles[0] ? string.Empty : $" (as {w})")}, {(w.IsNull ? "a null allele" : _reference.Serology(w) is { } s ? $"antigen {s}" : "no serological antigen in rel_dna_ser.txt, its family standing for the antigen")}"
                : other.ToString();
        }

        var what = grade switch
        {
            PositionGrade.Associated => "serologically associated antigens",
            PositionGrade.Antigen => "the same antigen",
            PositionGrade.Broad => "a split and its broad antigen",
            PositionGrade.ExpressingVsNull => "an expressed antigen against a null allele",
            _ => "different antigens",
        };
        var (first, second) = patient.IsSerology ? ($"{serology} (serology)", otherSide) : (otherSide, $"{serology} (serology)");
        return $"{first} and {second}: {what}; a serology typing grades at most at the serology levels, never Allele, GGroup or PGroup";
    }

    /// <summary>The four levels of <see cref="MatchConfidence"/>, at this grader's threshold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
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

        return SinglePGroup(patient) is not null && SinglePGroup(donor) is not null
            ? MatchConfidence.Exact
            : MatchConfidence.Potential;
    }
}
