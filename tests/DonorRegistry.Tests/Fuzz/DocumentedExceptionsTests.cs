using System.Reflection;
using System.Xml.Linq;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests.Fuzz;

/// <summary>Every documented exception is the one actually thrown: the XML docs' exception tags and docs/getting-started.md against the code.</summary>
public sealed class DocumentedExceptionsTests
{
    private static readonly Assembly Library = typeof(Registry).Assembly;

    /// <summary>Every (member, exception type) the XML docs of the library name.</summary>
    private static readonly List<(string Member, string Exception)> Tags = XDocument.Load(Path.ChangeExtension(Library.Location, ".xml")).Root!
        .Element("members")!.Elements("member")
        .SelectMany(m => m.Elements("exception").Select(e => (m.Attribute("name")!.Value, e.Attribute("cref")!.Value)))
        .ToList();

    /// <summary>.NET exceptions the library still documents, each where .NET's own convention applies.</summary>
    private static readonly Dictionary<string, string> DotNetConventions = new(StringComparer.Ordinal)
    {
        ["T:System.FormatException"] = "M:DonorRegistry.Donors.DonorId.Parse",
        ["T:System.ArgumentNullException"] = "M:Microsoft.Extensions.DependencyInjection.DonorRegistryServiceCollectionExtensions.",
    };

    [Test]
    public void EveryExceptionTag_NamesATypeThatExists()
    {
        var missing = Tags.Where(t => !t.Exception.StartsWith("T:", StringComparison.Ordinal) || Resolve(t.Exception[2..]) is null).ToList();

        Tags.Should().HaveCountGreaterThan(100);
        missing.Should().BeEmpty("an exception tag names a type: {0}", string.Join("; ", missing));
    }

    [Test]
    public void EveryLibraryExceptionTheDocsName_IsAPublicLibraryException_InTheGettingStartedTable()
    {
        var page = File.ReadAllText(Path.Combine(Approvals.RepositoryRoot(), "docs", "getting-started.md"));
        var named = Tags.Select(t => Resolve(t.Exception[2..])).OfType<Type>().Where(t => t.Assembly == Library).Distinct().ToList();

        named.Should().OnlyContain(t => typeof(DonorRegistryException).IsAssignableFrom(t) && t.IsPublic);
        named.Where(t => !page.Contains($"| `{t.Name}` |", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Test]
    public void NoPublicMember_DocumentsARawDotNetException_ExceptWhereDotNetsConventionApplies()
    {
        var raw = Tags.Where(t => !t.Exception.StartsWith("T:DonorRegistry.", StringComparison.Ordinal))
            .Where(t => !(DotNetConventions.TryGetValue(t.Exception, out var where) && t.Member.StartsWith(where, StringComparison.Ordinal)))
            .ToList();

        raw.Should().BeEmpty("verbs throw the library's exceptions, not ArgumentException, InvalidOperationException or IO exceptions");
    }

    [Test]
    public void WhatGettingStartedSaysOfOptionsAndKeys_IsWhatIsThrown()
    {
        using var fx = new RegistryFixture(inMemory: true);
        var folder = fx.Folder;
        var noKey = () => Registry.Open(new RegistryOptions { DatabasePath = Path.Combine(folder, "a.db") });
        var sameFile = () => Registry.Open(new RegistryOptions { DatabasePath = Path.Combine(folder, "b.db"), KeyStorePath = Path.Combine(folder, "b.db"), RegistryKey = RegistryKey.Generate() });
        var shortKey = () => RegistryKey.FromBase64("AAAA");
        var bytes = () => RegistryKey.FromBytes(new byte[31]);

        noKey.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("RegistryKey");
        sameFile.Should().Throw<RegistryValidationException>().Which.Field.Should().Be("KeyStorePath");
        shortKey.Should().Throw<RegistryValidationException>();
        bytes.Should().Throw<RegistryValidationException>();
    }

    private static Type? Resolve(string name) => Library.GetType(name) ?? typeof(object).Assembly.GetType(name) ?? Type.GetType(name);
}
