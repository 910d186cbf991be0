using NUnit.Framework;
using PublicApiGenerator;

namespace DonorRegistry.Tests;

public sealed class PublicApiTests
{
    [Test]
    public void PublicApi_HasNotChangedByAccident()
    {
        var api = typeof(Registry).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false });

        Approvals.Verify(api, Path.Combine(TestContext.CurrentContext.TestDirectory, "DonorRegistry.approved.txt"), "DonorRegistry.approved.txt");
    }

    [Test]
    public void WorkflowsPublicApi_HasNotChangedByAccident()
    {
        var api = typeof(Workflows.RegistryWorkflowHost).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false });

        Approvals.Verify(api, Path.Combine(TestContext.CurrentContext.TestDirectory, "DonorRegistry.Workflows.approved.txt"), "DonorRegistry.Workflows.approved.txt");
    }
}
