using Microsoft.Extensions.DependencyInjection;

namespace DonorRegistry.Workflows.Tests.DependencyInjection;

/// <summary>The services a host registers: a registry file and a workflow store file of its own in <c>folder</c>, polled every 100 ms.</summary>
internal static class WorkflowServices
{
    public static ServiceCollection In(string folder, RegistryKey key)
    {
        var services = new ServiceCollection();
        services.AddDonorRegistry(o =>
        {
            o.DatabasePath = Path.Combine(folder, "registry.db");
            o.RegistryKey = key;
            o.CreateIfMissing = true;
        }).AddWorkflows(o =>
        {
            o.DatabasePath = Path.Combine(folder, "workflows.db");
            o.PollInterval = TimeSpan.FromMilliseconds(100);
        });
        return services;
    }
}
