using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace DonorRegistry.Tests.DependencyInjection;

public sealed class AddDonorRegistryTests
{
    [Test]
    public void AddDonorRegistry_ResolvesOneSharedRegistryUsingTheContainersClock()
    {
        var clock = new FakeTimeProvider(RegistryFixture.Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        var builder = services.AddDonorRegistry(o =>
        {
            o.DatabasePath = RegistryOptions.InMemoryPath;
            o.RegistryKey = RegistryKey.Generate();
        });

        using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<Registry>();

        builder.Services.Should().BeSameAs(services);
        provider.GetRequiredService<Registry>().Should().BeSameAs(registry);
        provider.GetRequiredService<DonorOperations>().Should().BeSameAs(registry.Donors);
        registry.TimeProvider.Should().BeSameAs(clock);
        var donor = registry.Donors.Enrol(new Volunteers().Next(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)), "host");
        donor.EnrolledAt.Should().Be(RegistryFixture.Start);
    }

    [Test]
    public void AddDonorRegistry_CalledTwice_RegistersTheRegistryOnce()
    {
        var services = new ServiceCollection();

        services.AddDonorRegistry(o => o.DatabasePath = RegistryOptions.InMemoryPath);
        services.AddDonorRegistry(o => o.RegistryKey = RegistryKey.Generate());

        services.Count(d => d.ServiceType == typeof(Registry)).Should().Be(1);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<Registry>().DatabasePath.Should().Be(RegistryOptions.InMemoryPath);
    }

    [Test]
    public void AddDonorRegistry_WithoutTimeProvider_FallsBackToTheSystemClock()
    {
        var services = new ServiceCollection();
        services.AddDonorRegistry(o =>
        {
            o.DatabasePath = RegistryOptions.InMemoryPath;
            o.RegistryKey = RegistryKey.Generate();
        });

        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<Registry>().TimeProvider.Should().BeSameAs(TimeProvider.System);
    }

    [Test]
    public void AddDonorRegistry_NullArguments_AreRejected()
    {
        var noServices = () => DonorRegistryServiceCollectionExtensions.AddDonorRegistry(null!, _ => { });
        var noConfigure = () => new ServiceCollection().AddDonorRegistry(null!);

        noServices.Should().Throw<ArgumentNullException>().WithParameterName("services");
        noConfigure.Should().Throw<ArgumentNullException>().WithParameterName("configure");
    }
}
