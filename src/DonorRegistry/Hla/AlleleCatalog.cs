using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace DonorRegistry.Hla;

/// <summary>
/// The alleles of one release interned as small integers, with their protein, G group, P group, expression and
/// serological antigens as integers too, so that grading compares numbers, never strings. Typed names are
/// resolved once to the alleles they may be, and the grade range of each pair of typed names is computed once
/// per release and cached.
/// </summary>
internal sealed class AlleleCatalog
{
    private readonly Dictionary<AlleleName, int> _byName = [];
    private readonly Dictionary<AlleleName, int[]> _byPrefix = [];
    private readonly List<Allele> _alleles = [];
    private readonly Dictionary<(HlaLocus, string), int> _antigenIds = [];
    private readonly Dictionary<int, int> _splitOf = [];
    private readonly Dictionary<int, int> _associatedOf = [];
    private readonly HashSet<int> _associated = [];
    private readonly ConcurrentDictionary<AlleleName, Typed> _typed = new();
    private readonly ConcurrentDictionary<int, Typed> _serologyTyped = new();
    private readonly ConcurrentDictionary<int, AlleleName[]> _carrying = new();
    private readonly List<string> _antigenNumbers = [];
    private readonly ConcurrentDictionary<long, (PositionGrade Best, PositionGrade Worst)> _pairs = new();
    private readonly Dictionary<string, int> _antigenSetIds = [];
    private readonly List<int[]> _antigenSets = [];
    private Row[] _rows = [];
    private sbyte[] _serologyGrades = [];
    private int _nextTyped;

    /// <summary>Cross products of up to this many kind pairs are graded on each call; larger ones (low-resolution names) are cached per pair of names.</summary>
    private const int UncachedProduct = 64;

    public AlleleCatalog(
        IEnumerable<AlleleName> alleles,
        Func<AlleleName, string?> gGroup,
        Func<AlleleName, string?> pGroup,
        Func<AlleleName, string?> serology,
        IEnumerable<(HlaLocus Locus, string Antigen, string? Broad, string? Parent)> relations)
    {
        var groups = new Dictionary<(HlaLocus, string, char), int>();
        int Group(HlaLocus locus, string? name, char kind) =>
            name is null ? -1 : groups.TryGetValue((locus, name, kind), out var id) ? id : groups[(locus, name, kind)] = groups.Count;

        foreach (var allele in alleles)
        {
            if (!_byName.TryAdd(allele, _alleles.Count))
            {
                continue;
            }

            var antigens = (serology(allele) ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(a => Antigen(allele.Locus, a)).ToArray();
            _alleles.Add(new Allele(
                allele,
                Group(allele.Locus, allele.FieldsText(2, withSuffix: false), 'F'),
                allele.IsNull ? -1 : Group(allele.Locus, gGroup(allele), 'G'),
                allele.IsNull ? -1 : Group(allele.Locus, pGroup(allele), 'P'),
                antigens));
        }

        foreach (var (locus, antigen, broad, parent) in relations)
        {
            var id = Antigen(locus, antigen);
            if (broad is not null)
            {
                _splitOf[id] = Antigen(locus, broad);
            }

            if (parent is not null)
            {
                _associatedOf[id] = Antigen(locus, parent);
                _associated.Add(id);
            }
        }

        // The grading inputs of every allele as one flat struct array, and every distinct antigen set as a small id:
        // grading two alleles reads two rows and, for serology, one byte of a matrix filled on first use.
        _rows = new Row[_alleles.Count];
        for (var i = 0; i < _alleles.Count; i++)
        {
            var allele = _alleles[i];
            _rows[i] = new Row(allele.Protein, allele.GGroup, allele.PGroup, allele.Name.Family, AntigenSet(allele.Antigens), allele.Name.IsNull);
        }

        _serologyGrades = new sbyte[_antigenSets.Count * _antigenSets.Count];
        Array.Fill(_serologyGrades, (sbyte)-1);

        // Every shorter name (one to three fields, no suffix) of the release's alleles, to the alleles it stands for in
        // the release's order: resolving a typed name is then one lookup keyed by AlleleName, with no string built.
        var prefixes = new Dictionary<AlleleName, List<int>>();
        for (var i = 0; i < _alleles.Count; i++)
        {
            var name = _alleles[i].Name;
            for (var fields = 1; fields < name.FieldCount; fields++)
            {
                var key = name.Truncate(fields);
                if (!prefixes.TryGetValue(key, out var list))
                {
                    prefixes[key] = list = [];
                }

                list.Add(i);
            }
        }

        foreach (var (key, list) in prefixes)
        {
            _byPrefix[key] = [.. list];
        }
    }

    /// <summary>How many alleles the release lists at the registry's loci.</summary>
    public int Count => _alleles.Count;

    /// <summary>A typed name resolved once: the release's alleles it may be, and whether it is a low-resolution code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    public Typed Resolve(AlleleName name) =>
        _typed.TryGetValue(name, out var typed) ? typed : _typed.GetOrAdd(name, static (n, self) => self.Create(n), this);

    /// <summary>
    /// Resolves a name as <see cref="HlaReference.Resolve"/> does (a shorter name to the release's alleles of the same
    /// expression, else the name itself), from the prefix index instead of strings.
    /// </summary>
    private Typed Create(AlleleName n)
    {
        var candidates = n.FieldCount < 4 && _byPrefix.TryGetValue(n.WithoutSuffix(), out var found) ? found : [];
        var matching = 0;
        foreach (var id in candidates)
        {
            matching += _rows[id].IsNull == n.IsNull ? 1 : 0;
        }

        int[] ids;
        if (matching == 0)
        {
            ids = _byName.TryGetValue(n, out var own) ? [own] : []; // no shorter name of the release: the name itself
        }
        else if (matching == candidates.Length)
        {
            ids = candidates; // shared, never written
        }
        else
        {
            ids = new int[matching];
            var at = 0;
            foreach (var id in candidates)
            {
                if (_rows[id].IsNull == n.IsNull)
                {
                    ids[at++] = id;
                }
            }
        }

        // Grades depend only on protein, groups, expression, family and antigens: one allele of each kind is enough
        // (A*02:01 stands for hundreds of alleles but a few kinds), which keeps the cross products small.
        var kinds = new List<int>(Math.Min(ids.Length, 8));
        HashSet<Row>? rows = ids.Length > 16 ? [] : null;
        var pGroup = -2; // none seen yet; -1: several (or an allele without one)
        foreach (var id in ids)
        {
            ref readonly var row = ref _rows[id];
            pGroup = pGroup == -2 || pGroup == row.PGroup ? row.PGroup : -1;
            if (rows is not null ? rows.Add(row) : !SeenKind(kinds, row))
            {
                kinds.Add(id);
            }
        }

        return new Typed(this, n, Interlocked.Increment(ref _nextTyped), ids, [.. kinds], pGroup >= 0 ? pGroup : -1);
    }

    /// <summary>Whether an allele of this kind is already among the few kinds kept (a short scan beats a set for one to sixteen).</summary>
    private bool SeenKind(List<int> kinds, in Row row)
    {
        foreach (var kind in kinds)
        {
            if (_rows[kind] == row)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The best and worst grade over every pair of alleles two typed names may be: graded on each call from the
    /// flat rows when the names have few kinds of allele (two-field names mostly have one to three), cached per
    /// pair of names when the cross product is large (a first-field name stands for hundreds of kinds).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    public (PositionGrade Best, PositionGrade Worst) Range(Typed patient, Typed donor)
    {
        if (Math.Max(1, patient.Kinds.Length) * Math.Max(1, donor.Kinds.Length) <= UncachedProduct)
        {
            return Compute(patient, donor);
        }

        var key = ((long)patient.Id << 32) | (uint)donor.Id;
        return _pairs.TryGetValue(key, out var cached) ? cached : _pairs[key] = Compute(patient, donor);
    }

    /// <summary>An allele pair of the two names that has the given grade, for the reason (null when they have no alleles in the release).</summary>
    public (Allele Patient, Allele Donor)? Witness(Typed patient, Typed donor, PositionGrade grade)
    {
        foreach (var a in patient.Kinds)
        {
            foreach (var b in donor.Kinds)
            {
                if (Grade(a, b) == grade)
                {
                    return (_alleles[a], _alleles[b]);
                }
            }
        }

        return null;
    }

    /// <summary>The alleles of the release a typed name may be.</summary>
    public Allele this[int id] => _alleles[id];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    private (PositionGrade Best, PositionGrade Worst) Compute(Typed patient, Typed donor)
    {
        if (patient.Antigen >= 0 || donor.Antigen >= 0)
        {
            return SerologyRange(patient, donor);
        }

        if (patient.Alleles.Length == 0 || donor.Alleles.Length == 0)
        {
            var grade = FieldGrade(patient.Name, donor.Name);
            return patient.Name.IsLowResolution || donor.Name.IsLowResolution
                ? patient.Name.Family == donor.Name.Family && !patient.Name.IsNull && !donor.Name.IsNull ? (PositionGrade.Allele, PositionGrade.Antigen) : (grade, grade)
                : (grade, grade);
        }

        var best = PositionGrade.Mismatch;
        var worst = PositionGrade.Allele;
        foreach (var a in patient.Kinds)
        {
            foreach (var b in donor.Kinds)
            {
                var g = Grade(a, b);
                best = g < best ? g : best;
                worst = g > worst ? g : worst;
            }
        }

        return (best, worst);
    }

    /// <summary>Two alleles of the release: the same protein, G group, P group (across first fields too), serology, or a mismatch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    private PositionGrade Grade(int x, int y)
    {
        ref readonly var a = ref _rows[x];
        ref readonly var b = ref _rows[y];
        if (a.IsNull || b.IsNull)
        {
            return a.IsNull && b.IsNull ? PositionGrade.Allele : PositionGrade.ExpressingVsNull;
        }

        if (a.Protein == b.Protein)
        {
            return PositionGrade.Allele;
        }

        if (a.GGroup >= 0 && a.GGroup == b.GGroup)
        {
            return PositionGrade.GGroup;
        }

        if (a.PGroup >= 0 && a.PGroup == b.PGroup)
        {
            return PositionGrade.PGroup;
        }

        return a.AntigenSet >= 0 && b.AntigenSet >= 0
            ? Serology(a.AntigenSet, b.AntigenSet)
            : a.Family == b.Family ? PositionGrade.Antigen : PositionGrade.Mismatch;
    }

    /// <summary>The serological grade of two antigen sets, from the matrix (computed once per pair of sets; a racing write stores the same byte).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the grading path: optimized at its first call, not after a slow first pass (ADR 14)
    private PositionGrade Serology(int x, int y)
    {
        var at = (x * _antigenSets.Count) + y;
        var known = Volatile.Read(ref _serologyGrades[at]);
        if (known >= 0)
        {
            return (PositionGrade)known;
        }

        var grade = Serology(_antigenSets[x], _antigenSets[y]);
        Volatile.Write(ref _serologyGrades[at], (sbyte)grade);
        return grade;
    }

    /// <summary>The id of a set of antigens (in the order the release gives them), or -1 for none.</summary>
    private int AntigenSet(int[] antigens)
    {
        if (antigens.Length == 0)
        {
            return -1;
        }

        var key = string.Join(',', antigens);
        if (!_antigenSetIds.TryGetValue(key, out var id))
        {
            _antigenSetIds[key] = id = _antigenSets.Count;
            _antigenSets.Add(antigens);
        }

        return id;
    }

    /// <summary>
    /// The best serological grade over two antigen sets: the same antigen; an associated antigen against its parent;
    /// a split against its broad (or an associated antigen against its parent's broad); else a mismatch, two splits of one broad included.
    /// </summary>
    private PositionGrade Serology(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var best = PositionGrade.Mismatch;
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                var g = x == y ? (_associated.Contains(x) ? PositionGrade.Associated : PositionGrade.Antigen)
                    : Parent(x) == y || Parent(y) == x ? PositionGrade.Associated
                    : Broad(x) == y || Broad(y) == x || (Broad(x) is { } bx && bx == Parent(y)) || (Broad(y) is { } by && by == Parent(x)) ? PositionGrade.Broad
                    : PositionGrade.Mismatch;
                best = g < best ? g : best;
            }
        }

        return best;
    }

    /// <summary>
    /// The release's expressed alleles that carry an antigen, one of its splits (for a broad) or an antigen associated
    /// with it, in the release's order: what a serology typing stands for. Null when the locus has no such antigen or
    /// no expressed allele carries it.
    /// </summary>
    public AlleleName[]? Carrying(HlaLocus locus, string number)
    {
        if (!_antigenIds.TryGetValue((locus, number), out var antigen))
        {
            return null;
        }

        var alleles = _carrying.GetOrAdd(antigen, static (id, self) => self.FindCarrying(id), this);
        return alleles.Length > 0 ? alleles : null;
    }

    private AlleleName[] FindCarrying(int antigen)
    {
        var found = new List<AlleleName>();
        foreach (var allele in _alleles)
        {
            foreach (var carried in allele.Antigens)
            {
                if (!allele.Name.IsNull && (carried == antigen || Broad(carried) == antigen || Parent(carried) == antigen))
                {
                    found.Add(allele.Name);
                    break;
                }
            }
        }

        return [.. found];
    }

    /// <summary>A serology typing resolved once: the antigen, and the alleles that carry it (kinds are not used: it grades by serology only).</summary>
    public Typed ResolveSerology(HlaLocus locus, string number)
    {
        var antigen = _antigenIds.TryGetValue((locus, number), out var id)
            ? id
            : throw new InvalidOperationException($"{locus} antigen {number} was checked against this release when read"); // a position read against another release
        return _serologyTyped.TryGetValue(antigen, out var typed)
            ? typed
            : _serologyTyped.GetOrAdd(antigen, static (a, self) => new Typed(
                self,
                default,
                Interlocked.Increment(ref self._nextTyped),
                [.. self.FindCarrying(a).Select(name => self._byName[name])],
                [],
                -1,
                a), this);
    }

    /// <summary>
    /// The range of a serology typing against another typing: serological grades only (Associated, Antigen, Broad, or
    /// Mismatch; ExpressingVsNull against a null allele), never Allele, GGroup or PGroup, as the reference engine grades
    /// a pair when either side is serology. Against alleles, each kind's antigens decide; an allele without serology
    /// falls back to its family standing for the antigen of that number, as ADR 7 has it for alleles.
    /// </summary>
    private (PositionGrade Best, PositionGrade Worst) SerologyRange(Typed patient, Typed donor)
    {
        if (patient.Antigen >= 0 && donor.Antigen >= 0)
        {
            var both = Serology([patient.Antigen], [donor.Antigen]);
            return (both, both);
        }

        var (serology, other) = patient.Antigen >= 0 ? (patient, donor) : (donor, patient);
        if (other.Alleles.Length == 0)
        {
            var grade = AgainstAntigen(serology.Antigen, other.Name.IsNull, -1, other.Name.Family);
            return (grade, grade);
        }

        var best = PositionGrade.Mismatch;
        var worst = PositionGrade.Allele;
        foreach (var kind in other.Kinds)
        {
            ref readonly var row = ref _rows[kind];
            var g = AgainstAntigen(serology.Antigen, row.IsNull, row.AntigenSet, row.Family);
            best = g < best ? g : best;
            worst = g > worst ? g : worst;
        }

        return (best, worst);
    }

    /// <summary>One antigen against an allele's expression, antigen set and family.</summary>
    private PositionGrade AgainstAntigen(int antigen, bool isNull, int antigenSet, int family) =>
        isNull ? PositionGrade.ExpressingVsNull
        : antigenSet >= 0 ? Serology([antigen], _antigenSets[antigenSet])
        : int.TryParse(_antigenNumbers[antigen], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number == family
            ? PositionGrade.Antigen
            : PositionGrade.Mismatch;

    /// <summary>An allele of a typed name whose serology against the antigen has the grade, for the reason (null when none).</summary>
    public AlleleName? SerologyWitness(int antigen, Typed other, PositionGrade grade)
    {
        foreach (var kind in other.Kinds)
        {
            ref readonly var row = ref _rows[kind];
            if (AgainstAntigen(antigen, row.IsNull, row.AntigenSet, row.Family) == grade)
            {
                return _alleles[kind].Name;
            }
        }

        return null;
    }

    /// <summary>The antigen an associated antigen belongs to.</summary>
    private int? Parent(int antigen) => _associatedOf.TryGetValue(antigen, out var parent) ? parent : null;

    /// <summary>The broad antigen of a split, or of the antigen an associated one belongs to.</summary>
    private int? Broad(int antigen) =>
        _splitOf.TryGetValue(antigen, out var broad) ? broad
        : Parent(antigen) is { } parent && _splitOf.TryGetValue(parent, out var parentBroad) ? parentBroad
        : null;

    /// <summary>Names the release does not list: compared by their fields (the family as the antigen).</summary>
    private static PositionGrade FieldGrade(AlleleName a, AlleleName b) =>
        a.IsNull || b.IsNull ? (a.IsNull && b.IsNull ? PositionGrade.Allele : PositionGrade.ExpressingVsNull)
        : a.Family != b.Family ? PositionGrade.Mismatch
        : !a.IsLowResolution && !b.IsLowResolution && a.Field(2) == b.Field(2) ? PositionGrade.Allele
        : PositionGrade.Antigen;

    private int Antigen(HlaLocus locus, string antigen)
    {
        if (!_antigenIds.TryGetValue((locus, antigen), out var id))
        {
            _antigenIds[(locus, antigen)] = id = _antigenIds.Count;
            _antigenNumbers.Add(antigen);
        }

        return id;
    }

    /// <summary>What grading reads of an allele: protein, G and P group, family, antigen set (-1: none) and expression. Equal rows grade alike.</summary>
    private readonly record struct Row(int Protein, int GGroup, int PGroup, int Family, int AntigenSet, bool IsNull);

    /// <summary>One allele of the release, its groups and antigens as integers (-1: none).</summary>
    internal sealed record Allele(AlleleName Name, int Protein, int GGroup, int PGroup, int[] Antigens);

    /// <summary>
    /// A typed name: its interned id, the release's alleles it may be, one allele of each kind among them (same
    /// protein, groups, expression, family and antigens grade alike), and their one P group (-1 when several or none).
    /// </summary>
    internal sealed class Typed
    {
        public Typed(AlleleCatalog catalog, AlleleName name, int id, int[] alleles, int[] kinds, int singlePGroup, int antigen = -1)
        {
            Antigen = antigen;
            Catalog = catalog;
            Name = name;
            Id = id;
            Alleles = alleles;
            Kinds = kinds;
            SinglePGroup = singlePGroup;
            One = [this];
        }

        /// <summary>The catalog (and so the release) the name was resolved against.</summary>
        public AlleleCatalog Catalog { get; }

        /// <summary>The typed name.</summary>
        public AlleleName Name { get; }

        /// <summary>The name's id in its catalog (pairs of large names are cached by the two ids).</summary>
        public int Id { get; }

        /// <summary>The release's alleles the name may be (shared, never written).</summary>
        public int[] Alleles { get; }

        /// <summary>One allele of each kind among <see cref="Alleles"/>.</summary>
        public int[] Kinds { get; }

        /// <summary>The antigen id of a serology typing, or -1 for a typed allele name.</summary>
        public int Antigen { get; }

        /// <summary>The one P group of the alleles, or -1.</summary>
        public int SinglePGroup { get; }

        /// <summary>
        /// This name alone, as the resolved names of a position typed with it: kept once per name, so that the many
        /// positions typed with a single name resolve without allocating (never written).
        /// </summary>
        public Typed[] One { get; }
    }
}
