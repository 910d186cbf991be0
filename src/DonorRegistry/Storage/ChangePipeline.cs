using DonorRegistry.Audit;

namespace DonorRegistry.Storage;

/// <summary>
/// The one write path: every verb that stores anything runs its work here, in one transaction of the engine,
/// through a <see cref="WriteScope"/>. The work either commits whole, then its after-commit effects run (the search
/// index), or is rolled back whole and the exception reaches the caller.
/// </summary>
internal sealed class ChangePipeline(IRegistryStorage storage, AuditChain chain, TimeProvider time)
{
    private readonly RecentSeals _recentSeals = new();

    /// <summary>The most versions one record's audit trail holds.</summary>
    public const int MaxVersion = 999_999;

    /// <summary>The engine under the pipeline.</summary>
    public IRegistryStorage Storage { get; } = storage;

    /// <summary>The seals that chain each record's audit trail.</summary>
    public AuditChain Chain { get; } = chain;

    /// <summary>The clock every write takes its instant from.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Runs <paramref name="work"/> as one write by <paramref name="actor"/> (already checked).</summary>
    public TResult Write<TResult>(string actor, Func<WriteScope, TResult> work)
    {
        var (result, _) = Storage.Write(
            () =>
            {
                var scope = new WriteScope(Storage.Audit, Chain, _recentSeals, actor, Time.GetUtcNow());
                return (work(scope), scope);
            },
            done => done.scope.RunAfterCommit());
        return result;
    }
}
