using FluentAssertions;
using DonorRegistry.Testing;
using NUnit.Framework;
using System.Globalization;

namespace DonorRegistry.Tests.Storage;

/// <summary>
/// The damage harness over the database file: at least 50 fixed variants (every page zeroed, every page's type byte
/// flipped, seeded random flips and zeroed runs, truncations). Each must end in a typed library exception, a
/// <see cref="Registry.Verify"/> report that names the damage, or reads that give back exactly what was written.
/// Set DONORREGISTRY_DAMAGE_FLIPS to run more random flips (the long mode; CI runs 40).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DamageHarnessTests
{
    [Test]
    public void DamagedDatabaseFiles_GiveATypedExceptionOrAVerifyReport_NeverAnUntypedExceptionOrASilentlyWrongRead()
    {
        var flips = int.TryParse(Environment.GetEnvironmentVariable("DONORREGISTRY_DAMAGE_FLIPS"), CultureInfo.InvariantCulture, out var n) ? n : 40;
        using var harness = new DamageHarness();
        var variants = harness.Variants(seed: 20261202, randomFlips: flips);
        variants.Should().HaveCountGreaterThanOrEqualTo(50);

        var outcomes = new List<(FileDamage Damage, DamageOutcome Outcome, string Detail)>();
        foreach (var damage in variants)
        {
            var run = Task.Run(() => harness.Run(damage));
            if (!run.Wait(TimeSpan.FromSeconds(60)))
            {
                Assert.Fail($"{damage}: the registry did not answer within 60 s");
            }

            var (outcome, detail) = run.Result;
            outcomes.Add((damage, outcome, detail));
        }

        var counts = Enum.GetValues<DamageOutcome>().ToDictionary(o => o, o => outcomes.Count(x => x.Outcome == o));
        TestContext.Out.WriteLine(
            $"Damaged files: {variants.Count} tried on a {harness.FileLength}-byte registry holding {harness.ExpectedValues} values; " +
            $"typed {counts[DamageOutcome.Typed]}, reported by Verify {counts[DamageOutcome.ReportedByVerify]}, harmless {counts[DamageOutcome.Harmless]}, " +
            $"silently wrong {counts[DamageOutcome.SilentlyWrong]}, untyped {counts[DamageOutcome.Untyped]}");
        foreach (var (damage, outcome, detail) in outcomes)
        {
            TestContext.Out.WriteLine($"  {damage}: {outcome}: {Short(detail)}");
        }

        ReliabilityTable.Add(
            "damaged database files",
            $"{ReliabilityTable.N(variants.Count)} variants",
            $"{counts[DamageOutcome.Typed]} typed, {counts[DamageOutcome.ReportedByVerify]} named by `Verify`, {counts[DamageOutcome.Harmless]} harmless",
            ReliabilityTable.N(counts[DamageOutcome.SilentlyWrong]),
            ReliabilityTable.N(counts[DamageOutcome.Untyped]));
        outcomes.Where(o => o.Outcome is DamageOutcome.Untyped or DamageOutcome.SilentlyWrong)
            .Select(o => $"{o.Damage}: {o.Outcome}: {o.Detail}")
            .Should().BeEmpty();
        (counts[DamageOutcome.Typed] + counts[DamageOutcome.ReportedByVerify]).Should().BeGreaterThan(variants.Count / 2, "most damage lands on bytes in use, and is named");
    }

    private static string Short(string value)
    {
        var line = value.ReplaceLineEndings(" ");
        return line.Length <= 300 ? line : line[..300] + "…";
    }
}
