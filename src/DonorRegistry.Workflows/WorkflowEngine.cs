using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.Workflows.DonorCare;
using DonorRegistry.Workflows.Persistence;
using WorkflowCore.Interface;

namespace DonorRegistry.Workflows;

/// <summary>
/// Registers the library's workflows with the WorkflowCore host and starts it once, after applying the store's
/// event retention rule (finished workflows' events settled, old processed ones deleted); stops it on request.
/// </summary>
internal sealed class WorkflowEngine(IWorkflowHost host, IWorkflowStore store, IDateTimeProvider clock) : IDisposable
{
    private readonly Lock _gate = new();
    private bool _started;

    public IWorkflowHost Host => host;

    public void EnsureStarted()
    {
        lock (_gate)
        {
            if (_started)
            {
                return;
            }

            if (host.Registry.GetDefinition(CampusDriveWorkflow.WorkflowId, CampusDriveWorkflow.Version1) is null)
            {
                host.RegisterWorkflow<CampusDriveWorkflow, CampusDriveData>();
            }

            if (host.Registry.GetDefinition(DonorCareWorkflow.WorkflowId, DonorCareWorkflow.Version1) is null)
            {
                host.RegisterWorkflow<DonorCareWorkflow, DonorCareData>();
            }

            store.ApplyRetention(clock.UtcNow);
            host.Start();
            _started = true;
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            if (_started)
            {
                host.Stop();
                _started = false;
            }
        }
    }

    public void Dispose() => Stop();
}
