using WorkflowCore.Interface;

namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// Where the workflows are kept, when not in LiteDB: set on <see cref="WorkflowsOptions"/> by a store package (such
/// as <c>DonorRegistry.Workflows.PostgreSql</c>'s <c>UsePostgreSql</c>). Each factory is called once, as a singleton.
/// </summary>
/// <param name="Name">The store, as messages name it (such as "PostgreSQL at host:5432/db").</param>
/// <param name="Store">The workflow store; the service provider disposes it if it is disposable.</param>
/// <param name="Log">Where the execution log is kept.</param>
/// <param name="Locks">WorkflowCore's lock provider, so that two processes never run the same workflow at once; null for WorkflowCore's single-node one.</param>
internal sealed record WorkflowBackend(
    string Name,
    Func<IServiceProvider, IWorkflowStore> Store,
    Func<IServiceProvider, IExecutionLogStore> Log,
    Func<IServiceProvider, IDistributedLockProvider>? Locks);
