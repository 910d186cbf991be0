using System.Diagnostics;

namespace DonorRegistry.Storage;

/// <summary>
/// Group commit: makes a verb wait, after its commit and outside the write gate, until the LiteDB log that holds the
/// commit is on the disk. Commits are numbered in commit order (under the gate). The first waiter flushes for every
/// commit made so far; the writers that committed while it flushed wait and share the next flush. A failed flush
/// breaks the registry for writes (<see cref="RegistryStorageException"/>).
/// <para>
/// Writers that keep writing would otherwise fall into two groups taking turns (one group's flush runs while the
/// other commits), so four writers shared each flush by twos. So the first waiter, before it flushes, waits for the
/// writers the last flush covered that have not committed again yet, for at most as long as the last flush took,
/// counted from its end. A lone writer never waits (it is the one the last flush covered), and neither does a writer
/// that comes after a pause (the time is up).
/// </para>
/// </summary>
internal sealed class CommitFlusher
{
    private readonly Stream? _log;
    private readonly string _path;
    private readonly object _gate = new(); // a monitor: waiters sleep on it (Monitor.Wait)
    private long _committed;
    private long _durable;
    private bool _flushing;
    private HashSet<int> _pending = [];   // the threads that committed since the last flush began
    private HashSet<int> _lastBatch = []; // the threads the last flush covered
    private long _lastFlushEnd;
    private long _lastFlushTicks;
    private Exception? _failure;

    /// <param name="log">The log file to force, or null when nothing is forced (in memory, or <see cref="Durability.OsBuffered"/>).</param>
    /// <param name="path">The registry file, for the message of a failure.</param>
    public CommitFlusher(Stream? log, string path)
    {
        _log = log;
        _path = path;
    }

    /// <summary>How many times the log was forced to the disk for commits (for the tests of group commit).</summary>
    public long Flushes { get; private set; }

    /// <summary>Throws if an earlier flush failed; call before a change begins.</summary>
    public void ThrowIfBroken()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new RegistryStorageException(_path, failure);
        }
    }

    /// <summary>Breaks the registry for writes after a failure of the disk met elsewhere (a commit that could not write its log).</summary>
    public void Break(Exception failure) => Interlocked.CompareExchange(ref _failure, failure, null);

    /// <summary>Numbers a commit just made; call inside the write gate, right after the commit.</summary>
    public long Committed()
    {
        if (_log is null)
        {
            return Interlocked.Increment(ref _committed);
        }

        lock (_gate)
        {
            _pending.Add(Environment.CurrentManagedThreadId);
            Monitor.PulseAll(_gate);
            return ++_committed;
        }
    }

    /// <summary>Returns once <paramref name="commit"/> is on the disk; call outside the write gate.</summary>
    public void WaitUntilDurable(long commit)
    {
        if (_log is null)
        {
            return;
        }

        long covered;
        lock (_gate)
        {
            while (true)
            {
                ThrowIfBroken();
                if (_durable >= commit)
                {
                    return;
                }

                if (!_flushing)
                {
                    _flushing = true;
                    break;
                }

                Monitor.Wait(_gate);
            }

            WaitForTheLastBatch();

            // Every commit numbered so far has written its pages before it was numbered, so one flush covers them all.
            covered = _committed;
            (_lastBatch, _pending) = (_pending, []);
        }

        Exception? failure = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            _log.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
            failure = e;
        }

        lock (_gate)
        {
            _flushing = false;
            Flushes++;
            _lastFlushEnd = Stopwatch.GetTimestamp();
            _lastFlushTicks = _lastFlushEnd - started;
            if (failure is null)
            {
                _durable = Math.Max(_durable, covered);
            }
            else
            {
                Volatile.Write(ref _failure, failure);
            }

            Monitor.PulseAll(_gate);
        }

        ThrowIfBroken();
    }

    // Inside the monitor: waits (sleeping, woken by each commit) until every thread the last flush covered has
    // committed again, or one flush's time has passed since the last flush ended.
    private void WaitForTheLastBatch()
    {
        var until = _lastFlushEnd + _lastFlushTicks;
        while (!_pending.IsSupersetOf(_lastBatch))
        {
            var left = until - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            Monitor.Wait(_gate, TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, left * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        }
    }
}
