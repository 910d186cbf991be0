using DonorRegistry.Hla;
using NUnit.Framework;

namespace DonorRegistry.Tests.Hla;

/// <summary>The small IMGT-format fixture files of this folder, and the real release in ../shared when present.</summary>
internal static class HlaFixtures
{
    public static readonly MacTable Macs = MacTable.FromCodes(
    [
        new KeyValuePair<string, string>("AB", "01/02"),
        new KeyValuePair<string, string>("GNZ", "01:01/02:01"),
    ]);

    private static readonly Lazy<HlaReference> FixtureReference = new(() =>
        HlaReference.Load(Path.Combine(TestContext.CurrentContext.TestDirectory, "Hla", "Fixtures")).WithMacTable(Macs));

    public static HlaReference Reference => FixtureReference.Value;

    public static string RealReleaseFolder =>
        Path.GetFullPath(Path.Combine(Approvals.RepositoryRoot(), "..", "shared", "data", "imgt-hla-3.24.0"));
}
