using DonorRegistry.Audit;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>A history read after its record: later versions committed in between are not damage; a short or gapped trail is.</summary>
public sealed class HistoryCheckTests
{
    private static readonly DateTimeOffset At = RegistryFixture.Start;

    private static IReadOnlyList<AuditRecord> Trail(params int[] versions) =>
        versions.Select(v => new AuditRecord(AggregateKind.Sample, "T-1", v, "A", "B", "Step", "tester", null, At)).ToList();

    [Test]
    public void Whole_TrailGoingOnPastTheVersionReadWithoutAGap_IsReturnedAsIs()
    {
        using var fx = new RegistryFixture();
        var trail = Trail(1, 2, 3, 4, 5);

        fx.Registry.Writes.Whole(AggregateKind.Sample, "T-1", 4, trail).Should().BeSameAs(trail, "a writer committed version 5 between the two reads");
    }

    [TestCase(new[] { 1, 2, 3 })]
    [TestCase(new[] { 1, 3, 4 })]
    [TestCase(new[] { 1, 2, 4, 5 })]
    public void Whole_TrailShortOfTheVersionOrWithAGap_IsNamedAsDamage(int[] versions)
    {
        using var fx = new RegistryFixture();

        var act = () => fx.Registry.Writes.Whole(AggregateKind.Sample, "T-1", 4, Trail(versions));

        act.Should().Throw<RegistryDamagedException>().Which.DocumentId.Should().Be("T-1");
    }
}
