using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DonorRegistry.Workflows;

/// <summary>
/// The drive workflows for code without dependency injection: start a host on an open registry, use its
/// <see cref="Drives"/>, dispose it before the registry. Starting resumes every drive left mid-way in the file.
/// </summary>
/// <example>
/// <code>
/// using var registry = Registry.Open(options);
/// await using var host = DriveWorkflowHost.Start(registry);
/// await host.Drives.StartDriveAsync(plan, lab: "中华骨髓库 HLA 实验室", by: "organizer.wang");
/// </code>
/// </example>
public sealed class DriveWorkflowHost : IAsyncDisposable, IDisposable
{
    private readonly ServiceProvider _services;
    private bool _disposed;

    private DriveWorkflowHost(ServiceProvider services)
    {
        _services = services;
        Drives = services.GetRequiredService<DriveWorkflows>();
        Log = services.GetRequiredService<ExecutionLog>();
        Drives.EnsureStarted();
    }

    /// <summary>What organizers do with drives that run as workflows.</summary>
    public DriveWorkflows Drives { get; }

    /// <summary>The execution log of every workflow.</summary>
    public ExecutionLog Log { get; }

    /// <summary>Starts the workflow host on an open registry.</summary>
    /// <param name="registry">The registry; it stays open when the host is disposed.</param>
    /// <param name="configure">Sets the options.</param>
    /// <param name="loggerFactory">Where WorkflowCore and the steps log, or none.</param>
    /// <returns>The running host.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static DriveWorkflowHost Start(Registry registry, Action<WorkflowsOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var options = new WorkflowsOptions();
        configure?.Invoke(options);
        options.Validate();
        var services = new ServiceCollection();
        services.AddSingleton(registry);
        services.AddSingleton(registry.TimeProvider);
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        WorkflowsBuilderExtensions.Register(services, options);
        return new DriveWorkflowHost(services.BuildServiceProvider());
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
        Drives.Stop();
        await _services.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
