using System.Reflection;
using FluentAssertions;
using NUnit.Framework;

namespace DonorRegistry.Tests;

/// <summary>Design rules of ARCHITECTURE.md and STYLE.md, checked by reflection so they cannot drift.</summary>
public sealed class DesignRulesTests
{
    private static readonly Assembly Library = typeof(Registry).Assembly;

    [Test]
    public void PublicClasses_AreSealedOrStatic_ExceptTheExceptionRoot()
    {
        var open = Library.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsSealed && !(t.IsAbstract && t.IsSealed) && t != typeof(DonorRegistryException))
            .Select(t => t.FullName);

        open.Should().BeEmpty();
    }

    [Test]
    public void PublicExceptions_DeriveFromTheRootAndAreSealed()
    {
        var exceptions = Library.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t) && t != typeof(DonorRegistryException)).ToList();

        exceptions.Should().NotBeEmpty();
        exceptions.Should().OnlyContain(t => t.IsSealed && t.IsSubclassOf(typeof(DonorRegistryException)));
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
    public void Library_DoesNotReferenceTheWorkflowsPackage() =>
        Library.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain("DonorRegistry.Workflows");

    private static IEnumerable<Type> TypesOf(MemberInfo member) => member switch
    {
        PropertyInfo p => [p.PropertyType],
        FieldInfo f => [f.FieldType],
        MethodInfo mi => mi.GetParameters().Select(p => p.ParameterType).Append(mi.ReturnType),
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        _ => [],
    };
}
