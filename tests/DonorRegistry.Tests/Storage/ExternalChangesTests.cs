using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Hla;
using DonorRegistry.Search;
using DonorRegistry.Storage;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>
/// The core's side of the external-changes feed (ADR 21), engine-agnostic: what an engine hands
/// <see cref="RegistryWrites.ApplyExternal"/> reaches the search index as the instance's own commits do, and a feed that
/// missed changes makes the next search build the index from the store. The PostgreSQL feed itself is tested in
/// tests/DonorRegistry.MultiInstance.Tests; LiteDB has nothing to follow.
/// </summary>
public sealed class ExternalChangesTests
{
    private const string By = "coordinator.li";

    [Test]
    public void ADonorAnotherInstanceCommitted_ReachesTheSearchIndex_AsThisInstancesOwnDo()
    {
        using var fx = new RegistryFixture();
        var listed = fx.DonorIn(DonorState.Available);
        fx.Registry.Search.BuildIndex().Should().Be(1);
        fx.Donors.Defer(listed.Id, fx.Today.AddDays(30), "出差", By);
        Found(fx).Should().BeEmpty();

        // As the engine would hand it: the donor as another instance committed it (listed again).
        fx.Registry.Storage.Exclusive(() => fx.Registry.Writes.ApplyExternal(new ExternalChanges(1, [listed], [(AggregateKind.Donor, listed.Id.ToString())], Missed: false)));

        Found(fx).Should().Equal(listed.Id);
    }

    [Test]
    public void AFeedThatMissedChanges_DropsTheIndex_AndTheNextSearchBuildsItFromTheStore()
    {
        using var fx = new RegistryFixture();
        var listed = fx.DonorIn(DonorState.Available);
        fx.Registry.Search.BuildIndex();

        fx.Registry.Storage.Exclusive(() => fx.Registry.Writes.ApplyExternal(new ExternalChanges(7, [], [], Missed: true)));

        fx.Registry.Search.IndexSnapshot().Should().BeNull();
        Found(fx).Should().Equal(listed.Id);
        fx.Registry.Search.IndexSnapshot().Should().ContainKey(listed.Id.Value);
    }

    [Test]
    public void LiteDb_HasNothingToFollow_AndItsCalendarLockIsTheWriteGate()
    {
        using var fx = new RegistryFixture();
        var calls = 0;

        fx.Registry.Storage.Follow(_ => calls++);
        fx.Registry.Storage.Write(() =>
        {
            fx.Registry.Storage.HoldAcrossInstances("calendar");
            return 0;
        });
        fx.Donors.ApplyCalendar(fx.Clock.GetUtcNow()).Should().BeEmpty();

        calls.Should().Be(0);
    }

    private static IEnumerable<DonorId> Found(RegistryFixture fx) =>
        fx.Registry.Search.Find(new SearchRequest(HlaTyping.FromLoci(Volunteers.Typing(fx.Today).Loci))).Matches.Select(m => m.DonorId);
}
