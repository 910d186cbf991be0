using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Hla;
using DonorRegistry.FakeData;
using DonorRegistry.Search;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Cases;

public sealed class CaseOperationsTests
{
    private const string By = "coordinator.li";
    private RegistryFixture _fx = null!;

    private CaseOperations Cases => _fx.Registry.Cases;

    [SetUp]
    public void SetUp() => _fx = new RegistryFixture();

    [TearDown]
    public void TearDown() => _fx.Dispose();

    [Test]
    public void Open_AvailableDonor_ReservesTheDonorForTheCaseOnly()
    {
        var donor = _fx.DonorIn(DonorState.Available);

        var opened = Cases.Open(donor.Id, "BJ-TC-2026-0042", By);

        opened.State.Should().Be(CaseState.PotentialMatch);
        opened.Id.Value.Should().Be("CASE-00000001");
        var reserved = _fx.Donors.Get(donor.Id);
        reserved.State.Should().Be(DonorState.Reserved);
        reserved.ReservedFor.Should().Be(opened.Id);
        _fx.Donors.GetHistory(donor.Id).Should().NotContain(t => (t.Reason ?? string.Empty).Contains("BJ-TC", StringComparison.Ordinal), "the patient stays anonymous to the donor's record");
        Cases.GetHistory(opened.Id).Should().ContainSingle().Which.Action.Should().Be("Open");
    }

    [Test]
    public void Walk_PbscRoute_EndsWithTheDonorDonatedAndTheCaseClosed()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var id = Cases.Open(donor.Id, "BJ-TC-1", By).Id;

        Cases.ContactDonor(id, By);
        Cases.RecordConsent(id, By);
        Cases.RequestCtSample(id, By);
        Cases.RecordCtTyping(id, Volunteers.Typing(_fx.Today), By).State.Should().Be(CaseState.CtTyped);
        Cases.Select(id, By);
        Cases.RequestWorkup(id, By);
        Cases.HoldInformationSession(id, By);
        Cases.RecordMedicalExam(id, By);
        Cases.Clear(id, By);
        Cases.StartMobilization(id, By);
        Cases.StartApheresis(id, By);
        var collected = Cases.RecordCollection(id, _fx.Today, By);
        Cases.DeliverProduct(id, By);
        var closed = Cases.Close(id, By);

        collected.Product.Should().Be(DonationProduct.Pbsc);
        closed.State.Should().Be(CaseState.Closed);
        var after = _fx.Donors.Get(donor.Id);
        after.State.Should().Be(DonorState.Donated);
        after.LastDonation.Should().Be(new Donation(id, DonationProduct.Pbsc, _fx.Today));
        Cases.GetHistory(id).Select(t => t.Version).Should().Equal(Enumerable.Range(1, closed.Version));
    }

    [Test]
    public void Walk_MarrowRoute_RecordsABoneMarrowDonation()
    {
        var id = CaseAt(CaseState.Cleared);

        Cases.StartMarrowHarvest(id, By);
        var collected = Cases.RecordCollection(id, _fx.Today, By);

        collected.Product.Should().Be(DonationProduct.BoneMarrow);
        _fx.Donors.Get(collected.DonorId).LastDonation!.Product.Should().Be(DonationProduct.BoneMarrow);
    }

    [Test]
    public void RecordDecline_ReleasesTheDonorAndEndsTheCase()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var id = Cases.Open(donor.Id, "BJ-TC-2", By).Id;
        Cases.ContactDonor(id, By);

        var declined = Cases.RecordDecline(id, "家人反对", By);

        declined.State.Should().Be(CaseState.Declined);
        declined.EndReason.Should().Be("家人反对");
        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Available);
        var again = () => Cases.Cancel(id, "late", By);
        again.Should().Throw<InvalidCaseTransitionException>().WithMessage("*Allowed now: nothing (the case is closed).");
    }

    [Test]
    public void Cancel_DuringWorkup_ReleasesTheDonor()
    {
        var id = CaseAt(CaseState.MedicalExam);

        var cancelled = Cases.Cancel(id, "patient status changed", By);

        cancelled.State.Should().Be(CaseState.Cancelled);
        _fx.Donors.Get(cancelled.DonorId).State.Should().Be(DonorState.Available);
        Cases.GetHistory(id)[^1].Reason.Should().Be("patient status changed");
    }

    [Test]
    public void Cancel_AfterCollection_IsRefusedAndTheDonorStaysDonated()
    {
        var id = CaseAt(CaseState.Cleared);
        Cases.StartMobilization(id, By);
        Cases.StartApheresis(id, By);
        var collected = Cases.RecordCollection(id, _fx.Today, By);

        var act = () => Cases.Cancel(id, "too late", By);

        act.Should().Throw<InvalidCaseTransitionException>().WithMessage("Case * is Collected, where Cancel is not a valid step. Allowed now: DeliverProduct.");
        _fx.Donors.Get(collected.DonorId).State.Should().Be(DonorState.Donated);
    }

    [Test]
    public void RecordCtTyping_Discrepant_CancelsAsTypingQuestionableAndRemovesTheDonorWithTq()
    {
        var id = CaseAt(CaseState.CtSampleRequested);
        var listed = Volunteers.Typing(_fx.Today);
        var discrepant = listed with { Loci = new Dictionary<string, string>(listed.Loci) { ["B"] = "B*46:01+B*58:01" } };

        var result = Cases.RecordCtTyping(id, discrepant, By);

        result.State.Should().Be(CaseState.Cancelled);
        result.EndReason.Should().Be("typing questionable: confirmatory typing differs from the listed typing at B");
        var donor = _fx.Donors.Get(result.DonorId);
        donor.State.Should().Be(DonorState.Removed);
        donor.Removal.Should().Be(RemovalReason.TypingQuestionable);
    }

    [Test]
    public void RecordCtTyping_AtHigherResolution_AgreesWithTheListedTyping()
    {
        var id = CaseAt(CaseState.CtSampleRequested);
        var listed = Volunteers.Typing(_fx.Today);
        var highResolution = listed with { Loci = new Dictionary<string, string>(listed.Loci) { ["A"] = "A*11:01:01:01+A*24:02:01:01" } };

        Cases.RecordCtTyping(id, highResolution, By).State.Should().Be(CaseState.CtTyped);
    }

    [Test]
    public void RecordCtTyping_BeforeTheSampleWasRequested_IsRefusedWithoutCancelling()
    {
        var id = CaseAt(CaseState.Consented);

        var act = () => Cases.RecordCtTyping(id, Volunteers.Typing(_fx.Today), By);

        act.Should().Throw<InvalidCaseTransitionException>().Which.Permitted.Should().Contain(CaseTrigger.RequestCtSample);
        Cases.Get(id).State.Should().Be(CaseState.Consented);
    }

    [Test]
    public void Open_DonorNotAvailable_IsRefusedAndNoCaseIsStored()
    {
        var donor = _fx.DonorIn(DonorState.TemporarilyUnavailable);

        var act = () => Cases.Open(donor.Id, "BJ-TC-3", By);

        act.Should().Throw<InvalidDonorTransitionException>().Which.State.Should().Be(DonorState.TemporarilyUnavailable);
        Cases.FindByDonor(donor.Id).Should().BeEmpty();
        Cases.Open(_fx.DonorIn(DonorState.Available).Id, "BJ-TC-4", By).Id.Value.Should().Be("CASE-00000001", "a refused opening hands out no case number");
    }

    [Test]
    public void Open_MalformedPatientReference_IsRefused()
    {
        var donor = _fx.DonorIn(DonorState.Available);

        var act = () => Cases.Open(donor.Id, "张三 1990", By);

        act.Should().Throw<RegistryValidationException>().WithMessage("*'张三 1990' is not valid*");
        _fx.Donors.Get(donor.Id).State.Should().Be(DonorState.Available);
    }

    [Test]
    public void Step_UnknownCase_IsRefusedNamingTheCase()
    {
        var act = () => Cases.ContactDonor(new CaseReference("CASE-404"), By);

        act.Should().Throw<CaseNotFoundException>().WithMessage("No case CASE-404 is in this registry*");
    }

    [Test]
    public void Step_StaleExpectedVersion_IsRefusedAsConcurrent()
    {
        var id = Cases.Open(_fx.DonorIn(DonorState.Available).Id, "BJ-TC-5", By).Id;
        Cases.ContactDonor(id, By, expectedVersion: 1);

        var act = () => Cases.RecordConsent(id, By, expectedVersion: 1);

        act.Should().Throw<ConcurrentUpdateException>().Which.ActualVersion.Should().Be(2);
        Cases.Get(id).State.Should().Be(CaseState.DonorContacted);
    }

    [Test]
    public void Open_ReservedDonor_DropsOutOfTheSearchUntilReleased()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var request = new SearchRequest(HlaTyping.FromLoci(Volunteers.Typing(_fx.Today).Loci));
        _fx.Registry.Search.Find(request).Matches.Should().ContainSingle();

        var id = Cases.Open(donor.Id, "BJ-TC-6", By).Id;
        _fx.Registry.Search.Find(request).Matches.Should().BeEmpty();
        Cases.Cancel(id, "another donor chosen", By);

        _fx.Registry.Search.Find(request).Matches.Should().ContainSingle().Which.DonorId.Should().Be(donor.Id);
    }

    [Test]
    public void Reopen_KeepsCasesTheirHistoryAndTheCaseSequence()
    {
        var id = CaseAt(CaseState.Consented);
        var history = Cases.GetHistory(id);

        _fx.Reopen();

        Cases.Get(id).State.Should().Be(CaseState.Consented);
        Cases.GetHistory(id).Should().Equal(history);
        Cases.Open(_fx.DonorIn(DonorState.Available).Id, "BJ-TC-7", By).Id.Value.Should().Be("CASE-00000002");
    }

    [Test]
    public void ToMermaid_MatchesTheApprovedDiagramAndTheDocs()
    {
        var mermaid = CaseLifecycle.ToMermaid();

        Approvals.Verify(mermaid, Path.Combine(TestContext.CurrentContext.TestDirectory, "Cases", "CaseLifecycle.approved.mmd"), "Cases/CaseLifecycle.approved.mmd");
        File.ReadAllText(Path.Combine(Approvals.RepositoryRoot(), "docs", "lifecycle.md")).ReplaceLineEndings("\n")
            .Should().Contain(mermaid.ReplaceLineEndings("\n").Trim());
    }

    private CaseReference CaseAt(CaseState state)
    {
        var id = Cases.Open(_fx.DonorIn(DonorState.Available).Id, "BJ-TC-" + Guid.NewGuid().ToString("N")[..8], By).Id;
        var path = new (CaseState Reached, Action Step)[]
        {
            (CaseState.DonorContacted, () => Cases.ContactDonor(id, By)),
            (CaseState.Consented, () => Cases.RecordConsent(id, By)),
            (CaseState.CtSampleRequested, () => Cases.RequestCtSample(id, By)),
            (CaseState.CtTyped, () => Cases.RecordCtTyping(id, Volunteers.Typing(_fx.Today), By)),
            (CaseState.Selected, () => Cases.Select(id, By)),
            (CaseState.WorkupRequested, () => Cases.RequestWorkup(id, By)),
            (CaseState.InformationSession, () => Cases.HoldInformationSession(id, By)),
            (CaseState.MedicalExam, () => Cases.RecordMedicalExam(id, By)),
            (CaseState.Cleared, () => Cases.Clear(id, By)),
        };
        foreach (var (reached, step) in path)
        {
            if (Cases.Get(id).State == state)
            {
                break;
            }

            step();
            if (reached == state)
            {
                break;
            }
        }

        Cases.Get(id).State.Should().Be(state);
        return id;
    }
}
