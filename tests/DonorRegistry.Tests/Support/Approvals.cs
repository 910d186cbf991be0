using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>
/// Approval testing without a framework: compares text with an approved file kept in the repository.
/// On a difference it writes <c>*.received.*</c> beside the approved file in the source tree and fails;
/// approve by renaming it over the approved file after reading the diff.
/// </summary>
internal static class Approvals
{
    public static void Verify(string actual, string approvedPathInOutput, string approvedPathInProject)
    {
        var normalised = actual.ReplaceLineEndings("\n");
        var approved = File.Exists(approvedPathInOutput) ? File.ReadAllText(approvedPathInOutput).ReplaceLineEndings("\n") : null;
        if (approved == normalised)
        {
            return;
        }

        var source = Path.Combine(RepositoryRoot(), "tests", "DonorRegistry.Tests", approvedPathInProject);
        var received = source.Replace(".approved.", ".received.", StringComparison.Ordinal);
        File.WriteAllText(received, normalised);
        Assert.Fail(approved is null
            ? $"No approved file at {source}. Review {received} and rename it to approve."
            : $"The text differs from {source}. Review {received} (diff it against the approved file) and rename it to approve if the change is intended.");
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DonorRegistry.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The tests run outside the repository: DonorRegistry.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
