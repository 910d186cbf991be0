using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.FakeData;
using DonorRegistry.Search;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Search;

public sealed class DonorSearchTests
{
    private const string By = "coordinator.li";
    private const string PatientTyping = "A*11:01+A*24:02^B*46:01+B*40:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01^DQB1*03:03+DQB1*06:02";
    private RegistryFixture _fx = null!;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture(inMemory: true);

    [TearDown]
    public void TearDown() => _fx.Dispose();

    private static SearchRequest Request(string patient = PatientTyping) => new(HlaTyping.Parse(patient));

    [Test]
    public void Find_ExactMatchAndOneMismatch_RanksTheExactMatchFirstAndLeavesOutThreeMismatches()
    {
        var oneMismatch = Listed("A*11:01+A*02:07^B*46:01+B*40:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01^DQB1*03:03+DQB1*06:02");
        var exact = Listed(PatientTyping);
        Listed("A*02:01+A*02:07^B*46:01+B*58:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01^DQB1*03:03+DQB1*06:02");

        var result = _fx.Registry.Search.Find(Request());

        result.Matches.Select(m => m.DonorId).Should().Equal(exact, oneMismatch);
        result.Matches[0].Should().Match<MatchResult>(m => m.Rank == 1 && m.Mismatches == 0 && m.IsDefinite && m.Grade.OutOf10 == 10 && m.Status == WmdaStatus.AV);
        result.Matches[1].Grade[HlaLocus.A].Mismatches.Should().Be(1);
        result.Matches[1].Grade[HlaLocus.A].Second.Reason.Should().Contain("A*24:02").And.Contain("A*02:07");
        result.Candidates.Should().Be(2);
        result.Scanned.Should().Be(3);
    }

    [Test]
    public void Find_OnlyAvailableDonorsByDefault_ReservedOnRequestAsReservedForAnotherPatient()
    {
        var available = Listed(PatientTyping);
        var reserved = Listed(PatientTyping);
        _fx.Donors.Reserve(reserved, new CaseReference("CASE-OTHER"), By);
        var deferred = Listed(PatientTyping);
        _fx.Donors.Defer(deferred, _fx.Today.AddDays(30), "出差", By);
        var withdrawn = Listed(PatientTyping);
        _fx.Donors.Withdraw(withdrawn, By);

        var plain = _fx.Registry.Search.Find(Request());
        var withReserved = _fx.Registry.Search.Find(Request() with { IncludeReserved = true });

        plain.Matches.Select(m => m.DonorId).Should().Equal(available);
        withReserved.Matches.Should().HaveCount(2);
        withReserved.Matches.Single(m => m.DonorId == reserved).Status.Should().Be(WmdaStatus.OP);
    }

    [Test]
    public void Find_EqualGrades_PrefersYoungerThenMaleThenCmvLikeThePatientThenAboIdentical()
    {
        var older = Listed(PatientTyping, age: 40, sex: Sex.Male);
        var youngWoman = Listed(PatientTyping, age: 22, sex: Sex.Female);
        var youngMan = Listed(PatientTyping, age: 22, sex: Sex.Male);

        var ranked = _fx.Registry.Search.Find(Request()).Matches.Select(m => m.DonorId);

        ranked.Should().Equal(youngMan, youngWoman, older);
    }

    [Test]
    public void Find_SameAgeAndSex_PrefersTheDonorWhoseCmvStatusMatchesThePatients()
    {
        var positive = Listed(PatientTyping, age: 30, sex: Sex.Male, cmv: CmvStatus.Positive);
        var negative = Listed(PatientTyping, age: 30, sex: Sex.Male, cmv: CmvStatus.Negative);

        var forNegativePatient = _fx.Registry.Search.Find(Request() with { PatientCmv = CmvStatus.Negative }).Matches.Select(m => m.DonorId);
        var forPositivePatient = _fx.Registry.Search.Find(Request() with { PatientCmv = CmvStatus.Positive }).Matches.Select(m => m.DonorId);

        forNegativePatient.Should().Equal(negative, positive);
        forPositivePatient.Should().Equal(positive, negative);
    }

    [Test]
    public void Find_PerLocusLimit_LeavesOutADonorMismatchedThereEvenWithinTheOverallLimit()
    {
        Listed("A*11:01+A*24:02^B*46:01+B*40:01^C*01:02+C*07:02^DRB1*09:01+DRB1*12:02^DQB1*03:03+DQB1*06:02");

        var strict = _fx.Registry.Search.Find(Request() with { MaxMismatchesPerLocus = new Dictionary<HlaLocus, int> { [HlaLocus.DRB1] = 0 } });
        var loose = _fx.Registry.Search.Find(Request());

        strict.Matches.Should().BeEmpty();
        loose.Matches.Should().ContainSingle().Which.Mismatches.Should().Be(1);
    }

    [Test]
    public void Find_EightOfEight_IgnoresDqb1()
    {
        Listed("A*11:01+A*24:02^B*46:01+B*40:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01^DQB1*05:02+DQB1*04:01");

        var result = _fx.Registry.Search.Find(Request() with
        {
            Loci = [HlaLocus.A, HlaLocus.B, HlaLocus.C, HlaLocus.DRB1],
            MaxMismatches = 0,
        });

        result.Matches.Should().ContainSingle().Which.Grade.OutOf8.Should().Be(8);
    }

    [Test]
    public void Find_AgeAndSexFilters_KeepOnlyMatchingDonors()
    {
        Listed(PatientTyping, age: 41, sex: Sex.Male);
        var wanted = Listed(PatientTyping, age: 25, sex: Sex.Male);
        Listed(PatientTyping, age: 25, sex: Sex.Female);

        var result = _fx.Registry.Search.Find(Request() with { MaximumAge = 35, DonorSex = Sex.Male });

        result.Matches.Select(m => m.DonorId).Should().Equal(wanted);
    }

    [Test]
    public void Find_DonorTypedAtThreeLociOnly_IsAPotentialMatch()
    {
        var partial = Listed("A*11:01+A*24:02^B*46:01+B*40:01^DRB1*09:01+DRB1*15:01");

        var match = _fx.Registry.Search.Find(Request()).Matches.Should().ContainSingle().Subject;

        match.DonorId.Should().Be(partial);
        match.IsDefinite.Should().BeFalse();
        match.Grade[HlaLocus.C].First.Reason.Should().Be("C is not typed on the donor");
    }

    [Test]
    public void Find_Limit_ReturnsTheTopRanksAndCountsTheRest()
    {
        for (var i = 0; i < 5; i++)
        {
            Listed(PatientTyping);
        }

        var result = _fx.Registry.Search.Find(Request() with { Limit = 2 });

        result.Matches.Select(m => m.Rank).Should().Equal(1, 2);
        result.Candidates.Should().Be(5);
    }

    [TestCase("A*11:01+A*24:02", "Patient", "*not typed at B*")]
    [TestCase(PatientTyping + "^DPB1*04:01", "Loci", "*DPB1 cannot be matched*")]
    public void Find_RequestThatCannotRun_SaysWhy(string patient, string field, string message)
    {
        var request = Request(patient) with { Loci = field == "Loci" ? [HlaLocus.A, HlaLocus.DPB1] : [HlaLocus.A, HlaLocus.B] };

        var act = () => _fx.Registry.Search.Find(request);

        act.Should().Throw<SearchRequestException>().WithMessage(message).Which.Field.Should().Be(field);
    }

    [Test]
    public void Find_PatientTypedAtABAndDrb1_SearchesThoseLociAndSaysCAndDqb1WereLeftOut()
    {
        var donor = Listed(PatientTyping);

        var result = _fx.Registry.Search.Find(Request("A*11:01+A*24:02^B*46:01+B*40:01^DRB1*09:01+DRB1*15:01"));

        result.Loci.Should().Equal(HlaLocus.A, HlaLocus.B, HlaLocus.DRB1);
        result.LeftOut.Should().Equal(HlaLocus.C, HlaLocus.DQB1);
        result.ToString().Should().Contain("C, DQB1 left out (the patient is not typed there)");
        result.Matches.Should().ContainSingle().Which.Should().Match<MatchResult>(m => m.DonorId == donor && m.Count.ToString() == "6/6" && m.IsDefinite);
    }

    [Test]
    public void Find_DonorUntypedAtASearchedLocus_ReportsHowManyPositionsWereCompared()
    {
        Listed("A*11:01+A*24:02^B*46:01+B*40:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01");

        var match = _fx.Registry.Search.Find(Request()).Matches.Should().ContainSingle().Subject;

        match.Count.ToString().Should().Be("8/8 of 8 typed; DQB1 untyped");
        match.IsDefinite.Should().BeFalse();
        match.ToString().Should().StartWith("#1 donor ").And.Contain("8/8 of 8 typed; DQB1 untyped at PGroup (potential)").And.NotContain("10/10");
    }

    [Test]
    public void Find_RequiredDonorLoci_LeavesOutDonorsUntypedThere()
    {
        var full = Listed(PatientTyping);
        Listed("A*11:01+A*24:02^B*46:01+B*40:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01");

        var result = _fx.Registry.Search.Find(Request() with { RequiredDonorLoci = [HlaLocus.DQB1] });
        var plain = _fx.Registry.Search.FindByLinearScan(Request() with { RequiredDonorLoci = [HlaLocus.DQB1] });

        result.Matches.Select(m => m.DonorId).Should().Equal(full);
        plain.Matches.Select(m => m.DonorId).Should().Equal(full);
    }

    [Test]
    public void Find_SameFamilyOtherProtein_IsAMismatchAtPGroupAndAMatchAtAntigen()
    {
        // Without IMGT tables A*11:02 shares only the family (antigen) with the patient's A*11:01.
        var donor = Listed("A*11:02+A*24:02^B*46:01+B*40:01^C*01:02+C*07:02^DRB1*09:01+DRB1*15:01^DQB1*03:03+DQB1*06:02");

        var atPGroup = _fx.Registry.Search.Find(Request() with { MaxMismatches = 0 });
        var atAntigen = _fx.Registry.Search.Find(Request() with { MaxMismatches = 0, Threshold = MatchThreshold.Antigen });
        var oneAllowed = _fx.Registry.Search.Find(Request() with { MaxMismatches = 1 }).Matches.Single();

        atPGroup.Matches.Should().BeEmpty();
        atAntigen.Matches.Should().ContainSingle().Which.Should().Match<MatchResult>(m => m.DonorId == donor && m.Count.ToString() == "10/10");
        atAntigen.Threshold.Should().Be(MatchThreshold.Antigen);
        oneAllowed.Count.ToString().Should().Be("9/10");
        oneAllowed.Grade[HlaLocus.A].First.Grade.Should().Be(PositionGrade.Antigen, "the position keeps its grade whatever the threshold");
    }

    [Test]
    public void Find_LimitAtALocusThePatientLacks_SaysItIsNotSearchedBecauseUntyped()
    {
        var request = Request("A*11:01+A*24:02^B*46:01+B*40:01^DRB1*09:01+DRB1*15:01") with { MaxMismatchesPerLocus = new Dictionary<HlaLocus, int> { [HlaLocus.C] = 0 } };

        var act = () => _fx.Registry.Search.Find(request);

        act.Should().Throw<SearchRequestException>().WithMessage("*C is not searched because the patient is not typed there*");
    }

    [Test]
    public void Find_UndefinedThreshold_IsRejected()
    {
        var act = () => _fx.Registry.Search.Find(Request() with { Threshold = (MatchThreshold)7 });

        act.Should().Throw<SearchRequestException>().WithMessage("Search request Threshold: 7 is not a threshold; use Allele, GGroup, PGroup (the default) or Antigen.");
    }

    [Test]
    public void Find_MoreMismatchesThanTheLociAllow_IsRejected()
    {
        var act = () => _fx.Registry.Search.Find(Request() with { MaxMismatches = 11 });

        act.Should().Throw<SearchRequestException>().WithMessage("Search request MaxMismatches: 11 is outside 0 to 10 (two positions at each of the 5 searched loci).");
    }

    [Test]
    public void Find_EmptyPatientTyping_IsRejected()
    {
        var empty = HlaTyping.FromLoci(new Dictionary<string, string>());

        var act = () => _fx.Registry.Search.Find(new SearchRequest(empty));

        act.Should().Throw<SearchRequestException>().WithMessage("*the patient typing is empty*");
    }

    [Test]
    public void Find_SyntheticRegistry_AgreesWithGradingEachDonorByHand()
    {
        var synthetic = new SyntheticHla(seed: 11);
        var ids = Enumerable.Range(0, 60).Select(_ => Listed(synthetic.Next(_fx.Today))).ToList();
        var patient = HlaTyping.FromLoci(synthetic.Next(_fx.Today).Loci);
        var grader = new MatchGrader(HlaReference.None);

        var result = _fx.Registry.Search.Find(new SearchRequest(patient) { MaxMismatches = 4, Limit = 1000 });

        var expected = ids.Where(id => grader.Grade(patient, HlaTyping.FromLoci(_fx.Donors.Get(id).Typing!.Loci)).TotalMismatches <= 4).ToHashSet();
        result.Matches.Select(m => m.DonorId).Should().BeEquivalentTo(expected);
        result.Matches.Select(m => m.Mismatches).Should().BeInAscendingOrder();
    }

    private DonorId Listed(string typing, int? age = null, Sex? sex = null, CmvStatus? cmv = null)
    {
        var loci = HlaTyping.Parse(typing).Loci.Where(l => !l.IsUntyped).ToDictionary(l => l.Locus.ToString(), l => l.ToString());
        return Listed(new TypingResult("lab", _fx.Today, loci), age, sex, cmv);
    }

    private DonorId Listed(TypingResult typing, int? age = null, Sex? sex = null, CmvStatus? cmv = null)
    {
        var request = _fx.Volunteers.Next(_fx.Today, age: age, sex: sex);
        if (cmv is { } status)
        {
            request = request with { Profile = request.Profile with { Cmv = status } };
        }

        var id = _fx.Donors.Enrol(request, By).Id;
        _fx.Donors.RecordSampleCollected(id, null, By);
        _fx.Donors.RecordTyping(id, typing, By);
        _fx.Donors.List(id, By);
        return id;
    }
}
