using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.Workflows.DonorCare;
using DonorRegistry.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DonorRegistry.Workflows;

/// <summary>
/// The workflows for code without dependency injection: start a host on an open registry, use its
/// <see cref="Drives"/> and <see cref="Care"/>, dispose it before the registry. Starting resumes every drive and
/// every donor's care left mid-way in the file.
/// </summary>
/// <example>
/// <code>
/// using var registry = Registry.Open(options);
/// await using var host = RegistryWorkflowHost.Start(registry);
/// await host.Drives.StartDriveAsync(plan, lab: "中华骨髓库 HLA 实验室", by: "organizer.wang");
/// </code>
/// </example>
public sealed class RegistryWorkflowHost : IAsyncDisposable, IDisposable
{
    private readonly ServiceProvider _services;
    private readonly WorkflowEngine _engine;
    private bool _disposed;

    private RegistryWorkflowHost(ServiceProvider services)
    {
        _services = services;
        Drives = services.GetRequiredService<DriveWorkflows>();
        Care = services.GetRequiredService<CareWorkflows>();
        Log = services.GetRequiredService<ExecutionLog>();
        Store = services.GetRequiredService<IWorkflowStore>();
        _engine = services.GetRequiredService<WorkflowEngine>();
        Drives.Resume(); // starts the host, then publishes the events drives' registry records imply (ADR 24)
        Care.Resume(); // starts the care the registry records without a workflow, tells care the registry shows done (ADR 24)
    }

    /// <summary>What organizers do with drives that run as workflows.</summary>
    public DriveWorkflows Drives { get; }

    /// <summary>What coordinators do for donors' care after donation, as workflows.</summary>
    public CareWorkflows Care { get; }

    /// <summary>The execution log of every workflow.</summary>
    public ExecutionLog Log { get; }

    /// <summary>The workflow store (for tests and the crash workload).</summary>
    internal IWorkflowStore Store { get; }

    /// <summary>Starts the workflow host on an open registry.</summary>
    /// <param name="registry">The registry; it stays open when the host is disposed.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="loggerFactory">Where WorkflowCore and the steps log, or none.</param>
    /// <returns>The running host.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static RegistryWorkflowHost Start(Registry registry, Action<WorkflowsOptions>? configure = null, ILoggerFactory? loggerFactory = null) =>
        Start(registry, configure, loggerFactory, services: null);

    /// <summary>Starts the workflow host on an open registry, with more services (tests add a step middleware).</summary>
    /// <param name="registry">The registry; it stays open when the host is disposed.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="loggerFactory">Where WorkflowCore and the steps log, or none.</param>
    /// <param name="services">Adds to the host's services after the library's, or null.</param>
    /// <returns>The running host.</returns>
    internal static RegistryWorkflowHost Start(Registry registry, Action<WorkflowsOptions>? configure, ILoggerFactory? loggerFactory, Action<IServiceCollection>? services)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var options = new WorkflowsOptions();
        configure?.Invoke(options);
        options.Validate();
        var collection = new ServiceCollection();
        collection.AddSingleton(registry);
        collection.AddSingleton(registry.TimeProvider);
        if (loggerFactory is not null)
        {
            collection.AddSingleton(loggerFactory);
        }

        WorkflowsBuilderExtensions.Register(collection, options);
        services?.Invoke(collection);
        return new RegistryWorkflowHost(collection.BuildServiceProvider());
    }

    /// <summary>Stops the workflow host (letting running steps finish) and releases its store; the registry stays open.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _engine.Stop();
        await _services.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
