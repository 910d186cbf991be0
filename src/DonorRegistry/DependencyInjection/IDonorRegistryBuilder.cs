namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <see cref="DonorRegistryServiceCollectionExtensions.AddDonorRegistry"/> returns, so that packages
/// such as <c>DonorRegistry.Workflows</c> can chain their own registrations onto it.
/// </summary>
public interface IDonorRegistryBuilder
{
    /// <summary>The service collection the registry was added to.</summary>
    IServiceCollection Services { get; }
}
