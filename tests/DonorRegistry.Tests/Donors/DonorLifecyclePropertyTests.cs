using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

public sealed class DonorLifecyclePropertyTests
{
    private static readonly DonorTrigger[] Steps = Enum.GetValues<DonorTrigger>().Where(t => t != DonorTrigger.Enrol).ToArray();

    [Test]
    public void RandomStepSequences_NeverLeaveTheDiagramAndKeepVersionAndAuditPaired()
    {
        var sequences = Gen.Elements(Steps).ListOf().Select(steps => steps.Take(40).ToArray());

        var property = Prop.ForAll(Arb.From(sequences), steps =>
        {
            using var fx = new RegistryFixture(inMemory: true);
            var id = fx.Enrol().Id;
            foreach (var step in steps)
            {
                var before = fx.Donors.Get(id);
                try
                {
                    var (after, fired) = Act(fx, id, step);
                    if (fired is { } trigger)
                    {
                        var expected = LifecycleSpec.Target(before.State, trigger);
                        expected.Should().NotBeNull($"{trigger} from {before.State} is not in the diagram but was allowed");
                        after.State.Should().Be(expected!.Value);
                        after.Version.Should().Be(before.Version + 1);
                    }
                    else
                    {
                        after.Should().BeEquivalentTo(before, "the calendar had nothing to do");
                    }
                }
                catch (InvalidDonorTransitionException)
                {
                    // A refused step stores nothing.
                    fx.Donors.Get(id).Should().BeEquivalentTo(before);
                }

                var now = fx.Donors.Get(id);
                Enum.IsDefined(now.State).Should().BeTrue();
                fx.Donors.GetHistory(id).Select(t => t.Version).Should().Equal(Enumerable.Range(1, now.Version));
                fx.Clock.Advance(TimeSpan.FromDays(40));
            }
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60), property);
    }

    /// <summary>Takes one step; returns the donor after it and the trigger that fired (null when the calendar had nothing to do).</summary>
    private static (Donor Donor, DonorTrigger? Fired) Act(RegistryFixture fx, DonorId id, DonorTrigger step)
    {
        const string By = "property";
        var today = fx.Today;
        if (step == DonorTrigger.EndRecovery)
        {
            // EndRecovery is the calendar's: apply the calendar, which may also end a deferral.
            var change = fx.Donors.ApplyCalendar(fx.Clock.GetUtcNow()).SingleOrDefault(c => c.DonorId == id);
            return (fx.Donors.Get(id), change?.Trigger);
        }

        var donor = step switch
        {
            DonorTrigger.ScreenOut => fx.Donors.ScreenOut(id, "screening", By),
            DonorTrigger.Rescreen => fx.Donors.Rescreen(id, By),
            DonorTrigger.CollectSample => fx.Donors.RecordSampleCollected(id, null, By),
            DonorTrigger.RejectSample => fx.Donors.RecordSampleRejected(id, "lost in transit", By),
            DonorTrigger.RecordTyping => fx.Donors.RecordTyping(id, Volunteers.Typing(today), By),
            DonorTrigger.List => fx.Donors.List(id, By),
            DonorTrigger.Defer => fx.Donors.Defer(id, today.AddDays(20), "travel", By),
            DonorTrigger.EndDeferral => fx.Donors.EndDeferral(id, By),
            DonorTrigger.Reserve => fx.Donors.Reserve(id, new CaseReference("CASE-P"), By),
            DonorTrigger.Release => fx.Donors.Release(id, By),
            DonorTrigger.RecordDonation => fx.Donors.RecordDonation(id, DonationProduct.Lymphocytes, today, By),
            DonorTrigger.Remove => fx.Donors.Remove(id, RemovalReason.Moved, null, By),
            DonorTrigger.Reactivate => fx.Donors.Reactivate(id, By),
            DonorTrigger.Withdraw => fx.Donors.Withdraw(id, By),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
        };
        return (donor, step);
    }
}
