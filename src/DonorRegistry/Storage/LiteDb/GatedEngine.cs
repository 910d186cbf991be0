using LiteDB;
using LiteDB.Engine;

namespace DonorRegistry.Storage.LiteDb;

/// <summary>
/// LiteDB's engine with one thread inside it at a time (ADR 27). LiteDB 5's page cache has a race between threads
/// (LiteDB issue 2817, unfixed in 5.0.21, the last release the feed serves): a reader that has found a cached page but
/// not yet pinned it can have the page recycled by another thread that is extending the cache; the reader then decodes
/// another page's bytes, or the cache's own checks fail ("pages in memory store must be non-shared") inside a write,
/// which is then lost and reported as damage. It was seen here enrolling 100,000 donors while the preparing thread read
/// identity candidates, and the harness <c>--litedb-race</c> shows it on bare LiteDB (docs/reliability.md).
/// <para>
/// Every call into the engine, and every step of a reader it returned, takes the gate. A reader holds no gate between
/// its steps, so a long read (building the search index) lets a writer's calls in between its documents, and a read
/// waits for one engine call of a write at most, never for the whole write. LiteDB's page cache is then only ever used
/// by one thread at a time (5.0.21 writes its log on the calling thread; nothing runs in the background).
/// </para>
/// <para>
/// A checkpoint (and a rebuild) waits in LiteDB for every open transaction to end; an open reader on another thread
/// needs the gate to end its own, so <see cref="Checkpoint"/> lets the gate go until no reader or explicit transaction
/// is open, while threads without one wait to open one (as LiteDB's own lock makes new readers wait for a waiting
/// checkpoint). The checkpoint LiteDB attempts at a commit tries for 10 ms to have every reader end; a commit first lets
/// the gate go for as long, new readers held back, so that readers open elsewhere can end (<see cref="DrainReaders"/>).
/// In the same way a write takes its collection's lock in LiteDB, which another thread's open transaction may hold
/// between its calls, so writes and transactions from other threads wait, outside the engine, for an open transaction
/// to end: one explicit transaction at a time (the registry's writes already come one at a time, through its write gate).
/// </para>
/// </summary>
/// <param name="inner">The engine.</param>
/// <param name="checkpointDue">Whether LiteDB's log is long enough that its next commit tries a checkpoint; null when
/// not known (then every commit is taken to try one).</param>
internal sealed class GatedEngine(ILiteEngine inner, Func<bool>? checkpointDue = null) : ILiteEngine
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1); // LiteDB's own lock timeout

    // How long LiteDB's checkpoint at a commit waits for open readers (LockService.TryEnterExclusive).
    private static readonly TimeSpan CheckpointTry = TimeSpan.FromMilliseconds(10);

    private readonly object _gate = new();
    private readonly Dictionary<int, int> _openByThread = [];
    private int _open;
    private int? _transactionThread;
    private int _exclusiveWaiting;

    /// <summary>The engine behind the gate (for <see cref="AbandonedTransaction"/>, which reads its members).</summary>
    public ILiteEngine Inner => inner;

    public IBsonDataReader Query(string collection, Query query) => Gated(() =>
    {
        WaitForExclusive();
        var reader = inner.Query(collection, query);
        var thread = Opened();
        return (IBsonDataReader)new GatedReader(reader, this, thread);
    });

    public bool BeginTrans() => Gated(() =>
    {
        WaitForExclusive();
        WaitForTransaction();
        var began = inner.BeginTrans();
        if (began)
        {
            _ = Opened();
            _transactionThread = Environment.CurrentManagedThreadId;
        }

        return began;
    });

    public bool Commit() => Gated(() =>
    {
        DrainReaders();
        return Ended(inner.Commit());
    });

    public bool Rollback() => Gated(() => Ended(inner.Rollback()));

    public int Checkpoint() => Exclusive(inner.Checkpoint);

    public long Rebuild(RebuildOptions options) => Exclusive(() => inner.Rebuild(options));

    public int Insert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Writing(() => inner.Insert(collection, docs, autoId));

    public int Update(string collection, IEnumerable<BsonDocument> docs) => Writing(() => inner.Update(collection, docs));

    public int UpdateMany(string collection, BsonExpression transform, BsonExpression predicate) => Writing(() => inner.UpdateMany(collection, transform, predicate));

    public int Upsert(string collection, IEnumerable<BsonDocument> docs, BsonAutoId autoId) => Writing(() => inner.Upsert(collection, docs, autoId));

    public int Delete(string collection, IEnumerable<BsonValue> ids) => Writing(() => inner.Delete(collection, ids));

    public int DeleteMany(string collection, BsonExpression predicate) => Writing(() => inner.DeleteMany(collection, predicate));

    public bool DropCollection(string name) => Writing(() => inner.DropCollection(name));

    public bool RenameCollection(string name, string newName) => Writing(() => inner.RenameCollection(name, newName));

    public bool EnsureIndex(string collection, string name, BsonExpression expression, bool unique) => Writing(() => inner.EnsureIndex(collection, name, expression, unique));

    public bool DropIndex(string collection, string name) => Writing(() => inner.DropIndex(collection, name));

    public BsonValue Pragma(string name) => Gated(() => inner.Pragma(name));

    public bool Pragma(string name, BsonValue value) => Writing(() => inner.Pragma(name, value));

    public void Dispose()
    {
        lock (_gate)
        {
            inner.Dispose();
        }
    }

    private T Gated<T>(Func<T> call)
    {
        lock (_gate)
        {
            return call();
        }
    }

    // A write takes its collection's lock in LiteDB, which another thread's open transaction may hold between its calls:
    // waiting for it inside the gate would keep that thread from ever ending it. So a write, or a transaction, from a
    // thread other than the one holding a transaction open waits for that transaction here, outside the engine.
    private T Writing<T>(Func<T> call) => Gated(() =>
    {
        WaitForTransaction();
        if (_transactionThread is null)
        {
            DrainReaders(); // a write outside a transaction commits at its end
        }

        return call();
    });

    // A commit tries a checkpoint once LiteDB's log is long, waiting up to 10 ms for every open reader to end; a reader
    // open on another thread needs the gate to end, so inside the gate that wait always ran out (a portal's page views
    // stalled 10 ms at each of the access log's commits, and the log was never checkpointed). The gate is let go for that
    // long first, new readers held back, as LiteDB's lock holds them back behind a waiting checkpoint.
    private void DrainReaders()
    {
        if (_open <= OpenHere() || checkpointDue?.Invoke() == false)
        {
            return;
        }

        WaitForOthersToClose(CheckpointTry);
    }

    // Until no reader or transaction is open on another thread (or for at most as long), new ones held back meanwhile
    // (WaitForExclusive); inside the gate, which the waits let go.
    private void WaitForOthersToClose(TimeSpan longest)
    {
        _exclusiveWaiting++;
        try
        {
            WaitWhile(() => _open > OpenHere(), longest);
        }
        finally
        {
            _exclusiveWaiting--;
            Monitor.PulseAll(_gate);
        }
    }

    // A transaction whose commit and rollback both failed stays open in LiteDB with its locks; after LiteDB's own lock
    // timeout the write goes in and meets LiteDB's timeout, as it would without the gate.
    private void WaitForTransaction() =>
        WaitWhile(() => _transactionThread is { } holder && holder != Environment.CurrentManagedThreadId, LongestWait);

    // A thread that holds a reader or a transaction open goes on (the checkpoint waits for it); others wait to open one.
    private void WaitForExclusive() => WaitWhile(() => _exclusiveWaiting > 0 && OpenHere() == 0, LongestWait);

    private void WaitWhile(Func<bool> blocked, TimeSpan longest)
    {
        if (!blocked())
        {
            return;
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (blocked())
        {
            // Read once: the time left may run out between a check and the wait, and Monitor.Wait refuses a negative one.
            var left = longest - waited.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            Monitor.Wait(_gate, left);
        }
    }

    private T Exclusive<T>(Func<T> call)
    {
        lock (_gate)
        {
            // With a reader still open elsewhere after LiteDB's own timeout, LiteDB's wait fails with its lock timeout.
            // No thread enters meanwhile: the call holds the gate.
            WaitForOthersToClose(LongestWait);
            return call();
        }
    }

    private int OpenHere() => _openByThread.GetValueOrDefault(Environment.CurrentManagedThreadId);

    private int Opened()
    {
        var thread = Environment.CurrentManagedThreadId;
        _open++;
        _openByThread[thread] = _openByThread.GetValueOrDefault(thread) + 1;
        return thread;
    }

    private bool Ended(bool ended)
    {
        if (ended)
        {
            if (_transactionThread == Environment.CurrentManagedThreadId)
            {
                _transactionThread = null;
            }

            Closed(Environment.CurrentManagedThreadId);
        }

        return ended;
    }

    // By the thread that opened it: a reader may be disposed on another thread.
    private void Closed(int thread)
    {
        _open--;
        if (_openByThread.GetValueOrDefault(thread) <= 1)
        {
            _openByThread.Remove(thread);
        }
        else
        {
            _openByThread[thread]--;
        }

        Monitor.PulseAll(_gate);
    }

    /// <summary>A reader whose every step takes the gate; it counts as open until it is disposed.</summary>
    private sealed class GatedReader(IBsonDataReader reader, GatedEngine engine, int thread) : IBsonDataReader
    {
        private bool _disposed;

        public BsonValue this[string field] => reader[field];

        public string Collection => reader.Collection;

        public BsonValue Current => reader.Current;

        public bool HasValues => reader.HasValues;

        public bool Read()
        {
            lock (engine._gate)
            {
                return reader.Read();
            }
        }

        public void Dispose()
        {
            lock (engine._gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                try
                {
                    reader.Dispose();
                }
                finally
                {
                    engine.Closed(thread);
                }
            }
        }
    }
}
