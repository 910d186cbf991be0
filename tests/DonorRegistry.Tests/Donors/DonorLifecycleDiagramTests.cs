using DonorRegistry.Donors;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Donors;

public sealed class DonorLifecycleDiagramTests
{
    private static string ApprovedPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "Donors", "DonorLifecycle.approved.mmd");

    [Test]
    public void ToMermaid_MatchesTheApprovedDiagram()
    {
        var actual = DonorLifecycle.ToMermaid();

        Approvals.Verify(actual, ApprovedPath, "Donors/DonorLifecycle.approved.mmd");
    }

    [Test]
    public void ToMermaid_IsTheDiagramShownInTheDocs()
    {
        var docs = File.ReadAllText(Path.Combine(Approvals.RepositoryRoot(), "docs", "lifecycle.md")).ReplaceLineEndings("\n");

        docs.Should().Contain(DonorLifecycle.ToMermaid().ReplaceLineEndings("\n").Trim(), "docs/lifecycle.md must show the machine as it is; regenerate it from DonorLifecycle.ToMermaid()");
    }

    [Test]
    public void ToMermaid_HasEveryEdgeOfTheDomainTable()
    {
        var mermaid = DonorLifecycle.ToMermaid();

        foreach (var ((from, trigger), to) in LifecycleSpec.Edges)
        {
            var edge = from == to ? $"{from} --> {to} : {trigger}" : $"{from} --> {to} : {trigger}";
            mermaid.Should().Contain(edge);
        }
    }

    [Test]
    public void ToDot_DrawsEveryStateWithGuardDescriptions()
    {
        var dot = DonorLifecycle.ToDot();

        dot.Should().StartWith("digraph");
        foreach (var state in Enum.GetValues<DonorState>())
        {
            dot.Should().Contain(state.ToString());
        }

        dot.Should().Contain("recovery period over").And.NotContain("Function");
    }
}
