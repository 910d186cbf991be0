using DonorRegistry.Donors;
using DonorRegistry.Storage;

namespace DonorRegistry.Verification;

/// <summary>
/// What an engine's verifier gets from the core for <see cref="Registry.Verify"/> (<see cref="IRegistryStorage.Verify"/>):
/// the audit chain's key, to check each trail's seals, and the in-memory search index, to hold against the donors.
/// </summary>
/// <param name="Chain">The registry's audit chain (ADR 10).</param>
/// <param name="SearchIndex">The search index as it stands (donor → version, reserved); null when it is not built.</param>
internal sealed record VerificationInputs(Audit.AuditChain Chain, Func<Dictionary<long, (int Version, bool Reserved)>?> SearchIndex);

/// <summary>
/// The problems an engine's verifier finds, in the order found, with the checks every engine makes the same way: a
/// record's state against its audit trail, and the in-memory search index against the donor records. The engine reads
/// its own storage (LiteDB's collections, PostgreSQL's tables) and hands what it read to these.
/// </summary>
internal sealed class VerificationFindings
{
    private readonly List<VerificationProblem> _problems = [];

    /// <summary>The problems found so far.</summary>
    public IReadOnlyList<VerificationProblem> Problems => _problems;

    /// <summary>How many documents (rows, audit records) the checks read.</summary>
    public int Read { get; set; }

    /// <summary>The report of what was found.</summary>
    public VerificationReport Report() => new(_problems, Read);

    /// <summary>Adds a problem.</summary>
    public void Add(VerificationProblemKind kind, string collection, string? id, string expected, string found) =>
        _problems.Add(new VerificationProblem(kind, collection, id, expected, found));

    /// <summary>A failure as the report shows it: its type and message on one line (the inner failure when there is one).</summary>
    public static string Found(Exception e) => (e.InnerException ?? e).GetType().Name + ": " + (e.InnerException ?? e).Message.ReplaceLineEndings(" ");

    /// <summary>
    /// Each record's state has its audit record: the latest names the record's version and state, and the trail holds one
    /// record per version; and each trail belongs to a stored record.
    /// </summary>
    /// <param name="records">The records of one kind as stored: key → (version, state name).</param>
    /// <param name="trails">Their audit trails as read: key → (records read, latest version, its state).</param>
    /// <param name="auditCollection">Where the engine keeps the kind's audit records.</param>
    /// <param name="recordCollection">Where the engine keeps the records.</param>
    public void CompareTrails(IReadOnlyDictionary<string, (int Version, string State)> records, IReadOnlyDictionary<string, (int Count, int Latest, string To)> trails, string auditCollection, string recordCollection)
    {
        foreach (var (key, (version, state)) in records)
        {
            if (!trails.TryGetValue(key, out var trail))
            {
                Add(VerificationProblemKind.MissingAuditRecord, auditCollection, key, $"audit records for versions 1 to {version}", "none");
            }
            else if (trail.Latest != version || trail.To != state)
            {
                Add(VerificationProblemKind.AuditMismatch, auditCollection, key, $"the latest audit record at version {version}, to state {state}", $"version {trail.Latest}, to state {trail.To}");
            }
            else if (trail.Count != version)
            {
                Add(VerificationProblemKind.MissingAuditRecord, auditCollection, key, $"{version} audit records (versions 1 to {version})", $"{trail.Count}");
            }
        }

        foreach (var (key, trail) in trails.Where(t => !records.ContainsKey(t.Key)))
        {
            Add(VerificationProblemKind.MissingDocument, recordCollection, key, $"the record whose audit trail reaches version {trail.Latest}", "no document");
        }
    }

    /// <summary>A number a sequence handed out, as the registry names its record: the prefix and eight digits ("CASE-00000001").</summary>
    public static string Numbered(string prefix, long n) => prefix + n.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Every number a sequence handed out (1 to <paramref name="next"/> − 1) names a stored record: records are never
    /// deleted. Numbers are tried up to the records stored plus 1,000, so a damaged counter does not make it scan for ever.
    /// </summary>
    /// <param name="collection">Where the engine keeps the records.</param>
    /// <param name="next">The sequence's next number.</param>
    /// <param name="stored">The ids stored there, as the engine keys them.</param>
    /// <param name="storedId">A number as the engine keys its record.</param>
    /// <param name="shown">A number as the report shows it.</param>
    /// <param name="what">What the engine stores a record as ("document", "row").</param>
    public void CompareSequence(string collection, long next, IReadOnlySet<string> stored, Func<long, string> storedId, Func<long, string> shown, string what)
    {
        var missing = new List<string>();
        for (var n = 1L; n < next && n <= stored.Count + 1_000; n++)
        {
            if (!stored.Contains(storedId(n)))
            {
                missing.Add(shown(n));
            }
        }

        if (missing.Count > 0)
        {
            Add(VerificationProblemKind.MissingDocument, collection, missing[0], $"every number from 1 to {next - 1} handed out by the registry to name a stored {what}",
                $"{missing.Count} missing: {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", …" : "")}");
        }
    }

    /// <summary>
    /// Starts the check of the search rows (ADR 13, 16): each listed, typed donor has exactly the row its record makes,
    /// and no other donor has one. The engine reads its rows, reports a row it cannot decode itself, and hands each
    /// decoded one to <see cref="SearchRowCheck.Row"/>; <see cref="SearchRowCheck.Finish"/> reports the rows missing.
    /// </summary>
    /// <param name="collection">Where the engine keeps the search rows.</param>
    /// <param name="donors">The donor records as decoded.</param>
    /// <param name="hasRow">Whether a donor keeps a search row.</param>
    /// <param name="isStored">Whether the store holds a donor of that number (decoded or not).</param>
    public SearchRowCheck CheckSearchRows(string collection, IReadOnlyCollection<Donor> donors, Func<Donor, bool> hasRow, Func<long, bool> isStored) =>
        new(this, collection, donors, hasRow, isStored);

    /// <summary>One pass over an engine's search rows (<see cref="CheckSearchRows"/>).</summary>
    internal sealed class SearchRowCheck(VerificationFindings findings, string collection, IReadOnlyCollection<Donor> donors, Func<Donor, bool> hasRow, Func<long, bool> isStored)
    {
        private readonly Dictionary<long, Donor> _expected = donors.Where(hasRow).ToDictionary(d => d.Id.Value);
        private readonly HashSet<long> _decoded = donors.Select(d => d.Id.Value).ToHashSet();
        private readonly HashSet<long> _seen = [];

        /// <summary>A decoded row of donor <paramref name="id"/>; <paramref name="matches"/> says whether it is the row the donor's record makes.</summary>
        public void Row(long id, Func<Donor, bool> matches)
        {
            _seen.Add(id);
            var shown = new DonorId(id).ToString();
            if (_expected.TryGetValue(id, out var donor))
            {
                if (!matches(donor))
                {
                    findings.Add(VerificationProblemKind.SearchRowMismatch, collection, shown, $"the row of the donor's record (version {donor.Version}, {donor.State})", "a row whose profile or typing differs");
                }
            }
            else if (_decoded.Contains(id) || !isStored(id))
            {
                findings.Add(VerificationProblemKind.SearchRowMismatch, collection, shown, "rows only for listed, typed donors", _decoded.Contains(id) ? "a row for a donor who is not listed" : "a row for a donor the store does not hold");
            }
        }

        /// <summary>Reports each listed donor whose row was not among those read.</summary>
        public void Finish()
        {
            foreach (var donor in _expected.Values.Where(d => !_seen.Contains(d.Id.Value)))
            {
                findings.Add(VerificationProblemKind.SearchRowMismatch, collection, donor.Id.ToString(), $"a row for the listed donor at version {donor.Version}", "none");
            }
        }
    }

    /// <summary>The breaks the chain check found, one per broken trail.</summary>
    public void AddChainBreaks(IEnumerable<Audit.AuditChainBreak> breaks, Func<AggregateKind, string> auditCollection)
    {
        foreach (var broken in breaks)
        {
            Add(VerificationProblemKind.AuditChainBroken, auditCollection(broken.Kind), $"{broken.Id} v{broken.Version}", "each audit record sealed to the one before it of the same record", broken.Problem);
        }
    }

    /// <summary>
    /// The in-memory search index (when built) holds exactly the searchable, typed donors, reserved where they are, at
    /// their stored versions where it knows them: the index built from the search rows does not know an available
    /// donor's version until the donor next changes (ADR 16), and holds 0 for it.
    /// </summary>
    /// <param name="donors">The donor records as stored.</param>
    /// <param name="index">The index's snapshot, or null when it is not built.</param>
    /// <param name="searchStates">The states the index holds.</param>
    /// <param name="unsettled">Donors whose stored change the index may not have heard of yet (another instance's commit on its way, ADR 21): left out.</param>
    public void CompareSearchIndex(IEnumerable<Donor> donors, Dictionary<long, (int Version, bool Reserved)>? index, IReadOnlyCollection<DonorState> searchStates, IReadOnlySet<long>? unsettled = null)
    {
        if (index is null)
        {
            return;
        }

        // Against the donor records themselves, not the search rows built from them (those are checked on their own).
        var fresh = donors.Where(d => d.Typing is not null && searchStates.Contains(d.State)).ToDictionary(d => d.Id.Value, d => (d.Version, Reserved: d.State == DonorState.Reserved));
        foreach (var (id, row) in fresh.Where(f => unsettled?.Contains(f.Key) != true))
        {
            if (!index.TryGetValue(id, out var held))
            {
                Add(VerificationProblemKind.SearchIndexMismatch, "search index", new DonorId(id).ToString(), $"the listed donor at version {row.Version}", "not in the index");
            }
            else if (held.Reserved != row.Reserved || (held.Version != 0 && held.Version != row.Version))
            {
                Add(VerificationProblemKind.SearchIndexMismatch, "search index", new DonorId(id).ToString(), $"version {row.Version}{(row.Reserved ? ", reserved" : "")}", $"version {held.Version}{(held.Reserved ? ", reserved" : "")}");
            }
        }

        foreach (var id in index.Keys.Where(k => !fresh.ContainsKey(k) && unsettled?.Contains(k) != true))
        {
            Add(VerificationProblemKind.SearchIndexMismatch, "search index", new DonorId(id).ToString(), "only listed, typed donors", "a donor the store does not list");
        }
    }
}
