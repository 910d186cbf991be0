namespace DonorRegistry.Donors;

/// <summary>
/// The enrolment pipeline's preparing thread, kept between batches: a host enrolling batch after batch would otherwise
/// start a thread per batch, and on a busy machine the writer waits for each new thread to be scheduled. The thread is
/// its own, not the pool's (the writer blocks on what it prepares, and a busy pool must not delay it), and it ends
/// after <paramref name="idleFor"/> (5 s) without work, so an idle registry holds none. It waits for work on a monitor,
/// without spinning: on two cores a spinning waiter takes time the writer needs.
/// </summary>
/// <param name="idleFor">How long the thread waits for the next job before it ends.</param>
internal sealed class PreparingThread(TimeSpan? idleFor = null)
{
    private readonly TimeSpan _idleFor = idleFor ?? TimeSpan.FromSeconds(5);
    private readonly Queue<Action> _jobs = new();
    private int _running;
    private int _started;

    /// <summary>How many threads it has started (a test reads it).</summary>
    internal int ThreadsStarted => Volatile.Read(ref _started);

    /// <summary>Runs <paramref name="job"/> on the thread; the task completes when it has run, or faults with its exception.</summary>
    public Task Run(Action job)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(() =>
        {
            try
            {
                job();
                done.SetResult();
            }
#pragma warning disable CA1031 // the job's exception, whatever it is, goes to the waiting writer
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.SetException(e);
            }
        });
        Start();
        return done.Task;
    }

    private void Enqueue(Action job)
    {
        lock (_jobs)
        {
            _jobs.Enqueue(job);
            Monitor.Pulse(_jobs);
        }
    }

    private bool TryTake(out Action job)
    {
        lock (_jobs)
        {
            if (_jobs.Count == 0)
            {
                Monitor.Wait(_jobs, _idleFor);
            }

            return _jobs.TryDequeue(out job!);
        }
    }

    private int Pending()
    {
        lock (_jobs)
        {
            return _jobs.Count;
        }
    }

    private void Start()
    {
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            Interlocked.Increment(ref _started);
            new Thread(Loop) { IsBackground = true, Name = "DonorRegistry enrolment preparing" }.Start();
        }
    }

    private void Loop()
    {
        while (true)
        {
            while (TryTake(out var job))
            {
                job();
            }

            // Idle: end, unless a job came after the last wait and its caller saw this thread still running.
            Volatile.Write(ref _running, 0);
            if (Pending() == 0 || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
            {
                return;
            }
        }
    }
}
