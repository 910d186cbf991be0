using System.Reflection;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>The design rules of docs/architecture.md, checked by reflection and by reading the sources, so they cannot drift.</summary>
public sealed class DesignRulesTests
{
    private static readonly Assembly Library = typeof(Registry).Assembly;

    /// <summary>The exception bases a caller catches: the root, and one per kind of failure.</summary>
    private static readonly Type[] ExceptionBases =
    [
        typeof(DonorRegistryException), typeof(NotFoundException), typeof(InvalidTransitionException), typeof(RegistryValidationException),
    ];

    [Test]
    public void EveryVerb_TakesAnActor_NeverABareString()
    {
        var bare = Library.GetExportedTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetParameters().Any(p => p.Name == "by" && p.ParameterType == typeof(string)))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}");

        bare.Should().BeEmpty("a verb's by is an Access.Actor, so the access check sees its roles (ADR 17)");
    }

    [Test]
    public void PublicClasses_AreSealedOrStatic_ExceptTheExceptionBases()
    {
        var open = Library.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !(t.IsAbstract && t.IsSealed) && !ExceptionBases.Contains(t))
            .Select(t => t.FullName);

        open.Should().BeEmpty();
    }

    [Test]
    public void PublicExceptions_AreSealedAndDeriveFromTheRoot_ExceptTheBases()
    {
        var exceptions = Library.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t) && !ExceptionBases.Contains(t)).ToList();

        exceptions.Should().NotBeEmpty();
        exceptions.Should().OnlyContain(t => t.IsSealed && t.IsSubclassOf(typeof(DonorRegistryException)));
    }

    [Test]
    public void EveryNotFoundAndInvalidTransitionException_DerivesFromItsBase()
    {
        var exceptions = Library.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();

        exceptions.Where(t => t.Name.EndsWith("NotFoundException", StringComparison.Ordinal) && t != typeof(NotFoundException))
            .Should().OnlyContain(t => t.IsSubclassOf(typeof(NotFoundException)));
        exceptions.Where(t => t.Name.EndsWith("TransitionException", StringComparison.Ordinal) && t != typeof(InvalidTransitionException))
            .Should().OnlyContain(t => t.IsSubclassOf(typeof(InvalidTransitionException)));
    }

    [Test]
    public void OnlyTheLiteDbEngine_KnowsLiteDbDocuments()
    {
        var root = Approvals.RepositoryRoot();
        var engine = Path.Combine(root, "src", "DonorRegistry", "Storage", "LiteDb") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(Path.Combine(root, "src", "DonorRegistry"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(engine, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("BsonDocument", StringComparison.Ordinal) || text.Contains("using LiteDB", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(root, f));

        offenders.Should().BeEmpty("only src/DonorRegistry/Storage/LiteDb knows LiteDB; the core speaks through the storage contract");
    }

    [Test]
    public void LiteDbFilters_PassTheirValuesAsParameters_NeverInTheExpressionText()
    {
        // LiteDB's Query.EQ, Query.Between and the like print the value into the text, and LiteDB compiles and caches
        // every distinct text for the life of the process (Storage/LiteDb/Where.cs).
        var root = Approvals.RepositoryRoot();
        var valueInText = new System.Text.RegularExpressions.Regex(@"\bQuery\.(EQ|Between|And|Or|LT|LTE|GT|StartsWith|Contains)\(");
        var offenders = new[] { "DonorRegistry", "DonorRegistry.Workflows" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(root, "src", project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => valueInText.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f));

        offenders.Should().BeEmpty("a filter's value goes in as a parameter (Where.Eq, Where.Between), so each filter is compiled once");
    }

    [Test]
    public void PublicApi_NeverExposesStatelessOrLiteDbTypes()
    {
        var leaks = Library.GetExportedTypes()
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .SelectMany(member => TypesOf(member).Select(type => (Member: $"{t.Name}.{member.Name}", Type: type))))
            .Where(x => x.Type.Namespace is { } ns && (ns.StartsWith("Stateless", StringComparison.Ordinal) || ns.StartsWith("LiteDB", StringComparison.Ordinal)))
            .Select(x => x.Member);

        leaks.Should().BeEmpty();
    }

    [Test]
    public void WorkflowsPublicApi_NeverExposesWorkflowCoreOrLiteDbTypes()
    {
        var leaks = typeof(Workflows.RegistryWorkflowHost).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetInterfaces().Append(t.BaseType).OfType<Type>().Select(i => (Member: t.Name, Type: i))
                .Concat(t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .SelectMany(member => TypesOf(member).Select(type => (Member: $"{t.Name}.{member.Name}", Type: type)))))
            .Where(x => Namespaces(x.Type).Any(ns => ns.StartsWith("WorkflowCore", StringComparison.Ordinal) || ns.StartsWith("LiteDB", StringComparison.Ordinal)))
            .Select(x => x.Member);

        leaks.Should().BeEmpty();
    }

    [Test]
    public void TheCorePackage_CarriesNoChartsOrNativeDrawingLibraries() =>
        Library.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain(n => n!.StartsWith("ScottPlot", StringComparison.Ordinal) || n.StartsWith("SkiaSharp", StringComparison.Ordinal));

    [Test]
    public void Library_DoesNotReferenceThePostgreSqlEngineOrNpgsql()
    {
        Library.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain(n => n!.StartsWith("DonorRegistry.PostgreSql", StringComparison.Ordinal) || n.StartsWith("Npgsql", StringComparison.Ordinal));
        var root = Approvals.RepositoryRoot();
        Directory.EnumerateFiles(Path.Combine(root, "src", "DonorRegistry"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("Npgsql", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f))
            .Should().BeEmpty("the core chooses an engine through RegistryOptions.Engine; only src/DonorRegistry.PostgreSql knows Npgsql");
    }

    [Test]
    public void Library_DoesNotReferenceTheWorkflowsPackage() =>
        Library.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain("DonorRegistry.Workflows");

    /// <summary>The namespaces of a type and of its generic arguments, element types and nullable underlying types.</summary>
    private static IEnumerable<string> Namespaces(Type type)
    {
        if (type.Namespace is { } ns)
        {
            yield return ns;
        }

        var inner = type.HasElementType ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [];
        foreach (var nested in inner.SelectMany(Namespaces))
        {
            yield return nested;
        }
    }

    private static IEnumerable<Type> TypesOf(MemberInfo member) => member switch
    {
        PropertyInfo p => [p.PropertyType],
        FieldInfo f => [f.FieldType],
        MethodInfo mi => mi.GetParameters().Select(p => p.ParameterType).Append(mi.ReturnType),
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        _ => [],
    };
}
