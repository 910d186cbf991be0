using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>docs/getting-started.md keeps up with the code: its exception table lists every public exception of both assemblies.</summary>
public sealed partial class GettingStartedTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(Approvals.RepositoryRoot(), "docs", "getting-started.md")).ReplaceLineEndings("\n");

    [Test]
    public void TheExceptionTable_ListsEveryPublicExceptionOfBothAssemblies_WithItsNamespace()
    {
        var exceptions = typeof(Registry).Assembly.GetExportedTypes()
            .Concat(typeof(Workflows.RegistryWorkflowHost).Assembly.GetExportedTypes())
            .Where(t => typeof(Exception).IsAssignableFrom(t))
            .Select(t => $"{t.Name} in {t.Namespace}")
            .ToList();

        var rows = Rows().Select(r => $"{r.Name} in {r.Namespace}").ToList();

        exceptions.Should().NotBeEmpty();
        rows.Should().OnlyHaveUniqueItems();
        rows.Should().BeEquivalentTo(exceptions, "docs/getting-started.md must name every public exception, and only those, in its table");
    }

    [Test]
    public void EveryExceptionRow_SaysWhenItIsThrownAndWhatToDo() =>
        Rows().Should().OnlyContain(r => r.When.Length > 20 && r.Then.Length > 20);

    [Test]
    public void ThePage_CitesOnlyFilesThatExist()
    {
        var root = Approvals.RepositoryRoot();
        var cited = CitedPath().Matches(Page).Select(m => m.Groups["path"].Value).Distinct().ToList();

        cited.Should().NotBeEmpty();
        cited.Where(p => !File.Exists(Path.Combine(root, p)) && !Directory.Exists(Path.Combine(root, p))).Should().BeEmpty();
    }

    private static IEnumerable<(string Name, string Namespace, string When, string Then)> Rows() =>
        ExceptionRow().Matches(Page).Select(m => (m.Groups["name"].Value, m.Groups["ns"].Value, m.Groups["when"].Value.Trim(), m.Groups["then"].Value.Trim()));

    [GeneratedRegex(@"^\| `(?<name>\w+Exception)` \| `(?<ns>[\w.]+)` \|(?<when>[^|\n]+)\|(?<then>[^|\n]+)\|$", RegexOptions.Multiline)]
    private static partial Regex ExceptionRow();

    [GeneratedRegex(@"`(?<path>(?:src|tests|docs|samples)/[\w./-]+?)`")]
    private static partial Regex CitedPath();
}
