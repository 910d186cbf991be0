using DonorRegistry.Workflows.Tests.DependencyInjection;
using DonorRegistry.Care;
using DonorRegistry.Donors;
using DonorRegistry.FakeData;
using DonorRegistry.Samples;
using DonorRegistry.Workflows.DonorCare;
using DonorRegistry.Workflows.Persistence;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NUnit.Framework;

namespace DonorRegistry.Workflows.Tests.DonorCare;

/// <summary>ADR 24, donor care: in a generic host, the hosted service starts the care a stopped process left unstarted.</summary>
public sealed class CareHostedServiceTests
{
    [Test]
    public async Task AddWorkflows_InAGenericHost_StartsAtStartTheCareOfADonationRecordedWithoutIt()
    {
        var folder = Directory.CreateTempSubdirectory("wf-care-resume-").FullName;
        try
        {
            var key = RegistryKey.Generate();
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            ServiceCollection Services() => WorkflowServices.In(folder, key);

            string donation;
            await using (var provider = Services().BuildServiceProvider())
            {
                var registry = provider.GetRequiredService<Registry>();
                var donor = registry.Donors.Enrol(new Volunteers().Next(today), "organizer");
                registry.Samples.Collect(donor.Id, "TUBE-1", SampleKind.BloodEdta, "nurse");
                registry.Samples.Ship("lab", ["TUBE-1"], "courier");
                registry.Samples.Receive(["TUBE-1"], "lab");
                registry.Samples.RecordTyping("TUBE-1", Volunteers.Typing(today), "lab");
                registry.Donors.List(donor.Id, "organizer");
                var matchCase = registry.Cases.Open(donor.Id, "PAT-0001", "coordinator");
                donation = registry.Care.RecordDonation(donor.Id, new DonationDetails(matchCase.Id, DonationProduct.Pbsc, today, today, 5, "人民医院采集中心", DonationOutcome.Completed), "coordinator").Id; // and the process stopped
            }

            await using (var provider = Services().BuildServiceProvider())
            {
                foreach (var hosted in provider.GetServices<IHostedService>())
                {
                    await hosted.StartAsync(CancellationToken.None);
                }

                provider.GetRequiredService<IWorkflowStore>().FindByReference(donation).Should().ContainSingle(w => w.WorkflowDefinitionId == "donor-care");
                provider.GetRequiredService<CareWorkflows>().GetStatus(donation).Should().Be(WorkflowState.Running);
                foreach (var hosted in provider.GetServices<IHostedService>())
                {
                    await hosted.StopAsync(CancellationToken.None);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
