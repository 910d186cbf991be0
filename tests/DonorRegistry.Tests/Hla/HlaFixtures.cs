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

    public static string RealReleaseFolder => ReleaseFolder("3.24.0");

    /// <summary>The folder of a real IPD-IMGT/HLA release in ../shared/data beside the repository.</summary>
    public static string ReleaseFolder(string version) =>
        Path.GetFullPath(Path.Combine(Approvals.RepositoryRoot(), "..", "shared", "data", "imgt-hla-" + version));

    /// <summary>A real release, loaded once per version; the test is ignored with a reason when the folder is absent.</summary>
    public static HlaReference Release(string version)
    {
        var folder = ReleaseFolder(version);
        if (!Directory.Exists(folder))
        {
            Assert.Ignore($"The IMGT/HLA {version} files are not at {folder}; these tests need ../shared/data beside the repository.");
        }

        lock (Releases)
        {
            if (!Releases.TryGetValue(version, out var reference))
            {
                Releases[version] = reference = HlaReference.Load(folder);
            }

            return reference;
        }
    }

    private static readonly Dictionary<string, HlaReference> Releases = [];
}
