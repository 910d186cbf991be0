using DonorRegistry.Donors;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

public sealed partial class DonorOperationsTests
{
    [Test]
    public void ApplyCalendar_DeferralWhoseLastDayPassed_ReturnsTheDonorToAvailable()
    {
        var donor = Donors.Defer(_fx.DonorIn(DonorState.Available).Id, _fx.Today.AddDays(10), "出国交流", By);

        _fx.Clock.Advance(TimeSpan.FromDays(10));
        Donors.ApplyCalendar(_fx.Clock.GetUtcNow()).Should().BeEmpty("the 10th day is still the deferral's last day");

        _fx.Clock.Advance(TimeSpan.FromDays(1));
        var changes = Donors.ApplyCalendar(_fx.Clock.GetUtcNow());

        changes.Should().ContainSingle().Which.Should().Be(new CalendarChange(
            donor.Id, DonorState.TemporarilyUnavailable, DonorState.Available, DonorTrigger.EndDeferral, "deferral until 2026-12-09 ended"));
        var after = Donors.Get(donor.Id);
        after.State.Should().Be(DonorState.Available);
        after.DeferredUntil.Should().BeNull();
        Donors.GetHistory(donor.Id)[^1].Actor.Should().Be("calendar");
    }

    [Test]
    public void ApplyCalendar_RecoveryPeriodOver_ReturnsTheDonorToAvailable()
    {
        var donor = _fx.DonorIn(DonorState.Donated);
        _fx.Clock.Advance(TimeSpan.FromDays(91));

        var changes = Donors.ApplyCalendar(_fx.Clock.GetUtcNow());

        changes.Should().ContainSingle().Which.Trigger.Should().Be(DonorTrigger.EndRecovery);
        Donors.Get(donor.Id).State.Should().Be(DonorState.Available);
    }

    [Test]
    public void ApplyCalendar_RecoveryNotYetOver_ChangesNothing()
    {
        var donor = _fx.DonorIn(DonorState.Donated);
        _fx.Clock.Advance(TimeSpan.FromDays(60));

        Donors.ApplyCalendar(_fx.Clock.GetUtcNow()).Should().BeEmpty();
        Donors.Get(donor.Id).Should().BeEquivalentTo(donor);
    }

    [Test]
    public void ApplyCalendar_ListedDonorsAtLeavingAge_AreRemovedTooOldButReservedDonorsFinishTheirCase()
    {
        var available = _fx.DonorIn(DonorState.Available);
        var deferred = _fx.DonorIn(DonorState.TemporarilyUnavailable);
        var reserved = _fx.DonorIn(DonorState.Reserved);
        var enrolled = _fx.DonorIn(DonorState.Enrolled);
        _fx.Clock.Advance(TimeSpan.FromDays(365.25 * 43));

        var changes = Donors.ApplyCalendar(_fx.Clock.GetUtcNow());

        changes.Where(c => c.Trigger == DonorTrigger.Remove).Select(c => c.DonorId).Should().BeEquivalentTo([available.Id, deferred.Id]);
        Donors.Get(available.Id).Removal.Should().Be(RemovalReason.TooOld);
        Donors.Get(deferred.Id).State.Should().Be(DonorState.Removed);
        Donors.Get(reserved.Id).State.Should().Be(DonorState.Reserved);
        Donors.Get(enrolled.Id).State.Should().Be(DonorState.Enrolled);
        Donors.GetHistory(available.Id)[^1].Reason.Should().Be("DO: reached the leaving age 60");
    }

    [Test]
    public void ApplyCalendar_Twice_ChangesNothingTheSecondTime()
    {
        Donors.Defer(_fx.DonorIn(DonorState.Available).Id, _fx.Today, "体检", By);
        _fx.DonorIn(DonorState.Donated);
        _fx.Clock.Advance(TimeSpan.FromDays(120));
        var first = Donors.ApplyCalendar(_fx.Clock.GetUtcNow());
        var versions = Donors.FindByState(DonorState.Available).Select(d => d.Version).ToList();

        var second = Donors.ApplyCalendar(_fx.Clock.GetUtcNow());

        first.Should().HaveCount(2);
        second.Should().BeEmpty();
        Donors.FindByState(DonorState.Available).Select(d => d.Version).Should().Equal(versions);
    }

    [Test]
    public void ApplyCalendar_AsOfTheFuture_IsRejected()
    {
        var act = () => Donors.ApplyCalendar(_fx.Clock.GetUtcNow().AddDays(1));

        act.Should().Throw<RegistryValidationException>().WithMessage("*after now*");
    }

    [Test]
    public void ApplyCalendar_InBeijingTime_EndsADeferralAtLocalMidnight()
    {
        using var fx = new Support.RegistryFixture(inMemory: true, configure: o => o.TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var donor = fx.Donors.Defer(fx.DonorIn(DonorState.Available).Id, new DateOnly(2026, 11, 30), "出差", By);

        // 2026-11-30 16:30 UTC is 2026-12-01 00:30 in Beijing: the deferral's last day has passed there.
        fx.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 16, 30, 0, TimeSpan.Zero));

        fx.Donors.ApplyCalendar(fx.Clock.GetUtcNow()).Should().ContainSingle().Which.DonorId.Should().Be(donor.Id);
    }

    [Test]
    public void ApplyCalendar_AfterReopeningWithAnEarlierLeavingAge_RemovesDonorsPastTheNewAge()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        var age = donor.AgeOn(_fx.Today);
        _fx.Clock.Advance(TimeSpan.FromDays(365.25 * (50 - age) + 2));
        Donors.ApplyCalendar(_fx.Clock.GetUtcNow()).Should().BeEmpty("at 50 the donor is below the default leaving age 60");
        _fx.Registry.Dispose();

        var options = _fx.Options();
        options.Eligibility = new EligibilityPolicy { LeavingAge = 50 };
        using var reopened = Registry.Open(options);

        var changes = reopened.Donors.ApplyCalendar(_fx.Clock.GetUtcNow());

        changes.Should().ContainSingle().Which.Should().Match<CalendarChange>(c => c.DonorId == donor.Id && c.Trigger == DonorTrigger.Remove);
        reopened.Donors.Get(donor.Id).Removal.Should().Be(RemovalReason.TooOld);
        reopened.Dispose();
        _fx.Open();
    }
}
