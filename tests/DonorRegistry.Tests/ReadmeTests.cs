using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>The README's code is the compiled QuickStart sample, word for word.</summary>
public sealed class ReadmeTests
{
    [TestCase("samples/QuickStart/Program.cs")]
    [TestCase("samples/QuickStart/WithDependencyInjection.cs")]
    [TestCase("samples/QuickStart/DriveAsWorkflow.cs")]
    public void Readme_ShowsTheCompiledSampleVerbatim(string sample)
    {
        var root = Approvals.RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var code = File.ReadAllText(Path.Combine(root, sample)).ReplaceLineEndings("\n").Trim();

        readme.Should().Contain("```csharp\n" + code + "\n```", $"README.md must show {sample} as it is");
    }

    [Test]
    public void Readme_NamesTheCommandsThatRunTheSampleAndTheTests()
    {
        var readme = File.ReadAllText(Path.Combine(Approvals.RepositoryRoot(), "README.md"));

        readme.Should().Contain("dotnet run --project samples/ChaoyangBranch").And.Contain("dotnet test");
        Directory.Exists(Path.Combine(Approvals.RepositoryRoot(), "samples", "ChaoyangBranch")).Should().BeTrue();
    }
}
