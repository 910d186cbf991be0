using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// What the library's workflows need of a workflow store: WorkflowCore's <see cref="IPersistenceProvider"/>, plus
/// the look-ups the facades make (by reference, events by key, a workflow's errors) and the event retention rule.
/// The LiteDB provider implements it, and so does the PostgreSQL store in <c>DonorRegistry.Workflows.PostgreSql</c>.
/// <para>
/// Retention (every store keeps the same rule): when a workflow is saved as complete or terminated, the unprocessed
/// events under its reference are marked processed in the same transaction, unless another workflow with that
/// reference still runs (is runnable or suspended); <see cref="ApplyRetention"/> does the same for every finished
/// workflow and deletes the processed events under such references older than the store's keeping time. Events under
/// a key no workflow has are left alone.
/// </para>
/// </summary>
internal interface IWorkflowStore : IPersistenceProvider
{
    /// <summary>The workflow instances started for a reference (such as a drive's code), oldest first.</summary>
    /// <param name="reference">The reference given when the workflow was started.</param>
    /// <returns>The instances.</returns>
    IReadOnlyList<WorkflowInstance> FindByReference(string reference);

    /// <summary>Every event published under a key (such as a drive's code), in the order published.</summary>
    /// <param name="eventKey">The key.</param>
    /// <returns>The events.</returns>
    IReadOnlyList<Event> FindEventsByKey(string eventKey);

    /// <summary>The step errors stored for a workflow instance, oldest first.</summary>
    /// <param name="workflowId">The instance.</param>
    /// <returns>The errors.</returns>
    IReadOnlyList<ExecutionError> FindErrors(string workflowId);

    /// <summary>
    /// The retention rule, applied to the whole store (at start-up): the unprocessed events under the reference of a
    /// finished workflow (and of no running one) are marked processed, and such processed events older than the
    /// store's keeping time are deleted.
    /// </summary>
    /// <param name="utcNow">WorkflowCore's clock now (UTC).</param>
    /// <returns>How many events were marked processed, and how many were deleted.</returns>
    (int Settled, int Purged) ApplyRetention(DateTime utcNow);

    /// <summary>The events still due under the reference of a finished workflow (none, once the retention rule holds).</summary>
    /// <returns>The events, oldest first.</returns>
    IReadOnlyList<Event> FindDueEventsOfFinishedWorkflows();
}
