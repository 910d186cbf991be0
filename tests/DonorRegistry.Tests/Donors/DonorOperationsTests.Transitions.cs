using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

public sealed partial class DonorOperationsTests
{
    private const string By = "coordinator.li";

    /// <summary>The verbs a coordinator can call on a stored donor (Enrol creates one; EndRecovery is the calendar's).</summary>
    private static readonly DonorTrigger[] Verbs = Enum.GetValues<DonorTrigger>()
        .Where(t => t is not DonorTrigger.Enrol and not DonorTrigger.EndRecovery).ToArray();

    private static IEnumerable<TestCaseData> StoredStatesAndVerbs() =>
        from state in Enum.GetValues<DonorState>().Where(s => s != DonorState.Prospect)
        from verb in Verbs
        select new TestCaseData(state, verb).SetName($"Verb_{verb}_On{state}Donor");

    [TestCaseSource(nameof(StoredStatesAndVerbs))]
    public void Verb_OnStoredDonorInEveryState_FollowsTheTableAndAuditsOrStoresNothing(DonorState state, DonorTrigger verb)
    {
        using var fx = new RegistryFixture(inMemory: true);
        var donor = fx.DonorIn(state);
        var historyBefore = fx.Donors.GetHistory(donor.Id);
        var expected = LifecycleSpec.Target(state, verb);

        var act = () => Call(fx, donor.Id, verb);

        if (expected is { } to)
        {
            var after = act();
            after.State.Should().Be(to);
            after.Version.Should().Be(donor.Version + 1);
            fx.Donors.Get(donor.Id).Should().BeEquivalentTo(after);
            var last = fx.Donors.GetHistory(donor.Id)[^1];
            last.Should().Match<DonorRegistry.Audit.AuditRecord>(t => t.From == state.ToString() && t.To == to.ToString() && t.Action == verb.ToString() && t.Actor == By && t.Version == after.Version);
        }
        else
        {
            act.Should().Throw<InvalidDonorTransitionException>().Which.State.Should().Be(state);
            fx.Donors.Get(donor.Id).Should().BeEquivalentTo(donor);
            fx.Donors.GetHistory(donor.Id).Should().Equal(historyBefore);
        }
    }

    [Test]
    public void Walk_FromEnrolmentToDonationAndBack_RecordsEveryStepInOrder()
    {
        var id = _fx.Enrol().Id;
        var donationDay = _fx.Today;
        Donors.RecordSampleCollected(id, "TUBE-0001", By);
        Donors.RecordTyping(id, Volunteers.Typing(_fx.Today), By);
        Donors.List(id, By);
        Donors.Reserve(id, new CaseReference("CASE-2026-017"), By);
        Donors.RecordDonation(id, DonationProduct.Pbsc, _fx.Today, By);
        _fx.Clock.Advance(TimeSpan.FromDays(93));
        Donors.ApplyCalendar(_fx.Clock.GetUtcNow());

        var history = Donors.GetHistory(id);

        history.Select(t => t.To).Should().Equal(
            nameof(DonorState.Enrolled), nameof(DonorState.SampleCollected), nameof(DonorState.Typed), nameof(DonorState.Available),
            nameof(DonorState.Reserved), nameof(DonorState.Donated), nameof(DonorState.Available));
        history.Select(t => t.Version).Should().Equal(1, 2, 3, 4, 5, 6, 7);
        history[5].Reason.Should().Be("Pbsc collected 2026-11-29");
        Donors.Get(id).LastDonation.Should().Be(new Donation(new CaseReference("CASE-2026-017"), DonationProduct.Pbsc, donationDay));
    }

    [Test]
    public void Defer_EndDateInThePast_IsRejectedAndNothingChanges()
    {
        var donor = _fx.DonorIn(DonorState.Available);

        var act = () => Donors.Defer(donor.Id, _fx.Today.AddDays(-1), "出差", By);

        act.Should().Throw<RegistryValidationException>().WithMessage("until '2026-11-28' is outside 2026-11-29 to 2036-11-29; a deferral ends today or later, within ten years.");
        Donors.Get(donor.Id).Should().BeEquivalentTo(donor);
    }

    [Test]
    public void Defer_AgainWhileDeferred_MovesTheEndDate()
    {
        var donor = _fx.DonorIn(DonorState.TemporarilyUnavailable);

        var again = Donors.Defer(donor.Id, _fx.Today.AddDays(90), "怀孕", By);

        again.State.Should().Be(DonorState.TemporarilyUnavailable);
        again.DeferredUntil.Should().Be(_fx.Today.AddDays(90));
        again.StatusNote.Should().Be("怀孕");
        again.StateSince.Should().Be(donor.StateSince);
    }

    [Test]
    public void RecordSampleRejected_SendsTheDonorBackToWaitForANewSample()
    {
        var donor = _fx.DonorIn(DonorState.SampleCollected);

        var after = Donors.RecordSampleRejected(donor.Id, "haemolysed", By);

        after.State.Should().Be(DonorState.Enrolled);
        after.StatusNote.Should().Be("sample rejected: haemolysed");
        after.SampleReference.Should().BeNull();
        Donors.RecordSampleCollected(donor.Id, "TUBE-NEW", By).SampleReference.Should().Be("TUBE-NEW");
    }

    [Test]
    public void Remove_WithReasonCode_KeepsTheWmdaReason()
    {
        var donor = _fx.DonorIn(DonorState.Available);

        var removed = Donors.Remove(donor.Id, RemovalReason.UnableToContact, "三次电话未接通", By);

        removed.Removal.Should().Be(RemovalReason.UnableToContact);
        removed.RemovedOn.Should().Be(_fx.Today);
        removed.WmdaStatus.Should().Be(WmdaStatus.DE);
        Donors.GetHistory(donor.Id)[^1].Reason.Should().Be("UC: 三次电话未接通");
    }

    [Test]
    public void Reactivate_AfterRemovalForDeath_IsRefusedWithTheReason()
    {
        var donor = Donors.Remove(_fx.DonorIn(DonorState.Available).Id, RemovalReason.Died, null, By);

        var act = () => Donors.Reactivate(donor.Id, By);

        act.Should().Throw<InvalidDonorTransitionException>().WithMessage("*is Removed and cannot Reactivate now: removal reason allows reactivation*");
    }

    [Test]
    public void RecordTyping_MissingRequiredLocus_IsRejectedNamingTheLocus()
    {
        var donor = _fx.DonorIn(DonorState.SampleCollected);
        var typing = Volunteers.Typing(_fx.Today);
        var loci = typing.Loci.Where(kv => kv.Key != "DRB1").ToDictionary();

        var act = () => Donors.RecordTyping(donor.Id, typing with { Loci = loci }, By);

        act.Should().Throw<RegistryValidationException>().WithMessage("*lacks locus DRB1*");
        Donors.Get(donor.Id).State.Should().Be(DonorState.SampleCollected);
    }

    [Test]
    public void RecordTyping_UnknownLocus_IsRejected()
    {
        var donor = _fx.DonorIn(DonorState.SampleCollected);
        var typing = Volunteers.Typing(_fx.Today);
        var loci = new Dictionary<string, string>(typing.Loci) { ["KIR"] = "2DL1" };

        var act = () => Donors.RecordTyping(donor.Id, typing with { Loci = loci }, By);

        act.Should().Throw<RegistryValidationException>().WithMessage("Typing.Loci 'KIR' is not a locus the registry types*");
    }

    [Test]
    public void RecordTyping_MalformedAlleleName_IsRejectedNamingThePositionAndNothingChanges()
    {
        var donor = _fx.DonorIn(DonorState.SampleCollected);
        var typing = Volunteers.Typing(_fx.Today);
        var loci = new Dictionary<string, string>(typing.Loci) { ["B"] = "B*46:01+B*4:01" };

        var act = () => Donors.RecordTyping(donor.Id, typing with { Loci = loci }, By);

        act.Should().Throw<DonorRegistry.Hla.HlaParseException>().WithMessage("'B*46:01+B*4:01' is not a valid HLA name at position 11*");
        Donors.Get(donor.Id).Should().BeEquivalentTo(donor);
    }

    [Test]
    public void RecordTyping_MultipleAlleleCode_IsAcceptedWhenTheRegistryHasTheCodeTable()
    {
        var macs = DonorRegistry.Hla.MacTable.FromCodes([new KeyValuePair<string, string>("AB", "01/02")]);
        using var fx = new RegistryFixture(inMemory: true, configure: o => o.Hla = DonorRegistry.Hla.HlaReference.None.WithMacTable(macs));
        var donor = fx.DonorIn(DonorState.SampleCollected);
        var typing = Volunteers.Typing(fx.Today);
        var loci = new Dictionary<string, string>(typing.Loci) { ["A"] = "A*02:AB+A*24:02" };

        fx.Donors.RecordTyping(donor.Id, typing with { Loci = loci }, By).Typing!.Loci["A"].Should().Be("A*02:AB+A*24:02");
        var without = () => Donors.RecordTyping(_fx.DonorIn(DonorState.SampleCollected).Id, typing with { Loci = loci }, By);
        without.Should().Throw<DonorRegistry.Hla.HlaParseException>().WithMessage("*no MAC table is loaded*");
    }

    [Test]
    public void AnyVerb_UnknownDonor_IsRejectedNamingTheId()
    {
        var act = () => Donors.List(new DonorId(404), By);

        act.Should().Throw<DonorNotFoundException>().WithMessage("No donor DR-00000404 is in this registry*")
            .Which.DonorId.Should().Be(new DonorId(404));
    }

    [Test]
    public void GetPermittedActions_OfATypedDonorAtLeavingAge_ShowsListBlockedWithTheReason()
    {
        var donor = _fx.DonorIn(DonorState.Typed);
        _fx.Clock.Advance(TimeSpan.FromDays(365.25 * 45));

        var actions = Donors.GetPermittedActions(donor.Id);

        actions.Should().ContainEquivalentOf(new PermittedAction(DonorTrigger.List, false, ["younger than the leaving age 60"])
        {
            Guards = [new UnmetGuard(GuardCode.BelowLeavingAge, "younger than the leaving age 60", new Dictionary<string, string> { [ValidationArgument.Max] = "60" })],
        });
        actions.Should().ContainEquivalentOf(new PermittedAction(DonorTrigger.Withdraw, true, []));
    }

    [Test]
    public void CountByState_MixedRegistry_CountsEveryState()
    {
        _fx.DonorIn(DonorState.Available);
        _fx.DonorIn(DonorState.Available);
        _fx.DonorIn(DonorState.Withdrawn);

        var counts = Donors.CountByState();

        counts.Keys.Should().BeEquivalentTo(Enum.GetValues<DonorState>());
        counts[DonorState.Available].Should().Be(2);
        counts[DonorState.Withdrawn].Should().Be(1);
        counts[DonorState.Reserved].Should().Be(0);
        Donors.FindByState(DonorState.Available).Should().HaveCount(2);
    }

    private static Donor Call(RegistryFixture fx, DonorId id, DonorTrigger verb) => verb switch
    {
        DonorTrigger.ScreenOut => fx.Donors.ScreenOut(id, "低血红蛋白", By),
        DonorTrigger.Rescreen => fx.Donors.Rescreen(id, By),
        DonorTrigger.CollectSample => fx.Donors.RecordSampleCollected(id, "TUBE-X", By),
        DonorTrigger.RejectSample => fx.Donors.RecordSampleRejected(id, "haemolysed", By),
        DonorTrigger.RecordTyping => fx.Donors.RecordTyping(id, Volunteers.Typing(fx.Today), By),
        DonorTrigger.List => fx.Donors.List(id, By),
        DonorTrigger.Defer => fx.Donors.Defer(id, fx.Today.AddDays(14), "考试周", By),
        DonorTrigger.EndDeferral => fx.Donors.EndDeferral(id, By),
        DonorTrigger.Reserve => fx.Donors.Reserve(id, new CaseReference("CASE-X"), By),
        DonorTrigger.Release => fx.Donors.Release(id, By),
        DonorTrigger.RecordDonation => fx.Donors.RecordDonation(id, DonationProduct.BoneMarrow, fx.Today, By),
        DonorTrigger.Remove => fx.Donors.Remove(id, RemovalReason.Personal, null, By),
        DonorTrigger.Reactivate => fx.Donors.Reactivate(id, By),
        DonorTrigger.Withdraw => fx.Donors.Withdraw(id, By),
        _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, "Not a verb on a stored donor."),
    };
}
