using DonorRegistry;
using DonorRegistry.Donors;
using Microsoft.Extensions.DependencyInjection;

internal static class WithDependencyInjection
{
    public static void Run(RegistryKey key)
    {
        var services = new ServiceCollection();
        services.AddDonorRegistry(o =>
        {
            o.DatabasePath = RegistryOptions.InMemoryPath; // a host app gives a file path
            o.RegistryKey = key;
            o.Eligibility.MaximumJoinAge = 40;             // NMDP's rule instead of CMDP's 45
        });

        using var provider = services.BuildServiceProvider();
        var donors = provider.GetRequiredService<DonorOperations>();
        Console.WriteLine($"An empty registry holds {donors.Count()} donors.");
    }
}
