using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.Storage;
using LiteDB;

namespace DonorRegistry.Search;

/// <summary>
/// Searches the registry for a patient: grades every donor who passes the filters against the patient's
/// typing, keeps those within the accepted mismatches, and ranks them as registries do: fewer mismatches,
/// better grades, definite before potential, then younger, male, CMV status like the patient's, ABO identical.
/// </summary>
/// <remarks>
/// This is the plain linear scan over the stored donors: correct, and the reference that a faster index
/// must reproduce exactly. It reads and grades every listed donor, so a search costs time in proportion to
/// the registry.
/// </remarks>
public sealed class DonorSearch
{
    private readonly RegistryStore _store;
    private readonly RegistryOptions _options;
    private readonly TimeProvider _time;
    private readonly MatchGrader _grader;

    internal DonorSearch(RegistryStore store, RegistryOptions options, TimeProvider time)
    {
        _store = store;
        _options = options;
        _time = time;
        _grader = new MatchGrader(options.Hla);
    }

    /// <summary>Runs a search.</summary>
    /// <param name="request">The patient's typing, the loci, the accepted mismatches and the filters.</param>
    /// <returns>The ranked donors.</returns>
    /// <exception cref="SearchRequestException">The request is empty, searches a locus the patient lacks, or accepts more mismatches than the loci allow.</exception>
    /// <exception cref="HlaParseException">A stored typing uses a multiple-allele code and the registry was opened without the code table.</exception>
    public SearchResult Find(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _options.TimeZone).DateTime);
        var states = request.IncludeReserved
            ? new BsonValue[] { nameof(DonorState.Available), nameof(DonorState.Reserved) }
            : [nameof(DonorState.Available)];

        var found = new List<(MatchResult Result, int GradeScore)>();
        var scanned = 0;
        foreach (var document in _store.Donors.Find(Query.In("state", states)))
        {
            var donor = DonorDocuments.ToDonor(document);
            var age = donor.AgeOn(today);
            if (donor.Typing is null || age < request.MinimumAge || age > request.MaximumAge
                || (request.DonorSex is { } sex && donor.Profile.Sex != sex))
            {
                continue;
            }

            scanned++;
            var grade = _grader.Grade(request.Patient, HlaTyping.FromLoci(donor.Typing.Loci, _options.Hla.Macs));
            var searched = request.Loci.Select(l => grade[l]).ToList();
            var mismatches = searched.Sum(l => l.Mismatches);
            if (mismatches > request.MaxMismatches
                || request.MaxMismatchesPerLocus.Any(limit => grade[limit.Key].Mismatches > limit.Value))
            {
                continue;
            }

            var status = donor.State == DonorState.Reserved ? WmdaStatus.OP : WmdaStatus.AV;
            var result = new MatchResult(0, donor.Id, grade, mismatches, searched.All(l => l.IsDefinite), age, donor.Profile.Sex, donor.Profile.Cmv, donor.Profile.Abo, status);
            found.Add((result, searched.Sum(l => (int)l.First.Grade + (int)l.Second.Grade)));
        }

        var ranked = found
            .OrderBy(f => f.Result.Mismatches)
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

        return new SearchResult(ranked, found.Count, scanned, MatchGrade.BasisFor(_options.Hla.HasGroups));
    }
}
