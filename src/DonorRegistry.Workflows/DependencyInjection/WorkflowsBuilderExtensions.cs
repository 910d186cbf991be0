using DonorRegistry;
using DonorRegistry.Workflows;
using DonorRegistry.Workflows.CampusDrive;
using DonorRegistry.Workflows.DonorCare;
using DonorRegistry.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using WorkflowCore.Interface;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the drive workflows to a registry registered with <c>AddDonorRegistry</c>.</summary>
public static class WorkflowsBuilderExtensions
{
    /// <summary>
    /// Adds WorkflowCore with its store on LiteDB (in the registry's file unless <see cref="WorkflowsOptions.DatabasePath"/>
    /// names another; or in the store a package's options extension chose, such as <c>UsePostgreSql</c>), the execution log, the campus-drive and donor-care workflows and their
    /// <see cref="DriveWorkflows"/> and <see cref="CareWorkflows"/> facades.
    /// In a generic host the workflow host starts and stops with the application; elsewhere it starts on the
    /// facade's first use and stops when the service provider is disposed.
    /// </summary>
    /// <param name="builder">The registry's builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IDonorRegistryBuilder AddWorkflows(this IDonorRegistryBuilder builder, Action<WorkflowsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new WorkflowsOptions();
        configure?.Invoke(options);
        options.Validate();
        Register(builder.Services, options);
        builder.Services.AddHostedService<WorkflowHostService>();
        return builder;
    }

    internal static void Register(IServiceCollection services, WorkflowsOptions options)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        if (options.Backend is { } backend)
        {
            services.AddSingleton(backend.Store);
            services.AddSingleton(backend.Log);
        }
        else
        {
            services.AddSingleton<IWorkflowStore>(sp => options.DatabasePath is { } path
                ? LiteDbPersistenceProvider.Open(path, options.KeepProcessedEvents)
                : new LiteDbPersistenceProvider(sp.GetRequiredService<Registry>().Store.Database) { KeepProcessedEvents = options.KeepProcessedEvents });
            services.AddSingleton<IExecutionLogStore>(sp => new LiteDbExecutionLogStore(((LiteDbPersistenceProvider)sp.GetRequiredService<IWorkflowStore>()).Database));
        }

        services.AddSingleton(sp => new ExecutionLog(sp.GetRequiredService<IExecutionLogStore>(), sp.GetRequiredService<Registry>().TimeProvider));
        services.AddSingleton<ExecutionLogMiddleware>();
        services.AddWorkflow(o =>
        {
            o.UsePersistence(sp => sp.GetRequiredService<IWorkflowStore>());
            if (options.Backend?.Locks is { } locks)
            {
                o.UseDistributedLockManager(locks);
            }

            o.UsePollInterval(options.PollInterval);
            o.UseErrorRetryInterval(options.ErrorRetryInterval);
        });
        if (options.Backend?.Locks is not null)
        {
            // Several processes share the store: entries of WorkflowCore's grey list expire after a few polls instead of
            // 5 minutes, so a workflow another process held locked is polled again soon (ExpiringGreyList, ADR 19).
            var window = options.PollInterval * 2 > TimeSpan.FromSeconds(1) ? options.PollInterval * 2 : TimeSpan.FromSeconds(1);
            services.AddSingleton<IGreyList>(new ExpiringGreyList(window, TimeProvider.System));
        }

        services.AddWorkflowStepMiddleware(sp => sp.GetRequiredService<ExecutionLogMiddleware>());
        services.AddTransient<ConfirmPlan>();
        services.AddTransient<OpenEnrolment>();
        services.AddTransient<CloseEnrolment>();
        services.AddTransient<RemindToShip>();
        services.AddTransient<DispatchShipment>();
        services.AddTransient<FlagOverdue>();
        services.AddTransient<ReceiveSamples>();
        services.AddTransient<CheckResults>();
        services.AddTransient<ListDonors>();
        services.AddTransient<CloseDrive>();
        services.AddTransient<ConfirmDonation>();
        services.AddTransient<ReviewCare>();
        services.AddTransient<CloseCare>();
        services.AddSingleton(sp => new WorkflowEngine(sp.GetRequiredService<IWorkflowHost>(), sp.GetRequiredService<IWorkflowStore>(), sp.GetRequiredService<IDateTimeProvider>()));
        services.AddSingleton(sp => new DriveWorkflows(
            sp.GetRequiredService<Registry>(),
            sp.GetRequiredService<WorkflowEngine>(),
            sp.GetRequiredService<IWorkflowStore>(),
            sp.GetRequiredService<ExecutionLog>(),
            options));
        services.AddSingleton(sp => new CareWorkflows(
            sp.GetRequiredService<Registry>(),
            sp.GetRequiredService<WorkflowEngine>(),
            sp.GetRequiredService<IWorkflowStore>(),
            sp.GetRequiredService<ExecutionLog>(),
            options,
            sp.GetRequiredService<IDistributedLockProvider>()));
    }

    /// <summary>Starts the workflow host with the application (resuming drives and donors' care left mid-way, ADR 24) and stops it first on shutdown.</summary>
    private sealed class WorkflowHostService(WorkflowEngine engine, DriveWorkflows drives, CareWorkflows care) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            drives.Resume(); // starts the engine, then publishes the events drives' registry records imply (ADR 24)
            care.Resume(); // starts the care the registry records without a workflow, tells care the registry shows done
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            engine.Stop();
            return Task.CompletedTask;
        }
    }
}
