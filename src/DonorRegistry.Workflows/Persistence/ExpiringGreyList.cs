using WorkflowCore.Interface;

namespace DonorRegistry.Workflows.Persistence;

/// <summary>
/// WorkflowCore's grey list with entries that expire after <see cref="Window"/>, used when several processes share a
/// workflow store under a distributed lock (ADR 19). WorkflowCore's poller puts each workflow it queues on the list and
/// skips it while it is there (5 minutes in WorkflowCore's own list); its consumer takes it off after running it, but
/// not when another process held the workflow's lock, so with several instances a drive could sit unpolled for
/// minutes. Nothing runs twice with a short list: a workflow queued again while it runs fails to take its lock.
/// </summary>
internal sealed class ExpiringGreyList(TimeSpan window, TimeProvider time) : IGreyList
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _added = new(StringComparer.Ordinal);

    /// <summary>How long an entry lasts.</summary>
    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "The grey list's window must be positive.");

    public void Add(string id) => _added[id] = time.GetTimestamp();

    public void Remove(string id) => _added.TryRemove(id, out _);

    public bool Contains(string id)
    {
        if (!_added.TryGetValue(id, out var at))
        {
            return false;
        }

        if (time.GetElapsedTime(at) < Window)
        {
            return true;
        }

        _added.TryRemove(new KeyValuePair<string, long>(id, at));
        return false;
    }
}
