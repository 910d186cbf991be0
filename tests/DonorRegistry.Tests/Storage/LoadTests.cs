using DonorRegistry.Donors;
using DonorRegistry.Testing;
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
        ReliabilityTable.Add(
            $"load, 8 writers + 4 readers, {seconds} s",
            $"{ReliabilityTable.N(report.Writes)} durable writes ({ReliabilityTable.N((long)report.WritesPerSecond)}/s), {ReliabilityTable.N(report.Reads)} reads ({ReliabilityTable.N((long)report.ReadsPerSecond)}/s)",
            $"managed memory {report.Growth:+0.0%;-0.0%} after warm-up (≤ 10 %)",
            $"{report.LostUpdates.Count} lost updates",
            ReliabilityTable.N(report.Untyped.Count));
        report.Untyped.Should().BeEmpty();
        report.LostUpdates.Should().BeEmpty();
        report.Writes.Should().BeGreaterThan(0);
        report.Reads.Should().BeGreaterThan(0);
        report.Growth.Should().BeLessThanOrEqualTo(0.10, "managed memory stays flat after warm-up");
    }
}
