using DonorRegistry;
using DonorRegistry.Cases;
using DonorRegistry.Donors;
using DonorRegistry.Drives;
using DonorRegistry.Samples;
using DonorRegistry.Search;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds DonorRegistry to a host application's services.</summary>
public static class DonorRegistryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the registry as a singleton (one open file per process), with <see cref="DonorOperations"/>
    /// <see cref="DonorSearch"/>, <see cref="CaseOperations"/>, <see cref="SampleOperations"/>, <see cref="DriveOperations"/> and <see cref="DonorRegistry.Care.CareOperations"/> beside it. The registry opens on first use, with <see cref="Registry.Open"/>'s checks; set
    /// <see cref="RegistryOptions.CreateIfMissing"/> to create it on the first run. <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/>
    /// come from the container when the options do not set them (falling back to the system clock and no
    /// logging). Calling it again adds the configuration and nothing else.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options; <see cref="RegistryOptions.DatabasePath"/> and <see cref="RegistryOptions.RegistryKey"/> are required.</param>
    /// <returns>A builder to chain further registrations on.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IDonorRegistryBuilder AddDonorRegistry(this IServiceCollection services, Action<RegistryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<RegistryOptions>().Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RegistryOptions>>().Value;
            return new Registry(
                options,
                options.TimeProvider ?? sp.GetService<TimeProvider>() ?? TimeProvider.System,
                options.LoggerFactory ?? sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
                create: false);
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<Registry>().Donors);
        services.TryAddSingleton(sp => sp.GetRequiredService<Registry>().Search);
        services.TryAddSingleton(sp => sp.GetRequiredService<Registry>().Cases);
        services.TryAddSingleton(sp => sp.GetRequiredService<Registry>().Samples);
        services.TryAddSingleton(sp => sp.GetRequiredService<Registry>().Drives);
        services.TryAddSingleton(sp => sp.GetRequiredService<Registry>().Care);
        services.TryAddSingleton(sp => sp.GetRequiredService<Registry>().Reports);
        return new DonorRegistryBuilder(services);
    }

    private sealed class DonorRegistryBuilder(IServiceCollection services) : IDonorRegistryBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
