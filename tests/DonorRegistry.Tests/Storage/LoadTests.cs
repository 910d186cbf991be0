using DonorRegistry.Donors;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Storage;

/// <summary>
/// Eight writers and four readers on one registry file at once. The suite runs 8 seconds after a 4-second warm-up;
/// <c>DONORREGISTRY_LOAD_SECONDS=60</c> runs the long mode that docs/reliability.md reports.
/// </summary>
[NonParallelizable]
public sealed class LoadTests
{
    [Test]
    public void EightWritersAndFourReaders_OnOneRegistry_LoseNoUpdateThrowOnlyTypedExceptionsAndHoldMemoryFlat()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("DONORREGISTRY_LOAD_SECONDS"), out var s) && s > 0 ? s : 8;
        using var fx = new RegistryFixture(configure: o => o.Durability = Durability.Durable);
        var donors = Enumerable.Range(0, 400).Select(_ => fx.DonorIn(DonorState.Available).Id).ToList();

        var report = LoadHarness.Run(fx.Registry, donors, writers: 8, readers: 4, TimeSpan.FromSeconds(seconds), warmUp: TimeSpan.FromSeconds(Math.Max(4, seconds / 6)));

        TestContext.Out.WriteLine(report);
        report.Untyped.Should().BeEmpty();
        report.LostUpdates.Should().BeEmpty();
        report.Writes.Should().BeGreaterThan(0);
        report.Reads.Should().BeGreaterThan(0);
        report.Growth.Should().BeLessThanOrEqualTo(0.10, "managed memory stays flat after warm-up");
    }
}
