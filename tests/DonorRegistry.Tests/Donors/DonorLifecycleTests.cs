using DonorRegistry.Donors;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

public sealed class DonorLifecycleTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);
    private static readonly EligibilityPolicy Policy = new();

    private static IEnumerable<TestCaseData> EveryStateAndTrigger() =>
        from state in Enum.GetValues<DonorState>()
        from trigger in Enum.GetValues<DonorTrigger>()
        select new TestCaseData(state, trigger).SetName($"Fire_{trigger}_From{state}");

    [TestCaseSource(nameof(EveryStateAndTrigger))]
    public void Fire_EveryTriggerFromEveryState_FollowsTheDomainTable(DonorState state, DonorTrigger trigger)
    {
        var donor = DonorIn(state);
        var expected = LifecycleSpec.Target(state, trigger);

        var fire = () => Fire(DonorLifecycle.For(donor, Policy, Today), trigger);

        if (expected is { } to)
        {
            fire();
            donor.State.Should().Be(to);
        }
        else
        {
            fire.Should().Throw<InvalidDonorTransitionException>()
                .Which.Should().Match<InvalidDonorTransitionException>(e => e.State == state && e.Trigger == trigger && e.DonorId == donor.Id);
            donor.State.Should().Be(state);
        }
    }

    [Test]
    public void Fire_ForbiddenTrigger_MessageNamesDonorStateTriggerAndWhatIsAllowed()
    {
        var donor = DonorIn(DonorState.Enrolled);

        var act = () => DonorLifecycle.For(donor, Policy, Today).List();

        act.Should().Throw<InvalidDonorTransitionException>()
            .WithMessage($"Donor {donor.Id} is Enrolled, where List is not a valid step. Allowed now: ScreenOut, CollectSample, Withdraw.");
    }

    [Test]
    public void Withdraw_FromWithdrawn_SaysTheStateIsTerminal()
    {
        var donor = DonorIn(DonorState.Withdrawn);

        var act = () => DonorLifecycle.For(donor, Policy, Today).Withdraw();

        act.Should().Throw<InvalidDonorTransitionException>().WithMessage("*Allowed now: nothing (the state is terminal).");
    }

    [Test]
    public void EndRecovery_BeforeRecoveryEnds_IsBlockedWithTheGuardInTheMessage()
    {
        var donor = DonorIn(DonorState.Donated);
        donor.RecoveryUntil = Today.AddDays(1);

        var act = () => DonorLifecycle.For(donor, Policy, Today).EndRecovery();

        act.Should().Throw<InvalidDonorTransitionException>()
            .Which.UnmetGuards.Should().Equal("recovery period over");
    }

    [Test]
    public void Reactivate_AfterDeath_IsBlockedBecauseTheReasonForbidsIt()
    {
        var donor = DonorIn(DonorState.Removed);
        donor.Removal = RemovalReason.Died;

        var act = () => DonorLifecycle.For(donor, Policy, Today).Reactivate();

        act.Should().Throw<InvalidDonorTransitionException>()
            .WithMessage("*cannot Reactivate now: removal reason allows reactivation*");
    }

    [Test]
    public void EveryDonorGuard_CarriesItsCodeAndArguments_BesideItsWords()
    {
        Guards(DonorIn(DonorState.Ineligible, birth: Today.AddYears(-46)), l => l.Rescreen())
            .Should().ContainSingle().Which.Should().BeEquivalentTo(new { Code = GuardCode.JoinAge, Text = "aged 18 to 45", Arguments = new Dictionary<string, string> { ["min"] = "18", ["max"] = "45" } });
        Guards(DonorIn(DonorState.Typed, birth: Today.AddYears(-60)), l => l.List())
            .Should().ContainSingle().Which.Should().BeEquivalentTo(new { Code = GuardCode.BelowLeavingAge, Text = "younger than the leaving age 60", Arguments = new Dictionary<string, string> { ["max"] = "60" } });
        var recovering = DonorIn(DonorState.Donated);
        recovering.RecoveryUntil = Today.AddDays(1);
        Guards(recovering, l => l.EndRecovery()).Select(g => g.Code).Should().Equal(GuardCode.RecoveryOver);
        var died = DonorIn(DonorState.Removed);
        died.Removal = RemovalReason.Died;
        Guards(died, l => l.Reactivate()).Select(g => g.Code).Should().Equal(GuardCode.RemovalAllowsReactivation);

        var refused = Catch(DonorIn(DonorState.Typed, birth: Today.AddYears(-60)), l => l.List());
        refused.Guards.Select(g => g.Text).Should().Equal(refused.UnmetGuards, "the codes are in the order of the words");
        Catch(DonorIn(DonorState.Enrolled), l => l.List()).Guards.Should().BeEmpty("a step the state does not know has no guard");
        new InvalidDonorTransitionException(new DonorId(1), DonorState.Typed, DonorTrigger.List, [], ["a host's words"]).Guards
            .Should().ContainSingle().Which.Code.Should().Be(GuardCode.Unspecified);
    }

    [Test]
    public void ABlockedAction_CarriesTheGuardsCodes()
    {
        var list = DonorLifecycle.For(DonorIn(DonorState.Typed, birth: Today.AddYears(-60)), Policy, Today).Actions().Single(a => a.Trigger == DonorTrigger.List);

        list.IsAllowed.Should().BeFalse();
        list.Guards.Should().ContainSingle().Which.Code.Should().Be(GuardCode.BelowLeavingAge);
        list.Guards.Select(g => g.Text).Should().Equal(list.BlockedBecause);
        new PermittedAction(DonorTrigger.List, false, ["a host's words"]).Guards.Should().ContainSingle().Which.Should().Be(UnmetGuard.Uncoded("a host's words"));
    }

    private static InvalidDonorTransitionException Catch(Donor donor, Action<DonorLifecycle> fire)
    {
        var act = () => fire(DonorLifecycle.For(donor, Policy, Today));
        return act.Should().Throw<InvalidDonorTransitionException>().Which;
    }

    private static IReadOnlyList<UnmetGuard> Guards(Donor donor, Action<DonorLifecycle> fire) => Catch(donor, fire).Guards;

    [Test]
    public void Reactivate_AtLeavingAge_IsBlockedByAge()
    {
        var donor = DonorIn(DonorState.Removed, birth: Today.AddYears(-60));

        var act = () => DonorLifecycle.For(donor, Policy, Today).Reactivate();

        act.Should().Throw<InvalidDonorTransitionException>().Which.UnmetGuards.Should().Equal("younger than the leaving age 60");
    }

    [Test]
    public void List_AtLeavingAge_IsBlockedByAge()
    {
        var donor = DonorIn(DonorState.Typed, birth: Today.AddYears(-60));

        var act = () => DonorLifecycle.For(donor, Policy, Today).List();

        act.Should().Throw<InvalidDonorTransitionException>().Which.UnmetGuards.Should().Equal("younger than the leaving age 60");
    }

    [Test]
    public void Rescreen_AfterPassingTheJoinAge_IsBlockedByAge()
    {
        var donor = DonorIn(DonorState.Ineligible, birth: Today.AddYears(-46));

        var act = () => DonorLifecycle.For(donor, Policy, Today).Rescreen();

        act.Should().Throw<InvalidDonorTransitionException>().Which.UnmetGuards.Should().Equal("aged 18 to 45");
    }

    [Test]
    public void RecordDonation_Pbsc_RestsThreeMonthsByDefault()
    {
        var donor = DonorIn(DonorState.Reserved);

        DonorLifecycle.For(donor, Policy, Today).RecordDonation(new Donation(new CaseReference("C-1"), DonationProduct.Pbsc, Today));

        donor.RecoveryUntil.Should().Be(Today.AddMonths(3));
        donor.LastDonation!.Case.Should().Be(new CaseReference("C-1"));
        donor.WmdaStatus.Should().Be(WmdaStatus.TU);
    }

    [Test]
    public void RecordDonation_Lymphocytes_RestsOneMonthByDefault()
    {
        var donor = DonorIn(DonorState.Reserved);

        DonorLifecycle.For(donor, Policy, Today).RecordDonation(new Donation(new CaseReference("C-1"), DonationProduct.Lymphocytes, Today));

        donor.RecoveryUntil.Should().Be(Today.AddMonths(1));
    }

    [TestCase(DonorState.Available, WmdaStatus.AV)]
    [TestCase(DonorState.TemporarilyUnavailable, WmdaStatus.TU)]
    [TestCase(DonorState.Reserved, WmdaStatus.RS)]
    [TestCase(DonorState.Donated, WmdaStatus.TU)]
    [TestCase(DonorState.Removed, WmdaStatus.DE)]
    [TestCase(DonorState.Withdrawn, WmdaStatus.DE)]
    public void WmdaStatus_OfListedStates_IsTheWmdaCode(DonorState state, WmdaStatus code) =>
        DonorIn(state).WmdaStatus.Should().Be(code);

    [TestCase(DonorState.Prospect)]
    [TestCase(DonorState.Enrolled)]
    [TestCase(DonorState.Ineligible)]
    [TestCase(DonorState.SampleCollected)]
    [TestCase(DonorState.Typed)]
    public void WmdaStatus_BeforeListing_IsNone(DonorState state) =>
        DonorIn(state).WmdaStatus.Should().BeNull();

    [Test]
    public void WmdaStatusFor_AnotherCase_IsReservedForAnotherPatient()
    {
        var donor = DonorIn(DonorState.Available);
        DonorLifecycle.For(donor, Policy, Today).Reserve(new CaseReference("C-1"));

        donor.WmdaStatusFor(new CaseReference("C-1")).Should().Be(WmdaStatus.RS);
        donor.WmdaStatusFor(new CaseReference("C-2")).Should().Be(WmdaStatus.OP);
    }

    [Test]
    public void For_TwoDonorsInTurnOnOneThread_EachStepChangesOnlyItsOwnDonor()
    {
        var first = DonorIn(DonorState.Available);
        var second = new Donor(new DonorId(8), new DonorProfile(Sex.Female, Today.AddYears(-30)), default) { State = DonorState.Available };

        DonorLifecycle.For(first, Policy, Today).Defer(Today.AddDays(5), "travel");
        DonorLifecycle.For(second, Policy, Today).Reserve(new CaseReference("C-2"));

        first.Should().Match<Donor>(d => d.State == DonorState.TemporarilyUnavailable && d.ReservedFor == null && d.StatusNote == "travel");
        second.Should().Match<Donor>(d => d.State == DonorState.Reserved && d.DeferredUntil == null && d.ReservedFor == new CaseReference("C-2"));
    }

    [Test]
    public void For_AnotherPolicy_JudgesGuardsByThatPolicy()
    {
        var donor = DonorIn(DonorState.Typed, birth: Today.AddYears(-60));
        var nmdp = new EligibilityPolicy { MaximumJoinAge = 40, LeavingAge = 61 };

        DonorLifecycle.For(donor, nmdp, Today).List();

        donor.State.Should().Be(DonorState.Available, "at 60 a donor may still be listed where donors leave at 61");
        var act = () => DonorLifecycle.For(DonorIn(DonorState.Typed, birth: Today.AddYears(-60)), Policy, Today).List();
        act.Should().Throw<InvalidDonorTransitionException>();
    }

    internal static Donor DonorIn(DonorState state, DateOnly? birth = null)
    {
        var donor = new Donor(new DonorId(7), new DonorProfile(Sex.Male, birth ?? Today.AddYears(-25)), default) { State = state };
        switch (state)
        {
            case DonorState.Donated:
                donor.RecoveryUntil = Today.AddDays(-1);
                donor.LastDonation = new Donation(new CaseReference("C-0"), DonationProduct.Pbsc, Today.AddMonths(-3));
                break;
            case DonorState.Removed:
                donor.Removal = RemovalReason.Moved;
                break;
            case DonorState.Reserved:
                donor.ReservedFor = new CaseReference("C-0");
                break;
        }

        return donor;
    }

    internal static void Fire(DonorLifecycle lifecycle, DonorTrigger trigger)
    {
        switch (trigger)
        {
            case DonorTrigger.Enrol: lifecycle.Enrol(); break;
            case DonorTrigger.ScreenOut: lifecycle.ScreenOut("low haemoglobin"); break;
            case DonorTrigger.Rescreen: lifecycle.Rescreen(); break;
            case DonorTrigger.CollectSample: lifecycle.CollectSample("TUBE-1"); break;
            case DonorTrigger.RejectSample: lifecycle.RejectSample("haemolysed"); break;
            case DonorTrigger.RecordTyping: lifecycle.RecordTyping(DonorRegistry.FakeData.Volunteers.Typing(Today)); break;
            case DonorTrigger.List: lifecycle.List(); break;
            case DonorTrigger.Defer: lifecycle.Defer(Today.AddDays(10), "travel"); break;
            case DonorTrigger.EndDeferral: lifecycle.EndDeferral(); break;
            case DonorTrigger.Reserve: lifecycle.Reserve(new CaseReference("C-9")); break;
            case DonorTrigger.Release: lifecycle.Release(); break;
            case DonorTrigger.RecordDonation: lifecycle.RecordDonation(new Donation(new CaseReference("C-9"), DonationProduct.Pbsc, Today)); break;
            case DonorTrigger.EndRecovery: lifecycle.EndRecovery(); break;
            case DonorTrigger.Remove: lifecycle.Remove(RemovalReason.Personal, null); break;
            case DonorTrigger.Reactivate: lifecycle.Reactivate(); break;
            case DonorTrigger.Withdraw: lifecycle.Withdraw(); break;
            default: throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "A trigger this test does not know: add it.");
        }
    }
}
