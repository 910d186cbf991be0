using DonorRegistry.Donors;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

public sealed partial class DonorOperationsTests
{
    [Test]
    public void Defer_WithStaleExpectedVersion_IsRejectedAsConcurrentAndNothingChanges()
    {
        var donor = _fx.DonorIn(DonorState.Available);
        Donors.Reserve(donor.Id, new CaseReference("CASE-A"), "coordinator.zhang", expectedVersion: donor.Version);

        var act = () => Donors.Defer(donor.Id, _fx.Today.AddDays(5), "出差", "coordinator.li", expectedVersion: donor.Version);

        act.Should().Throw<ConcurrentUpdateException>()
            .WithMessage($"Donor {donor.Id} was expected at version {donor.Version} but is at version {donor.Version + 1}*")
            .Which.ActualVersion.Should().Be(donor.Version + 1);
        Donors.Get(donor.Id).State.Should().Be(DonorState.Reserved);
    }

    [Test]
    public void Reserve_TwoThreadsAtTheSameVersion_ExactlyOneWinsAndTheAuditHasOneRecord()
    {
        for (var round = 0; round < 20; round++)
        {
            var donor = _fx.DonorIn(DonorState.Available);
            using var start = new Barrier(2);
            var outcomes = new Exception?[2];
            var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    Donors.Reserve(donor.Id, new CaseReference($"CASE-{i}"), $"coordinator.{i}", expectedVersion: donor.Version);
                }
                catch (Exception e)
                {
                    outcomes[i] = e;
                }
            })).ToList();

            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            outcomes.Count(o => o is null).Should().Be(1, "one writer wins");
            outcomes.Single(o => o is not null).Should().BeOfType<ConcurrentUpdateException>();
            var stored = Donors.Get(donor.Id);
            stored.Version.Should().Be(donor.Version + 1);
            Donors.GetHistory(donor.Id).Should().HaveCount(stored.Version);
        }
    }

    [Test]
    public void Verbs_ManyThreadsOnManyDonors_KeepEveryVersionPairedWithOneAuditRecord()
    {
        var ids = Enumerable.Range(0, 8).Select(_ => _fx.DonorIn(DonorState.Available).Id).ToList();

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var id = ids[i % ids.Count];
            try
            {
                if (Donors.Get(id).State == DonorState.Available)
                {
                    Donors.Defer(id, _fx.Today.AddDays(7), "考试", $"worker.{i}");
                }
                else
                {
                    Donors.EndDeferral(id, $"worker.{i}");
                }
            }
            catch (InvalidDonorTransitionException)
            {
                // Another worker moved the donor between our read and our write: the refusal is correct.
            }
        });

        foreach (var id in ids)
        {
            var donor = Donors.Get(id);
            Donors.GetHistory(id).Select(t => t.Version).Should().Equal(Enumerable.Range(1, donor.Version));
        }
    }
}
