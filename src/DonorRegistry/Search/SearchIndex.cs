using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Storage;

namespace DonorRegistry.Search;

/// <summary>
/// The in-memory search index: one compact row per listed donor (available or reserved), columns of
/// primitive arrays, and each locus typing interned as a genotype id. A search grades each distinct
/// position against the patient once, derives per-genotype results, and scans the rows with table
/// lookups only; full grades with reasons are made for the top results alone.
/// </summary>
/// <remarks>Thread-safe: searches share a read lock; updates (one per committed change) take the write lock.</remarks>
internal sealed class SearchIndex
{
    private const int Loci = 6;
    private const byte Free = 0;
    private const byte Available = 1;
    private const byte Reserved = 2;

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly MacTable? _macs;
    private readonly LocusCatalog[] _catalogs;
    private readonly Dictionary<long, int> _slots = [];
    private readonly Stack<int> _free = new();

    private long[] _ids = new long[1024];
    private int[] _versions = new int[1024];
    private byte[] _state = new byte[1024];
    private int[] _birth = new int[1024]; // yyyymmdd: (today - birth) / 10000 is the age in whole years
    private byte[] _traits = new byte[1024]; // bit 0 male, bits 1-2 CMV, bits 3-5 ABO
    private int[] _genotypes = new int[1024 * Loci];
    private int _rows;

    /// <summary>An empty index whose typings are read, and their names checked, against a reference.</summary>
    public SearchIndex(HlaReference reference)
    {
        _macs = reference.Macs;
        _catalogs = Enumerable.Range(0, Loci).Select(_ => new LocusCatalog(reference)).ToArray();
    }

    /// <summary>How many donors the index holds.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _slots.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Adds a listed donor as the store's search projection gives it.</summary>
    public void Add(in SearchRow row)
    {
        _lock.EnterWriteLock();
        try
        {
            var slot = SlotFor(row.Id);
            _versions[slot] = row.Version;
            _state[slot] = row.State == DonorState.Reserved ? Reserved : Available;
            _birth[slot] = Packed(row.BirthDate);
            _traits[slot] = Traits(row.Sex, row.Cmv, row.Abo);
            for (var l = 0; l < Loci; l++)
            {
                _genotypes[(slot * Loci) + l] = row.Loci.TryGetValue(((HlaLocus)(l + 1)).ToString(), out var genotype) ? _catalogs[l].Intern((HlaLocus)(l + 1), genotype, _macs) : 0;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Gives back the columns' and the id map's spare room after a build: the columns double as rows are added, so a
    /// registry just past a power of two would keep up to twice the rows it holds (at 10 million donors, 16.8 million).
    /// Keeps 1/32 of the rows (at least 1,024) free for the donors listed next.
    /// </summary>
    public void Trim()
    {
        _lock.EnterWriteLock();
        try
        {
            var size = _rows + Math.Max(1_024, _rows / 32);
            if (size < _ids.Length)
            {
                Array.Resize(ref _ids, size);
                Array.Resize(ref _versions, size);
                Array.Resize(ref _state, size);
                Array.Resize(ref _birth, size);
                Array.Resize(ref _traits, size);
                Array.Resize(ref _genotypes, size * Loci);
            }

            _slots.TrimExcess();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Brings the index in line with a committed change: listed donors are added or updated, all others removed.</summary>
    public void Apply(Donor donor)
    {
        _lock.EnterWriteLock();
        try
        {
            var listed = donor.State is DonorState.Available or DonorState.Reserved && donor.Typing is not null;
            if (!listed)
            {
                if (_slots.Remove(donor.Id.Value, out var gone))
                {
                    _state[gone] = Free;
                    _free.Push(gone);
                }

                return;
            }

            var slot = SlotFor(donor.Id.Value);
            if (_versions[slot] > donor.Version)
            {
                return; // a stale notification; the row already holds a later version
            }

            _versions[slot] = donor.Version;
            _state[slot] = donor.State == DonorState.Reserved ? Reserved : Available;
            _birth[slot] = Packed(donor.Profile.BirthDate);
            _traits[slot] = Traits(donor.Profile.Sex, donor.Profile.Cmv, donor.Profile.Abo);
            for (var l = 0; l < Loci; l++)
            {
                _genotypes[(slot * Loci) + l] = donor.Typing!.Loci.TryGetValue(((HlaLocus)(l + 1)).ToString(), out var genotype)
                    ? _catalogs[l].Intern((HlaLocus)(l + 1), genotype, _macs)
                    : 0;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Every donor the index holds, with the version and whether reserved (for <see cref="Registry.Verify"/>).</summary>
    public Dictionary<long, (int Version, bool Reserved)> Snapshot()
    {
        _lock.EnterReadLock();
        try
        {
            return _slots.ToDictionary(kv => kv.Key, kv => (_versions[kv.Value], _state[kv.Value] == Reserved));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Bytes held per donor by the rows and the id map (not the shared genotype catalogs).</summary>
    public long BytesPerDonorEstimate()
    {
        const int RowBytes = sizeof(long) + sizeof(int) + sizeof(byte) + sizeof(int) + sizeof(byte) + (Loci * sizeof(int));
        const int MapEntryBytes = 24 + 4; // Dictionary<long, int>: entry (hash, next, key, value) + bucket
        return RowBytes + MapEntryBytes;
    }

    /// <summary>Ranks the donors for a request; returns the top rows with their full grades.</summary>
    public SearchResult Search(SearchRequest request, MatchGrader grader, DateOnly today)
    {
        _lock.EnterReadLock();
        try
        {
            var loci = request.SearchedLoci;
            var searched = loci.Select(l => (int)l - 1).ToArray();
            // The per-locus tables and the full grades of the returned donors are the fixed part of a search (about a
            // quarter of its CPU at a million donors): each locus, and each returned donor, is graded on its own, so both
            // are spread over the cores like the scan.
            var tables = new int[searched.Length][];
            Parallel.For(0, searched.Length, i => tables[i] = LocusTable(searched[i], request.Patient[(HlaLocus)(searched[i] + 1)], grader));
            var limits = searched.Select(l => request.MaxMismatchesPerLocus.TryGetValue((HlaLocus)(l + 1), out var max) ? max : 2).ToArray();
            var required = request.RequiredDonorLoci.Select(l => (int)l - 1).Distinct().ToArray();
            var dpb1 = request.PreferPermissiveDpb1 ? Dpb1Table(request.Patient[HlaLocus.DPB1], grader) : null;
            var (costs, offsets) = CostTables(searched, tables, limits, required);
            byte[] stateOpen = [0, 1, request.IncludeReserved ? (byte)1 : (byte)0]; // by state: Free, Available, Reserved
            var query = new Query(request, Packed(today), searched, tables, dpb1, costs, offsets, stateOpen, required.Contains(Dpb1Index));

            var partitions = Math.Max(1, Math.Min(Environment.ProcessorCount, _rows / 50_000));
            var heaps = new TopK[partitions];
            var candidates = new int[partitions];
            var graded = new int[partitions];
            Parallel.For(0, partitions, p =>
            {
                var from = (int)((long)_rows * p / partitions);
                var to = (int)((long)_rows * (p + 1) / partitions);
                heaps[p] = new TopK(request.Limit);
                (candidates[p], graded[p]) = Scan(query, from, to, heaps[p]);
            });

            var top = heaps.SelectMany(h => h.Items).OrderBy(i => i.Key).Take(request.Limit).ToList();
            var matches = new MatchResult[top.Count];
            Parallel.For(0, top.Count, rank => matches[rank] = Result(top[rank].Slot, rank + 1, request, grader, today));
            return new SearchResult(matches, candidates.Sum(), graded.Sum(), MatchGrade.BasisFor(grader.UsesGroups), loci, request.LeftOutLoci, request.Threshold);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Scans rows [from, to); returns how many met every limit and how many passed the state, age and sex filters.</summary>
    /// <remarks>
    /// Branch-free per row (issue 10, ADR 15): the filters become a 0/1 flag, and each of the six loci adds its
    /// <see cref="Query.Costs"/> entry (mismatches, or <see cref="Rejected"/> when over the locus limit or untyped where
    /// required; 0 for a locus neither searched nor required). One well-predicted branch then keeps the rare row whose
    /// sum is within the total; only such a row is ranked (<see cref="Offer"/>). A branch per locus per row, taken
    /// unpredictably, was the scan's measured cost.
    /// </remarks>
    private (int Found, int Graded) Scan(Query q, int from, int to, TopK heap)
    {
        var found = 0;
        var graded = 0;
        var (ageLow, ageSpan) = AgeWindow(q.Request.MinimumAge, q.Request.MaximumAge);
        var sexMask = q.Request.DonorSex is null ? 0 : 1;
        var sexWanted = q.Request.DonorSex == Sex.Male ? 1 : 0;
        var maxTotal = q.Request.MaxMismatches;
        var today = q.Today;
        var costs = q.Costs;

        // The per-row reads go through refs: the six cost tables are one array whose slices are as long as the
        // catalogs (checked below), genotype ids never exceed their catalog, and rows [from, to) are within the columns.
        ref var state = ref MemoryMarshal.GetArrayDataReference(_state);
        ref var birth = ref MemoryMarshal.GetArrayDataReference(_birth);
        ref var traits = ref MemoryMarshal.GetArrayDataReference(_traits);
        ref var genotypes = ref MemoryMarshal.GetArrayDataReference(_genotypes);
        ref var cost = ref MemoryMarshal.GetArrayDataReference(costs);
        ref var stateOpen = ref MemoryMarshal.GetArrayDataReference(q.StateOpen);
        var (o1, o2, o3, o4, o5) = (q.CostOffsets[1], q.CostOffsets[2], q.CostOffsets[3], q.CostOffsets[4], q.CostOffsets[5]);
        if (to > _rows || (long)to * Loci > _genotypes.Length || costs.Length != q.CostOffsets[Loci])
        {
            throw new InvalidOperationException("the search tables do not cover the rows; this is a bug in the index");
        }

        // DPB1 is never searched; its cost is read only when the request requires donors typed there.
        var dpb1 = q.Dpb1Required;
        for (var slot = from; slot < to; slot++)
        {
            var open = Unsafe.Add(ref stateOpen, Unsafe.Add(ref state, slot))
                & ((ulong)((long)(today - Unsafe.Add(ref birth, slot)) - ageLow) <= ageSpan ? 1 : 0)
                & ((Unsafe.Add(ref traits, slot) & sexMask) == sexWanted ? 1 : 0);
            graded += open;

            ref var row = ref Unsafe.Add(ref genotypes, slot * Loci);
            var sum = (open ^ 1) * Rejected
                + Unsafe.Add(ref cost, row)
                + Unsafe.Add(ref cost, o1 + Unsafe.Add(ref row, 1))
                + Unsafe.Add(ref cost, o2 + Unsafe.Add(ref row, 2))
                + Unsafe.Add(ref cost, o3 + Unsafe.Add(ref row, 3))
                + Unsafe.Add(ref cost, o4 + Unsafe.Add(ref row, 4));
            if (dpb1)
            {
                sum += Unsafe.Add(ref cost, o5 + Unsafe.Add(ref row, 5));
            }

            if (sum <= maxTotal)
            {
                found++;
                Offer(q, slot, sum, (today - _birth[slot]) / 10_000, heap);
            }
        }

        return (found, graded);
    }

    /// <summary>
    /// The values of <c>today - birth</c> (both yyyymmdd) whose age in whole years, <c>(today - birth) / 10000</c>
    /// truncated as C# divides, is within [minimum, maximum]: the lowest, and the width of the window, so that a row is
    /// in it when <c>(ulong)(difference - low) &lt;= width</c>. The age is monotonic in the difference, so the window is
    /// one interval; this spares the scan a division per row.
    /// </summary>
    internal static (long Low, ulong Span) AgeWindow(int? minimum, int? maximum)
    {
        long min = minimum ?? 0, max = maximum ?? int.MaxValue;
        var low = min > 0 ? min * 10_000 : ((min - 1) * 10_000) + 1;
        var high = max >= 0 ? ((max + 1) * 10_000) - 1 : max * 10_000;
        // An empty window (minimum above maximum, which a validated request never has) starts where no int difference can reach.
        return high < low ? (long.MinValue, 0UL) : (low, (ulong)(high - low));
    }

    /// <summary>Ranks a row that met every limit and filter: the packed key of <see cref="Scan"/>'s order, offered to the heap.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // the rare path, kept out of the scan loop
    private void Offer(Query q, int slot, int total, int age, TopK heap)
    {
        int score = 0, definite = 1;
        var row = slot * Loci;
        for (var k = 0; k < q.Searched.Length; k++)
        {
            var v = q.Tables[k][_genotypes[row + q.Searched[k]]];
            score += (v >> 2) & 31;
            definite &= (v >> 7) & 1;
        }

        var traits = _traits[slot];
        var male = (traits & 1) == 1;
        var cmv = q.Request.PatientCmv;
        var abo = q.Request.PatientAbo;
        var cmvPreferred = cmv != CmvStatus.Unknown && (CmvStatus)((traits >> 1) & 3) == cmv;
        var aboPreferred = abo != AboGroup.Unknown && (AboGroup)((traits >> 3) & 7) == abo;
        // high: total mismatches, DPB1 rank (2 bits, 0 unless preferred); low: grade sum (7) | not definite (1) | age (7) | female (1) | CMV unlike (1) | ABO unlike (1) | id (42).
        var dpbRank = q.Dpb1 is { } dpbTable ? dpbTable[_genotypes[row + Dpb1Index]] : 0;
        var low = ((ulong)score << 53) | ((ulong)(1 - definite) << 52) | ((ulong)Math.Clamp(age, 0, 127) << 45)
            | ((male ? 0UL : 1UL) << 44) | ((cmvPreferred ? 0UL : 1UL) << 43) | ((aboPreferred ? 0UL : 1UL) << 42) | (ulong)_ids[slot];
        heap.Offer(new UInt128((ulong)((total << 2) | dpbRank), low), slot);
    }

    /// <summary>
    /// The scan's cost tables, the six loci one after the other (offsets in the second value, the last being the total
    /// length): per genotype id, the definite mismatches at the threshold for a searched locus, or <see cref="Rejected"/>
    /// when over that locus's limit; plus <see cref="Rejected"/> for the untyped genotype (id 0) of a required locus.
    /// </summary>
    private (byte[] Costs, int[] Offsets) CostTables(int[] searched, int[][] tables, int[] limits, int[] required)
    {
        var offsets = new int[Loci + 1];
        for (var l = 0; l < Loci; l++)
        {
            offsets[l + 1] = offsets[l] + _catalogs[l].Genotypes.Count;
        }

        var costs = new byte[offsets[Loci]];
        for (var k = 0; k < searched.Length; k++)
        {
            var span = costs.AsSpan(offsets[searched[k]], tables[k].Length);
            for (var g = 0; g < span.Length; g++)
            {
                var mismatches = tables[k][g] & 3;
                span[g] = (byte)(mismatches > limits[k] ? Rejected : mismatches);
            }
        }

        foreach (var l in required)
        {
            costs[offsets[l]] = Rejected; // untyped where the request requires typing; a searched locus's id 0 costs 0 otherwise
        }

        return (costs, offsets);
    }

    /// <summary>
    /// Per genotype id of one locus: definite mismatches at the threshold (bits 0-1), grade sum (bits 2-6) and
    /// definite flag (bit 7, no position Potential) of the orientation GradeLocus would choose.
    /// </summary>
    private int[] LocusTable(int locusIndex, LocusTyping patient, MatchGrader grader)
    {
        var catalog = _catalogs[locusIndex];
        var (p1, p2) = MatchGrader.EffectivePositions(patient);
        var positions = catalog.Positions;
        var r1 = new (PositionGrade Best, PositionGrade Worst, MatchConfidence Confidence)[positions.Count];
        var r2 = new (PositionGrade Best, PositionGrade Worst, MatchConfidence Confidence)[positions.Count];
        for (var x = 1; x < positions.Count; x++)
        {
            r1[x] = grader.Range(p1, positions[x]);
            r2[x] = grader.Range(p2, positions[x]);
        }

        var table = new int[catalog.Genotypes.Count];
        table[0] = 0; // untyped: no definite mismatch, grade sum 0 (Allele at best), not definite
        var patientOneExpressed = grader.HasOneExpressed(patient);
        for (var g = 1; g < table.Length; g++)
        {
            if (patientOneExpressed || grader.HasOneExpressed(catalog.Typings[g]!))
            {
                // A null beside an ambiguous partner grades its two positions together: the plain way, as the scan does.
                var locus = grader.GradeLocus(patient, catalog.Typings[g]!);
                table[g] = locus.Mismatches | (((int)locus.First.Grade + (int)locus.Second.Grade) << 2) | ((locus.IsDefinite ? 1 : 0) << 7);
                continue;
            }

            var (x, y) = catalog.Genotypes[g];
            var (a, b) = (r1[x], r2[y]);
            var (c, d) = (r1[y], r2[x]);
            if (grader.Score(c.Best, c.Worst, d.Best, d.Worst).CompareTo(grader.Score(a.Best, a.Worst, b.Best, b.Worst)) < 0)
            {
                (a, b) = (c, d);
            }

            var mismatches = Counting.Mismatched(a.Best, grader.Threshold) + Counting.Mismatched(b.Best, grader.Threshold);
            var definite = a.Confidence != MatchConfidence.Potential && b.Confidence != MatchConfidence.Potential;
            table[g] = mismatches | (((int)a.Best + (int)b.Best) << 2) | ((definite ? 1 : 0) << 7);
        }

        return table;
    }

    private MatchResult Result(int slot, int rank, SearchRequest request, MatchGrader grader, DateOnly today)
    {
        var loci = new LocusTyping[Loci];
        for (var l = 0; l < Loci; l++)
        {
            loci[l] = _catalogs[l].Typings[_genotypes[(slot * Loci) + l]] ?? LocusTyping.Untyped((HlaLocus)(l + 1));
        }

        var grade = grader.Grade(request.Patient, HlaTyping.FromParsed(loci));
        var traits = _traits[slot];
        return MatchResult.For(
            rank,
            new DonorId(_ids[slot]),
            grade,
            request.SearchedLoci,
            (Packed(today) - _birth[slot]) / 10_000,
            (traits & 1) == 1 ? Sex.Male : Sex.Female,
            (CmvStatus)((traits >> 1) & 3),
            (AboGroup)((traits >> 3) & 7),
            _state[slot] == Reserved ? WmdaStatus.OP : WmdaStatus.AV);
    }

    private int SlotFor(long id)
    {
        if (_slots.TryGetValue(id, out var slot))
        {
            return slot;
        }

        slot = _free.Count > 0 ? _free.Pop() : _rows++;
        if (slot >= _ids.Length)
        {
            var size = _ids.Length * 2;
            Array.Resize(ref _ids, size);
            Array.Resize(ref _versions, size);
            Array.Resize(ref _state, size);
            Array.Resize(ref _birth, size);
            Array.Resize(ref _traits, size);
            Array.Resize(ref _genotypes, size * Loci);
        }

        _slots[id] = slot;
        _ids[slot] = id;
        _versions[slot] = 0;
        return slot;
    }

    private static int Packed(DateOnly day) => (day.Year * 10_000) + (day.Month * 100) + day.Day;

    private static byte Traits(Sex sex, CmvStatus cmv, AboGroup abo) =>
        (byte)((sex == Sex.Male ? 1 : 0) | ((int)cmv << 1) | ((int)abo << 3));

    private sealed record Query(SearchRequest Request, int Today, int[] Searched, int[][] Tables, int[]? Dpb1, byte[] Costs, int[] CostOffsets, byte[] StateOpen, bool Dpb1Required);

    /// <summary>A cost that puts a row over any total: more than the 12 mismatches six loci can have, and still a byte.</summary>
    private const byte Rejected = 64;

    private const int Dpb1Index = (int)HlaLocus.DPB1 - 1;

    /// <summary>Per DPB1 genotype id: its rank against the patient (<see cref="MatchResult.Dpb1Rank"/>), each genotype graded once.</summary>
    private int[] Dpb1Table(LocusTyping patient, MatchGrader grader)
    {
        var catalog = _catalogs[Dpb1Index];
        var table = new int[catalog.Typings.Count];
        for (var g = 0; g < table.Length; g++)
        {
            var donor = catalog.Typings[g];
            table[g] = patient.IsUntyped || donor is null || donor.IsUntyped
                ? 2
                : MatchResult.Dpb1Rank(grader.GradeLocus(patient, donor), grader.GradeDpb1Tce(patient, donor));
        }

        return table;
    }

    /// <summary>The distinct genotypes and positions seen at one locus, each parsed once.</summary>
    private sealed class LocusCatalog(HlaReference reference)
    {
        private readonly Dictionary<string, int> _genotypeByText = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _positionByText = new(StringComparer.Ordinal);

        public List<(int First, int Second)> Genotypes { get; } = [(0, 0)];

        public List<LocusTyping?> Typings { get; } = [null];

        public List<TypedPosition> Positions { get; } = [null!];

        public int Intern(HlaLocus locus, string text, MacTable? macs)
        {
            if (_genotypeByText.TryGetValue(text, out var id))
            {
                return id;
            }

            // The code table the index was built with is the reference's own, which reads the names against the release.
            System.Diagnostics.Debug.Assert(ReferenceEquals(macs, reference.Macs), "the index reads typings with its reference's code table");
            var typing = reference.ParseLocus(text, locus);
            var (first, second) = MatchGrader.EffectivePositions(typing);
            Genotypes.Add((Position(first), Position(second)));
            Typings.Add(typing);
            _genotypeByText[text] = Genotypes.Count - 1;
            return Genotypes.Count - 1;
        }

        private int Position(TypedPosition position)
        {
            // A code expanded to the names of a plain list still grades apart (at most GGroup), so it keys apart.
            var text = position.IsFromCode ? position + " (code)" : position.ToString();
            if (!_positionByText.TryGetValue(text, out var id))
            {
                Positions.Add(position);
                id = _positionByText[text] = Positions.Count - 1;
            }

            return id;
        }
    }

    /// <summary>The <c>k</c> smallest keys seen, in a max-heap.</summary>
    private sealed class TopK(int k)
    {
        private readonly PriorityQueue<int, UInt128> _heap = new(Comparer<UInt128>.Create((a, b) => b.CompareTo(a)));

        public IEnumerable<(UInt128 Key, int Slot)> Items => _heap.UnorderedItems.Select(i => (i.Priority, i.Element));

        public void Offer(UInt128 key, int slot)
        {
            if (_heap.Count < k)
            {
                _heap.Enqueue(slot, key);
            }
            else if (_heap.TryPeek(out _, out var worst) && key < worst)
            {
                _heap.DequeueEnqueue(slot, key);
            }
        }
    }
}
