using DonorRegistry.Audit;

namespace DonorRegistry.Storage;

/// <summary>
/// One write in progress: the single place where a record is created or changed. Each change loads the record,
/// checks the version the caller expects, fires the lifecycle, counts the version up, writes the audit record and
/// stores the record, all in the write's one transaction; the effects after commit are collected here and run
/// by <see cref="ChangePipeline"/> once the commit has succeeded.
/// </summary>
internal sealed class WriteScope
{
    private readonly IAuditLog _audit;
    private readonly AuditChain _chain;
    private readonly RecentSeals _recent;
    private readonly List<Action> _afterCommit = [];
    private readonly List<SealedAuditRecord> _sealed = [];

    internal WriteScope(IAuditLog audit, AuditChain chain, RecentSeals recent, string actor, DateTimeOffset now)
    {
        _audit = audit;
        _chain = chain;
        _recent = recent;
        Actor = actor;
        Now = now;
    }

    /// <summary>Who acts, already checked.</summary>
    public string Actor { get; }

    /// <summary>The instant of the write: every record and audit record it stores carries it.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Stores a new record at version 1 with its first audit record.</summary>
    public T Create<TKey, T>(AggregateType<TKey, T> type, T value, string action, string? reason)
        where T : class, IAggregate
    {
        value.Version = 1;
        type.Store.Insert(value);
        Append(new AuditRecord(type.Kind, value.Key, 1, value.StateName, value.StateName, action, Actor, reason, Now));
        type.AfterStep?.Invoke(this, value, value.StateName);
        Committed(type, value);
        return value;
    }

    /// <summary>Loads a record and checks the version the caller expects.</summary>
    /// <exception cref="NotFoundException">The registry does not hold it.</exception>
    /// <exception cref="ConcurrentUpdateException">It is at another version than <paramref name="expectedVersion"/>.</exception>
    public Loaded<T> Load<TKey, T>(AggregateType<TKey, T> type, TKey key, int? expectedVersion = null)
        where T : class, IAggregate
    {
        var loaded = type.Store.Find(key) ?? throw type.NotFound(key);
        if (expectedVersion is { } expected && expected != loaded.Value.Version)
        {
            throw new ConcurrentUpdateException(type.Kind, loaded.Value.Key, expected, loaded.Value.Version);
        }

        return loaded;
    }

    /// <summary>One lifecycle step and its store: load, check the version, fire, count, audit, store.</summary>
    /// <param name="type">The kind of record.</param>
    /// <param name="key">Its id.</param>
    /// <param name="expectedVersion">The version the caller last saw, or null.</param>
    /// <param name="action">The step's name for the audit record.</param>
    /// <param name="reason">Why, or what, for the audit record.</param>
    /// <param name="fire">Fires the lifecycle; throws to refuse (nothing is stored).</param>
    /// <param name="alongside">Engine-side data that changes with the record (a donor's sealed personal data), set before the store.</param>
    public T Change<TKey, T>(
        AggregateType<TKey, T> type, TKey key, int? expectedVersion, string action, string? reason, Action<T> fire, Action<Loaded<T>>? alongside = null)
        where T : class, IAggregate
    {
        var loaded = Load(type, key, expectedVersion);
        Step(type, loaded, action, reason, fire);
        alongside?.Invoke(loaded);
        Save(type, loaded);
        return loaded.Value;
    }

    /// <summary>One change of an immutable record: the new value replaces the loaded one, then it is counted, audited and stored.</summary>
    public T Replace<TKey, T>(AggregateType<TKey, T> type, Loaded<T> loaded, string action, string? reason, Func<T, T> change)
        where T : class, IAggregate
    {
        var from = loaded.Value.StateName;
        loaded.Value = change(loaded.Value);
        Audit(type, loaded.Value, from, action, reason);
        Save(type, loaded);
        return loaded.Value;
    }

    /// <summary>
    /// A step on a record already loaded in this write: fire, count the version, audit. Several steps may precede
    /// one <see cref="Save{TKey, T}"/> (an import types and lists a donor with one store).
    /// </summary>
    public void Step<TKey, T>(AggregateType<TKey, T> type, Loaded<T> loaded, string action, string? reason, Action<T> fire)
        where T : class, IAggregate =>
        Step(type, loaded, action, _ => reason, fire);

    /// <summary>A step whose reason is known only once it has fired (a case's end reason).</summary>
    public void Step<TKey, T>(AggregateType<TKey, T> type, Loaded<T> loaded, string action, Func<T, string?> reason, Action<T> fire)
        where T : class, IAggregate
    {
        var from = loaded.Value.StateName;
        fire(loaded.Value);
        Audit(type, loaded.Value, from, action, reason(loaded.Value));
    }

    /// <summary>A step that may decline: when <paramref name="fire"/> returns false nothing is counted or audited.</summary>
    public bool StepIf<TKey, T>(AggregateType<TKey, T> type, Loaded<T> loaded, string action, string? reason, Func<T, bool> fire)
        where T : class, IAggregate
    {
        var from = loaded.Value.StateName;
        if (!fire(loaded.Value))
        {
            return false;
        }

        Audit(type, loaded.Value, from, action, reason);
        return true;
    }

    /// <summary>Stores a record changed by the steps before, and reports it after commit.</summary>
    public void Save<TKey, T>(AggregateType<TKey, T> type, Loaded<T> loaded)
        where T : class, IAggregate
    {
        type.Store.Update(loaded);
        Committed(type, loaded.Value);
    }

    /// <summary>
    /// Records created by a bulk path of this write (the enrolment pipeline inserts donors in chunks, with their
    /// audit records): their kind's after-commit effects run for them as for <see cref="Create{TKey, T}"/>.
    /// </summary>
    public void Created<TKey, T>(AggregateType<TKey, T> type, IReadOnlyList<T> values)
        where T : class, IAggregate
    {
        // One effect for the lot: a closure per record would keep thousands alive until the commit.
        if (type.Committed is { } committed)
        {
            _afterCommit.Add(() =>
            {
                foreach (var value in values)
                {
                    committed(value);
                }
            });
        }
    }

    private void Audit<TKey, T>(AggregateType<TKey, T> type, T value, string from, string action, string? reason)
        where T : class, IAggregate
    {
        if (value.Version >= ChangePipeline.MaxVersion)
        {
            throw new AuditTrailFullException(type.Kind, value.Key, ChangePipeline.MaxVersion);
        }

        value.Version++;
        var to = value.StateName;
        value.Touch(Now, to != from);
        Append(new AuditRecord(type.Kind, value.Key, value.Version, from, to, action, Actor, reason, Now));
        type.AfterStep?.Invoke(this, value, from);
    }

    /// <summary>
    /// Seals the first audit record of a record created by a bulk path of this write. The seal is kept with this
    /// write's others, so the record's next change (a drive's sample collection after enrolment) need not read it back.
    /// </summary>
    public SealedAuditRecord SealFirst(AuditRecord record)
    {
        var sealedRecord = new SealedAuditRecord(record, _chain.Seal([], record));
        _sealed.Add(sealedRecord);
        return sealedRecord;
    }

    internal void RunAfterCommit()
    {
        _recent.Committed(_sealed);
        foreach (var effect in _afterCommit)
        {
            effect();
        }
    }

    // Appends a record sealed to the one before it: version 1 starts the chain; else the seal this write made last
    // when it was for the same record (an import's steps on one donor), a recently committed one, or the stored one.
    private void Append(AuditRecord record)
    {
        var previous = record.Version == 1 ? [] : PreviousSeal(record);
        var seal = _chain.Seal(previous, record);
        _audit.Append(record, seal);
        _sealed.Add(new SealedAuditRecord(record, seal));
    }

    private byte[] PreviousSeal(AuditRecord record)
    {
        if (_sealed.Count > 0 && _sealed[^1] is var (last, seal) && last.Kind == record.Kind && last.Id == record.Id && last.Version == record.Version - 1)
        {
            return seal!;
        }

        return _recent.Find(record.Kind, record.Id, record.Version - 1)
            ?? _audit.SealOf(record.Kind, record.Id, record.Version - 1)
            ?? [];
    }

    private void Committed<TKey, T>(AggregateType<TKey, T> type, T value)
        where T : class, IAggregate
    {
        if (type.Committed is { } committed)
        {
            _afterCommit.Add(() => committed(value));
        }
    }
}
