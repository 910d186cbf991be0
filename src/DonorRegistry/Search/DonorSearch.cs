using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Storage;

namespace DonorRegistry.Search;

/// <summary>
/// Searches the registry for a patient: grades every donor who passes the filters against the patient's
/// typing, keeps those within the accepted mismatches, and ranks them as registries do: fewer mismatches,
/// then (when <see cref="SearchRequest.PreferPermissiveDpb1"/> asks) DPB1 matched, permissive, unknown, non-permissive, then better grades, definite before potential, then younger, male, CMV status like the patient's, ABO identical.
/// </summary>
/// <remarks>
/// <see cref="Find"/> uses an in-memory index of the listed donors, built from the store on first use (or by
/// <see cref="BuildIndex"/>) and updated with every committed change, so it never shows a withdrawn donor or
/// misses a newly listed one. <see cref="FindByLinearScan"/> grades every stored donor the plain way; the two
/// return the same ranked results.
/// </remarks>
public sealed class DonorSearch
{
    private readonly IRegistryStorage _store;
    private readonly Access.AccessControl _access;
    private readonly SearchLogWriter _log;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;
    private readonly MatchGrader _grader;
    private readonly Lock _buildGate = new();
    private SearchIndex? _index;

    internal DonorSearch(RegistryWrites writes, SearchLogWriter log, RegistryOptions options, TimeProvider time)
    {
        _store = writes.Storage;
        _access = writes.Access;
        _log = log;
        _options = options;
        _time = time;
        _grader = new MatchGrader(options.Hla);
        writes.DonorCommitted += donor => Volatile.Read(ref _index)?.Apply(donor);

        // Another instance's changes could not all be read (ADR 21): the next search builds the index again from the store.
        writes.CachesStale += () => Volatile.Write(ref _index, null);
    }

    /// <summary>Runs a search on the in-memory index (built now if it was not yet).</summary>
    /// <param name="request">The patient's typing, the loci, the accepted mismatches and the filters.</param>
    /// <param name="by">Who searches; null is the host itself (a host actor, refused under <see cref="RegistryOptions.RequireRoles"/>).</param>
    /// <returns>The ranked donors.</returns>
    /// <exception cref="SearchRequestException">The request is empty, names a locus the patient lacks, or accepts more mismatches than the loci allow.</exception>
    /// <exception cref="HlaParseException">A stored typing uses a multiple-allele code and the registry was opened without the code table.</exception>
    /// <exception cref="HlaNameException">A stored typing names an allele the loaded release refuses (it was recorded against another release).</exception>
    /// <exception cref="Access.AccessDeniedException">The actor may not search.</exception>
    public SearchResult Find(SearchRequest request, Access.Actor? by = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        _access.Check(by ?? Access.AccessControl.HostItself, Access.RegistryAction.Search);
        request.Validate();
        var result = Index().Search(request, _grader.WithThreshold(request.Threshold), Today());

        // Each search is logged (when, how many candidates, how many potential matches) for the reports.
        // Queued, not written here: a search never waits for a writer.
        _log.Add(new SearchLogEntry(_time.GetUtcNow(), result.Candidates, result.Matches.Count, request.MaxMismatches));
        return result;
    }

    /// <summary>
    /// Builds the search index from the store now rather than on the first search (writers wait meanwhile).
    /// Does nothing if it is built.
    /// </summary>
    /// <returns>How many donors the index holds.</returns>
    public int BuildIndex() => Index().Count;

    /// <summary>What the index holds now (id, version, reserved), or null when it is not built (for <see cref="Registry.Verify"/>).</summary>
    internal Dictionary<long, (int Version, bool Reserved)>? IndexSnapshot() => Volatile.Read(ref _index)?.Snapshot();

    /// <summary>Bytes the index holds per donor in its rows and id map (the shared genotype catalogs come on top).</summary>
    internal long IndexBytesPerDonor => Index().BytesPerDonorEstimate();

    private SearchIndex Index()
    {
        if (Volatile.Read(ref _index) is { } ready)
        {
            return ready;
        }

        lock (_buildGate)
        {
            if (_index is { } built)
            {
                return built;
            }

            var index = new SearchIndex(_options.Hla);

            // Under the write gate: no change commits while the store is read, and every change after it reaches the index.
            _store.Exclusive(() =>
            {
                foreach (var row in _store.Donors.ScanForSearch([DonorState.Available, DonorState.Reserved]))
                {
                    index.Add(row);
                }

                index.Trim(); // the columns' spare room from doubling: up to as much again as the rows
                Volatile.Write(ref _index, index);
            });
            return index;
        }
    }

    private HlaTyping Parse(TypingResult typing, Dictionary<(string, string), LocusTyping> parsed)
    {
        var loci = new LocusTyping[6];
        foreach (var locus in Enum.GetValues<HlaLocus>())
        {
            var name = locus.ToString();
            if (!typing.Loci.TryGetValue(name, out var genotype))
            {
                loci[(int)locus - 1] = LocusTyping.Untyped(locus);
                continue;
            }

            if (!parsed.TryGetValue((name, genotype), out var locusTyping))
            {
                parsed[(name, genotype)] = locusTyping = _options.Hla.ParseLocus(genotype, locus);
            }

            loci[(int)locus - 1] = locusTyping;
        }

        return HlaTyping.FromParsed(loci);
    }

    private DateOnly Today() => _options.DayOf(_time.GetUtcNow());

    /// <summary>Runs a search by reading and grading every listed donor in the store (the reference for <see cref="Find"/>).</summary>
    /// <param name="request">The patient's typing, the loci, the accepted mismatches and the filters.</param>
    /// <param name="by">Who searches; null is the host itself (a host actor, refused under <see cref="RegistryOptions.RequireRoles"/>).</param>
    /// <returns>The ranked donors.</returns>
    /// <exception cref="SearchRequestException">The request is empty, names a locus the patient lacks, or accepts more mismatches than the loci allow.</exception>
    /// <exception cref="HlaParseException">A stored typing uses a multiple-allele code and the registry was opened without the code table.</exception>
    /// <exception cref="HlaNameException">A stored typing names an allele the loaded release refuses (it was recorded against another release).</exception>
    /// <exception cref="Access.AccessDeniedException">The actor may not search.</exception>
    public SearchResult FindByLinearScan(SearchRequest request, Access.Actor? by = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        _access.Check(by ?? Access.AccessControl.HostItself, Access.RegistryAction.Search);
        request.Validate();
        var today = Today();
        DonorState[] states = request.IncludeReserved ? [DonorState.Available, DonorState.Reserved] : [DonorState.Available];

        var grader = _grader.WithThreshold(request.Threshold);
        var loci = request.SearchedLoci;
        var found = new List<(MatchResult Result, int GradeScore)>();
        var parsed = new Dictionary<(string, string), LocusTyping>(); // the same genotype strings recur across donors
        var scanned = 0;
        foreach (var donor in _store.Donors.FindInStates(states))
        {
            var age = donor.AgeOn(today);
            if (donor.Typing is null || age < request.MinimumAge || age > request.MaximumAge
                || (request.DonorSex is { } sex && donor.Profile.Sex != sex))
            {
                continue;
            }

            scanned++;
            var typing = Parse(donor.Typing, parsed);
            if (request.RequiredDonorLoci.Any(l => typing[l].IsUntyped))
            {
                continue;
            }

            var grade = grader.Grade(request.Patient, typing);
            var status = donor.State == DonorState.Reserved ? WmdaStatus.OP : WmdaStatus.AV;
            var result = MatchResult.For(0, donor.Id, grade, loci, age, donor.Profile.Sex, donor.Profile.Cmv, donor.Profile.Abo, status);
            if (result.Mismatches > request.MaxMismatches
                || request.MaxMismatchesPerLocus.Any(limit => grade[limit.Key].Mismatches > limit.Value))
            {
                continue;
            }

            found.Add((result, result.GradeScore(loci)));
        }

        var ranked = found
            .OrderBy(f => f.Result.Mismatches)
            .ThenBy(f => request.PreferPermissiveDpb1 ? MatchResult.Dpb1Rank(f.Result.Grade[HlaLocus.DPB1], f.Result.Dpb1Tce) : 0)
            .ThenBy(f => f.GradeScore)
            .ThenByDescending(f => f.Result.IsDefinite)
            .ThenBy(f => f.Result.Age)
            .ThenByDescending(f => f.Result.Sex == Sex.Male)
            .ThenByDescending(f => request.PatientCmv != CmvStatus.Unknown && f.Result.Cmv == request.PatientCmv)
            .ThenByDescending(f => request.PatientAbo != AboGroup.Unknown && f.Result.Abo == request.PatientAbo)
            .ThenBy(f => f.Result.DonorId.Value)
            .Take(request.Limit)
            .Select((f, i) => f.Result with { Rank = i + 1 })
            .ToList();

        return new SearchResult(ranked, found.Count, scanned, MatchGrade.BasisFor(_options.Hla.HasGroups), loci, request.LeftOutLoci, request.Threshold);
    }
}
